import { ValidationError } from '../../domain-errors.js';
import { passRef } from '../../../shared/codes/pass-ref.js';

/**
 * The provinces whose checkpoints a reader may see: a list of province codes, or 'all' for a national
 * reader. Decided by the caller's scope (one place, at the route); services only apply it.
 */
export type ProvinceFilter = readonly number[] | 'all';

/** SQL for "the journal row's checkpoint is in these provinces" (alias j), with its parameters. */
export function provinceWhere(provinces: ProvinceFilter): SqlWhere {
  if (provinces === 'all') return { sql: '1 = 1', params: {} };
  return { sql: 'j.province IN (SELECT value FROM json_each(@provinces))', params: { provinces: JSON.stringify(provinces) } };
}

/** The crossing search filters shared by search, export and counts. Times are the station's clock (ms). */
export interface CrossingFilter {
  plate?: string | undefined;
  citizenId?: string | undefined;
  passId?: number | undefined;
  /** with passId: the pass's issuing province (a pass is both) */
  passProvince?: number | undefined;
  checkpointId?: number | undefined;
  stationId?: string | undefined;
  lane?: string | undefined;
  direction?: 'entry' | 'exit' | undefined;
  verdict?: 'ALLOW' | 'DENY' | 'REVIEW' | undefined;
  reason?: string | undefined;
  kind?: 'scan' | 'crossing' | 'override' | undefined;
  from?: number | undefined;
  to?: number | undefined;
}

/** A range that ends before it starts would find nothing silently: a 400 naming the field instead. */
export function assertForwardRange(f: { from?: number | undefined; to?: number | undefined }): void {
  if (f.from !== undefined && f.to !== undefined && f.from > f.to) {
    const messageVi = 'Đến: thời điểm kết thúc phải sau thời điểm bắt đầu';
    const message = 'to: the end must not be before the start (from)';
    throw new ValidationError(message, messageVi, { fields: [{ field: 'to', message, messageVi }] });
  }
}

export interface SqlWhere {
  sql: string;
  params: Record<string, string | number>;
}

/** Parameterised WHERE for the journal (alias j); always scoped to one province. */
export function crossingWhere(province: number, f: CrossingFilter): SqlWhere {
  const parts = ['j.province = @province'];
  const params: Record<string, string | number> = { province };
  const eq = (col: string, key: keyof CrossingFilter) => {
    const v = f[key];
    if (v === undefined) return;
    parts.push(`j.${col} = @${key}`);
    params[key] = v;
  };
  eq('plate', 'plate');
  eq('citizen_id', 'citizenId');
  eq('pass_id', 'passId');
  eq('pass_province', 'passProvince');
  eq('checkpoint_id', 'checkpointId');
  eq('station_id', 'stationId');
  eq('lane', 'lane');
  eq('direction', 'direction');
  eq('verdict', 'verdict');
  eq('kind', 'kind');
  if (f.reason !== undefined) {
    // reasons are stored comma-joined; match a whole code
    parts.push(`instr(',' || j.reasons || ',', @reasonNeedle) > 0`);
    params.reasonNeedle = `,${f.reason},`;
  }
  if (f.from !== undefined) { parts.push('j.at >= @from'); params.from = f.from; }
  if (f.to !== undefined) { parts.push('j.at < @to'); params.to = f.to; }
  return { sql: parts.join(' AND '), params };
}

/** What a search is about, for the access log. */
export function subjectOf(f: CrossingFilter): { subjectType: string; subjectId: string | null } {
  if (f.citizenId !== undefined) return { subjectType: 'person', subjectId: f.citizenId };
  if (f.plate !== undefined) return { subjectType: 'vehicle', subjectId: f.plate };
  if (f.passId !== undefined) return { subjectType: 'pass', subjectId: f.passProvince !== undefined ? passRef(f.passProvince, f.passId) : String(f.passId) };
  return { subjectType: 'crossing', subjectId: null };
}

/**
 * Whose checkpoints a signed-in person may see. Today every person belongs to one province; the
 * tenancy scope (national, district, commune) will answer this instead, in this one place.
 */
export function readerProvinces(user: { province: number }): ProvinceFilter {
  return [user.province];
}
