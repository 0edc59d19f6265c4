import { scopeFilter, type ScopeFilter } from '../../auth/scope.js';
import { scopeOf, type AuthUser } from '../../auth/access.js';
import { stationScopeSql } from '../../auth/scope-sql.js';
import { ValidationError } from '../../domain-errors.js';
import { passRef } from '../../../shared/codes/pass-ref.js';
import type { SqlDialect } from '../../db/sql-client.js';
import { reasonListHas, reasonNeedle } from './sql-dialect.js';

/**
 * The provinces whose checkpoints a reader may see: a list of province codes, or 'all' for a national
 * reader. Decided by the caller's scope (one place, at the route); services only apply it.
 */
export type ProvinceFilter = readonly number[] | 'all';

/**
 * SQL for "the journal row's checkpoint is in these provinces" (alias j), with its parameters: one parameter
 * per province (a list of at most 63), which both engines read the same way and plan on the province column.
 */
export function provinceWhere(provinces: ProvinceFilter): SqlWhere {
  if (provinces === 'all') return { sql: '1 = 1', params: {} };
  if (provinces.length === 0) return { sql: '1 = 0', params: {} };
  const params: Record<string, number> = {};
  provinces.forEach((p, i) => (params[`province${i}`] = p));
  return { sql: `j.province IN (${provinces.map((_, i) => `@province${i}`).join(', ')})`, params };
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
  /** one row per decision people act on: closed crossings, overrides and lone scans, not the scans inside a crossing */
  decisionsOnly?: boolean | undefined;
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

/** A reader's area (a number: one province, for callers inside the server such as the daily report). */
export type JournalScope = ScopeFilter | number;

export function journalScope(scope: JournalScope): ScopeFilter {
  return typeof scope === 'number' ? { province: scope, district: null, commune: null } : scope;
}

/** Parameterised WHERE for the journal (alias j); always limited to the reader's area (server/auth/scope-sql.ts). */
export function crossingWhere(dialect: SqlDialect, scope: JournalScope, f: CrossingFilter): SqlWhere {
  const area = stationScopeSql(journalScope(scope), 'j.province', 'j.station_id');
  const parts = [area.sql];
  const params: Record<string, string | number> = { ...area.params };
  const eq = (col: string, key: Exclude<keyof CrossingFilter, 'decisionsOnly'>) => {
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
    // match a whole code in the stored list
    parts.push(reasonListHas(dialect, 'j.reasons', '@reasonNeedle'));
    params.reasonNeedle = reasonNeedle(f.reason);
  }
  if (f.decisionsOnly) parts.push("(j.kind != 'scan' OR j.crossing_id IS NULL)");
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
 * The provinces whose checkpoints a signed-in person sees in full, from their scope (server/auth/scope.ts):
 * a national reader every province, a province's reader its own. A district or commune reader has no
 * whole province: none here (trips show it nothing in full; overdue narrows to its own checkpoints).
 */
export function readerProvinces(user: Pick<AuthUser, 'province' | 'scope'>): ProvinceFilter {
  const f = scopeFilter(scopeOf(user));
  if (f.province === null) return 'all';
  return f.district === null ? [f.province] : [];
}
