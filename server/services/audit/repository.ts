import type { SqliteHandle } from '../../db/database.js';
import { passRef, type PassIdentity } from '../../../shared/codes/pass-ref.js';
import type Database from 'better-sqlite3';
import { stationScopeSql } from '../../auth/scope-sql.js';
import type { ScopeFilter } from '../../auth/scope.js';
import { crossingWhere, journalScope, provinceWhere, type CrossingFilter, type JournalScope, type ProvinceFilter } from './filters.js';
import type { TripCrossing } from './trip.js';

/** A journal row as the command center sees it: the station's record, where it was, and when the server got it. */
export interface CrossingRow {
  stationId: string;
  seq: number;
  checkpointId: number;
  at: number;
  receivedAt: number;
  kind: string;
  lane: string;
  direction: string;
  scannerId: string | null;
  crossingId: string | null;
  verdict: string;
  reasons: string[];
  codeKind: string;
  passId: number | null;
  passProvince: number | null;
  passVersion: number | null;
  plate: string | null;
  citizenId: string | null;
  officer: string | null;
  note: string | null;
  policyVersion: number;
  hashOk: boolean;
}

type RawRow = Omit<CrossingRow, 'reasons' | 'hashOk'> & { reasons: string; hashOk: number };

export const CROSSING_COLUMNS = `j.station_id AS stationId, j.seq, j.checkpoint_id AS checkpointId, j.at, j.received_at AS receivedAt,
  j.kind, j.lane, j.direction, j.scanner_id AS scannerId, j.crossing_id AS crossingId, j.verdict, j.reasons,
  j.code_kind AS codeKind, j.pass_id AS passId, j.pass_province AS passProvince, j.pass_version AS passVersion, j.plate, j.citizen_id AS citizenId,
  j.officer, j.note, j.policy_version AS policyVersion, j.hash_ok AS hashOk`;

export function toCrossing(r: RawRow): CrossingRow {
  return { ...r, reasons: r.reasons === '' ? [] : r.reasons.split(','), hashOk: r.hashOk === 1 };
}

export interface OverdueRow {
  /** the province the vehicle entered and has not left */
  province: number;
  passId: number;
  passProvince: number | null;
  plate: string | null;
  stationId: string;
  checkpointId: number;
  enteredAt: number;
  maxStayHours: number;
  dueAt: number;
}

export interface CountRow {
  checkpointId: number;
  hour: number;
  total: number;
  allow: number;
  deny: number;
  review: number;
}

/** How far around a person's scan the rest of the same crossing is looked for (same station, by seq). */
const CROSSING_SEQ_WINDOW = 2000;

export interface AuditRepository {
  search(scope: JournalScope, f: CrossingFilter, limit: number, offset: number, order?: 'asc' | 'desc'): CrossingRow[];
  /** how many rows match, counted up to `cap` (a count over months of a province's journal is not free) */
  count(scope: JournalScope, f: CrossingFilter, cap: number): number;
  /** keyset page in time order, for export */
  pageAfter(scope: JournalScope, f: CrossingFilter, after: { at: number; stationId: string; seq: number } | null, limit: number): CrossingRow[];
  sameCrossing(scope: JournalScope, stationId: string, crossingId: string, aroundSeq: number): CrossingRow[];
  sameLane(scope: JournalScope, stationId: string, lane: string, from: number, to: number, limit: number): CrossingRow[];
  /**
   * Per province in `provinces`: passes whose last ALLOWed crossing there is an entry older than the
   * allowance (the pass's committed stay, capped by the province's transit allowance when it has one)
   * and that have not been seen entering another province since.
   */
  overdue(provinces: ProvinceFilter, q: { now: number; since: number; defaultHours: number; transitHours: ReadonlyMap<number, number>; limit: number }): OverdueRow[];
  /** a pass's (or a plate's) ALLOWed crossings at every province's checkpoints, newest first */
  tripCrossings(subject: { pass: PassIdentity } | { plate: string }, range: { from: number; to: number }, limit: number): TripCrossing[];
  /** the committed stay of the passes this server holds, by pass ref (a pass issued elsewhere may be unknown here) */
  passStayHours(passes: readonly PassIdentity[]): Map<string, number>;
  /** the stations (checkpoints) inside an area */
  stationIdsIn(f: ScopeFilter): Set<string>;
  countsPerCheckpointHour(scope: JournalScope, f: CrossingFilter): CountRow[];
  countsPerReasonSet(scope: JournalScope, f: CrossingFilter): { reasons: string; n: number }[];
  /** the live feed's rows (closed crossings, overrides, lone scans) per checkpoint and verdict in [from, to) */
  crossingTotals(scope: JournalScope, from: number, to: number): { checkpointId: number; verdict: string; n: number }[];
}

export function sqliteAuditRepository(sqlite: SqliteHandle): AuditRepository {
  const hasPasses = (sqlite.prepare(`SELECT count(*) AS n FROM pragma_table_info('passes') WHERE name = 'max_stay_hours'`).get() as { n: number }).n > 0;
  // A handful of area shapes (national, province, district, commune): each statement prepared once per shape.
  const prepared = new Map<string, Database.Statement>();
  const prepare = (text: string) => {
    let s = prepared.get(text);
    if (!s) prepared.set(text, (s = sqlite.prepare(text)));
    return s;
  };
  const area = (scope: JournalScope) => stationScopeSql(journalScope(scope), 'j.province', 'j.station_id');
  const sameCrossing = (scope: JournalScope, params: Record<string, unknown>) => {
    const a = area(scope);
    return prepare(`SELECT ${CROSSING_COLUMNS} FROM journal j WHERE j.station_id = @stationId AND j.seq BETWEEN @lo AND @hi
     AND j.crossing_id = @crossingId AND ${a.sql} ORDER BY j.seq`).all({ ...params, ...a.params }) as RawRow[];
  };
  const sameLane = (scope: JournalScope, params: Record<string, unknown>) => {
    const a = area(scope);
    return prepare(`SELECT ${CROSSING_COLUMNS} FROM journal j WHERE j.at BETWEEN @from AND @to AND j.station_id = @stationId
     AND j.lane = @lane AND j.plate IS NOT NULL AND ${a.sql} ORDER BY j.at LIMIT @limit`).all({ ...params, ...a.params }) as RawRow[];
  };
  const tripCols = `j.station_id AS stationId, j.seq, j.province, j.checkpoint_id AS checkpointId, j.direction, j.at,
    j.pass_id AS passId, j.pass_province AS passProvince, j.plate`;
  const allowedCrossing = `j.kind = 'crossing' AND j.verdict = 'ALLOW' AND j.at >= @from AND j.at < @to`;
  const tripOfPass = sqlite.prepare<Record<string, unknown>, TripCrossing>(
    `SELECT ${tripCols} FROM journal j WHERE j.pass_id = @passId AND j.pass_province = @passProvince AND ${allowedCrossing} ORDER BY j.at DESC LIMIT @limit`,
  );
  const tripOfPlate = sqlite.prepare<Record<string, unknown>, TripCrossing>(
    `SELECT ${tripCols} FROM journal j WHERE j.plate = @plate AND ${allowedCrossing} ORDER BY j.at DESC LIMIT @limit`,
  );
  const stay = hasPasses ? sqlite.prepare<[number, number], { h: number }>('SELECT max_stay_hours AS h FROM passes WHERE id = ? AND issuing_province = ?') : null;
  return {
    search(scope, f, limit, offset, order = 'desc') {
      const w = crossingWhere(scope, f);
      // within one second, a station's own order (seq) is the order things happened
      const by = order === 'asc' ? 'j.at ASC, j.station_id, j.seq ASC' : 'j.at DESC, j.station_id, j.seq DESC';
      return (sqlite.prepare(`SELECT ${CROSSING_COLUMNS} FROM journal j WHERE ${w.sql} ORDER BY ${by} LIMIT @limit OFFSET @offset`)
        .all({ ...w.params, limit, offset }) as RawRow[]).map(toCrossing);
    },
    count(scope, f, cap) {
      const w = crossingWhere(scope, f);
      return (sqlite.prepare(`SELECT count(*) AS n FROM (SELECT 1 FROM journal j WHERE ${w.sql} LIMIT @cap)`).get({ ...w.params, cap }) as { n: number }).n;
    },
    pageAfter(scope, f, after, limit) {
      const w = crossingWhere(scope, f);
      const keyset = after ? ' AND (j.at, j.station_id, j.seq) > (@afterAt, @afterStation, @afterSeq)' : '';
      const params = after ? { ...w.params, afterAt: after.at, afterStation: after.stationId, afterSeq: after.seq } : w.params;
      return (sqlite.prepare(`SELECT ${CROSSING_COLUMNS} FROM journal j WHERE ${w.sql}${keyset} ORDER BY j.at, j.station_id, j.seq LIMIT @limit`)
        .all({ ...params, limit }) as RawRow[]).map(toCrossing);
    },
    sameCrossing: (scope, stationId, crossingId, aroundSeq) =>
      sameCrossing(scope, { stationId, crossingId, lo: aroundSeq - CROSSING_SEQ_WINDOW, hi: aroundSeq + CROSSING_SEQ_WINDOW }).map(toCrossing),
    sameLane: (scope, stationId, lane, from, to, limit) => sameLane(scope, { stationId, lane, from, to, limit }).map(toCrossing),
    stationIdsIn(f) {
      const a = stationScopeSql(f, 's.province', 's.station_id');
      return new Set((prepare(`SELECT s.station_id AS id FROM stations s WHERE ${a.sql}`).all(a.params) as { id: string }[]).map((r) => r.id));
    },
    overdue(provinces, q) {
      const scope = provinceWhere(provinces);
      // the provinces' transit allowances as a small table; (NULL, NULL) keeps VALUES well-formed when there are none
      const allowances = [...q.transitHours];
      const values = allowances.length === 0 ? 'SELECT NULL AS province, NULL AS hours' : `VALUES ${allowances.map((_, i) => `(@ap${i}, @ah${i})`).join(', ')}`;
      const params: Record<string, unknown> = { ...scope.params, now: q.now, since: q.since, defaultHours: q.defaultHours, limit: q.limit };
      allowances.forEach(([p, h], i) => { params[`ap${i}`] = p; params[`ah${i}`] = h; });
      const passHours = hasPasses ? 'p.max_stay_hours' : 'NULL';
      const hours = `min(COALESCE(${passHours}, a.hours, @defaultHours), COALESCE(a.hours, ${passHours}, @defaultHours))`;
      return sqlite.prepare(
        `WITH allow(province, hours) AS (${values}),
         last AS (
           SELECT j.province, j.pass_id, j.pass_province, j.plate, j.station_id, j.checkpoint_id, j.at, j.direction,
                  ROW_NUMBER() OVER (PARTITION BY j.province, j.pass_id, j.pass_province ORDER BY j.at DESC) AS rn
           FROM journal j
           WHERE j.kind = 'crossing' AND j.verdict = 'ALLOW' AND j.pass_id IS NOT NULL AND ${scope.sql} AND j.at >= @since),
         due AS (
           SELECT l.*, ${hours} AS maxStayHours FROM last l
           LEFT JOIN allow a ON a.province = l.province
           ${hasPasses ? 'LEFT JOIN passes p ON p.id = l.pass_id AND p.issuing_province = l.pass_province' : ''}
           WHERE l.rn = 1 AND l.direction = 'entry')
         SELECT d.province, d.pass_id AS passId, d.pass_province AS passProvince, d.plate, d.station_id AS stationId, d.checkpoint_id AS checkpointId,
                d.at AS enteredAt, d.maxStayHours, d.at + d.maxStayHours * 3600000 AS dueAt
         FROM due d
         WHERE d.at + d.maxStayHours * 3600000 < @now
           -- entered another province since: it left this one unrecorded (or is a clone, raised at ingest)
           AND NOT EXISTS (SELECT 1 FROM journal o WHERE o.pass_id = d.pass_id AND o.pass_province = d.pass_province AND o.at > d.at
             AND o.province != d.province AND o.kind = 'crossing' AND o.verdict = 'ALLOW' AND o.direction = 'entry')
         ORDER BY dueAt LIMIT @limit`,
      ).all(params) as OverdueRow[];
    },
    tripCrossings: (subject, range, limit) =>
      'pass' in subject
        ? tripOfPass.all({ passId: subject.pass.passId, passProvince: subject.pass.issuingProvince, ...range, limit })
        : tripOfPlate.all({ plate: subject.plate, ...range, limit }),
    passStayHours(passes) {
      const out = new Map<string, number>();
      if (!stay) return out;
      for (const p of passes) {
        const h = stay.get(p.passId, p.issuingProvince)?.h;
        if (h !== undefined) out.set(passRef(p.issuingProvince, p.passId), h);
      }
      return out;
    },
    countsPerCheckpointHour(scope, f) {
      const w = crossingWhere(scope, f);
      return sqlite.prepare(
        `SELECT j.checkpoint_id AS checkpointId, (j.at / 3600000) * 3600000 AS hour, count(*) AS total,
           sum(j.verdict = 'ALLOW') AS allow, sum(j.verdict = 'DENY') AS deny, sum(j.verdict = 'REVIEW') AS review
         FROM journal j WHERE ${w.sql} GROUP BY j.checkpoint_id, hour ORDER BY hour, j.checkpoint_id`,
      ).all(w.params) as CountRow[];
    },
    crossingTotals(scope, from, to) {
      const w = crossingWhere(scope, { from, to, decisionsOnly: true });
      return sqlite.prepare(`SELECT j.checkpoint_id AS checkpointId, j.verdict, count(*) AS n FROM journal j
        WHERE ${w.sql} GROUP BY j.checkpoint_id, j.verdict ORDER BY j.checkpoint_id`).all(w.params) as { checkpointId: number; verdict: string; n: number }[];
    },
    countsPerReasonSet(scope, f) {
      const w = crossingWhere(scope, f);
      return sqlite.prepare(`SELECT j.reasons, count(*) AS n FROM journal j WHERE ${w.sql} AND j.reasons != '' GROUP BY j.reasons`)
        .all(w.params) as { reasons: string; n: number }[];
    },
  };
}
