import { passRef, type PassIdentity } from '../../../shared/codes/pass-ref.js';
import { decodeReasons, encodeReasons } from '../../../shared/journal-record/reasons-text.js';
import type { ReasonCode } from '../../../shared/rules/reasons.js';
import { journalRead } from '../../db/journal-columns.js';
import type { SqlClient } from '../../db/sql-client.js';
import { stationScopeSql } from '../../auth/scope-sql.js';
import type { ScopeFilter } from '../../auth/scope.js';
import { crossingWhere, journalScope, provinceWhere, type CrossingFilter, type JournalScope, type ProvinceFilter } from './filters.js';
import { least } from './sql-dialect.js';
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

/** The columns a crossing row reads, derived from the journal record's one definition (server/db/journal-columns.ts). */
const CROSSING_READ = journalRead<CrossingRow>([
  'stationId', 'seq', 'checkpointId', 'at', 'receivedAt', 'kind', 'lane', 'direction', 'scannerId', 'crossingId', 'verdict', 'reasons',
  'codeKind', 'passId', 'passProvince', 'passVersion', 'plate', 'citizenId', 'officer', 'note', 'policyVersion', 'hashOk',
]);
export const CROSSING_COLUMNS = CROSSING_READ.columns;
/** A row read with CROSSING_COLUMNS, decoded in place (reasons from their stored JSON, the hash flag from 1/0). */
export const toCrossing = CROSSING_READ.decode;

const TRIP_READ = journalRead<TripCrossing>(['stationId', 'seq', 'province', 'checkpointId', 'direction', 'at', 'passId', 'passProvince', 'plate']);

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
  search(scope: JournalScope, f: CrossingFilter, limit: number, offset: number, order?: 'asc' | 'desc'): Promise<CrossingRow[]>;
  /** how many rows match, counted up to `cap` (a count over months of a province's journal is not free) */
  count(scope: JournalScope, f: CrossingFilter, cap: number): Promise<number>;
  /** keyset page in time order, for export */
  pageAfter(scope: JournalScope, f: CrossingFilter, after: { at: number; stationId: string; seq: number } | null, limit: number): Promise<CrossingRow[]>;
  sameCrossing(scope: JournalScope, stationId: string, crossingId: string, aroundSeq: number): Promise<CrossingRow[]>;
  /** vehicles in a station's lane within [from, to]; the checkpoint (the station's) lets both engines use the checkpoint+time index */
  sameLane(scope: JournalScope, where: { checkpointId: number; stationId: string; lane: string }, from: number, to: number, limit: number): Promise<CrossingRow[]>;
  /**
   * Per province in `provinces`: passes whose last ALLOWed crossing there is an entry older than the
   * allowance (the pass's committed stay, capped by the province's transit allowance when it has one)
   * and that have not been seen entering another province since.
   */
  overdue(provinces: ProvinceFilter, q: { now: number; since: number; defaultHours: number; transitHours: ReadonlyMap<number, number>; limit: number }): Promise<OverdueRow[]>;
  /** a pass's (or a plate's) ALLOWed crossings at every province's checkpoints, newest first */
  tripCrossings(subject: { pass: PassIdentity } | { plate: string }, range: { from: number; to: number }, limit: number): Promise<TripCrossing[]>;
  /** the committed stay of the passes this server holds, by pass ref (a pass issued elsewhere may be unknown here) */
  passStayHours(passes: readonly PassIdentity[]): Promise<Map<string, number>>;
  /** the stations (checkpoints) inside an area */
  stationIdsIn(f: ScopeFilter): Promise<Set<string>>;
  countsPerCheckpointHour(scope: JournalScope, f: CrossingFilter): Promise<CountRow[]>;
  /** how many rows carry each distinct list of reasons (rows without a reason left out) */
  countsPerReasonSet(scope: JournalScope, f: CrossingFilter): Promise<{ reasons: ReasonCode[]; n: number }[]>;
  /** the live feed's rows (closed crossings, overrides, lone scans) per checkpoint and verdict in [from, to) */
  crossingTotals(scope: JournalScope, from: number, to: number): Promise<{ checkpointId: number; verdict: string; n: number }[]>;
}

/**
 * The audit queries on either engine (server/db/sql-client.ts). Written once; what the engines spell
 * differently (the reason-list test, the scalar minimum) comes from ./sql-dialect.ts. On SQLite every
 * text is prepared once by the client and cached, so the async layer costs a microtask per call.
 */
export function auditRepository(client: SqlClient): AuditRepository {
  const { dialect } = client;
  const where = (scope: JournalScope, f: CrossingFilter) => crossingWhere(dialect, scope, f);
  const area = (scope: JournalScope) => stationScopeSql(journalScope(scope), 'j.province', 'j.station_id');
  const crossings = async (sql: string, params: Record<string, unknown>) => (await client.all<Record<string, unknown>>(sql, params as Record<string, string | number>)).map(toCrossing);
  const tripCols = TRIP_READ.columns;
  const allowedCrossing = `j.kind = 'crossing' AND j.verdict = 'ALLOW' AND j.at >= @from AND j.at < @to`;
  return {
    search(scope, f, limit, offset, order = 'desc') {
      const w = where(scope, f);
      // within one second, a station's own order (seq) is the order things happened
      const by = order === 'asc' ? 'j.at ASC, j.station_id, j.seq ASC' : 'j.at DESC, j.station_id, j.seq DESC';
      return crossings(`SELECT ${CROSSING_COLUMNS} FROM journal j WHERE ${w.sql} ORDER BY ${by} LIMIT @limit OFFSET @offset`, { ...w.params, limit, offset });
    },
    async count(scope, f, cap) {
      const w = where(scope, f);
      const row = await client.get<{ n: number }>(`SELECT count(*) AS n FROM (SELECT 1 FROM journal j WHERE ${w.sql} LIMIT @cap) capped`, { ...w.params, cap });
      return row?.n ?? 0;
    },
    pageAfter(scope, f, after, limit) {
      const w = where(scope, f);
      const keyset = after ? ' AND (j.at, j.station_id, j.seq) > (@afterAt, @afterStation, @afterSeq)' : '';
      const params = after ? { ...w.params, afterAt: after.at, afterStation: after.stationId, afterSeq: after.seq } : w.params;
      return crossings(`SELECT ${CROSSING_COLUMNS} FROM journal j WHERE ${w.sql}${keyset} ORDER BY j.at, j.station_id, j.seq LIMIT @limit`, { ...params, limit });
    },
    sameCrossing(scope, stationId, crossingId, aroundSeq) {
      const a = area(scope);
      return crossings(`SELECT ${CROSSING_COLUMNS} FROM journal j WHERE j.station_id = @stationId AND j.seq BETWEEN @lo AND @hi
         AND j.crossing_id = @crossingId AND ${a.sql} ORDER BY j.seq`,
      { stationId, crossingId, lo: aroundSeq - CROSSING_SEQ_WINDOW, hi: aroundSeq + CROSSING_SEQ_WINDOW, ...a.params });
    },
    sameLane(scope, at, from, to, limit) {
      const a = area(scope);
      return crossings(`SELECT ${CROSSING_COLUMNS} FROM journal j WHERE j.checkpoint_id = @checkpointId AND j.at BETWEEN @from AND @to
         AND j.station_id = @stationId AND j.lane = @lane AND j.plate IS NOT NULL AND ${a.sql} ORDER BY j.at, j.station_id, j.seq LIMIT @limit`,
      { ...at, from, to, limit, ...a.params });
    },
    async stationIdsIn(f) {
      const a = stationScopeSql(f, 's.province', 's.station_id');
      return new Set((await client.all<{ id: string }>(`SELECT s.station_id AS id FROM stations s WHERE ${a.sql}`, a.params)).map((r) => r.id));
    },
    overdue(provinces, q) {
      const scope = provinceWhere(provinces);
      // The provinces' transit allowances as a small table; (NULL, NULL) keeps VALUES well-formed when there are
      // none. Cast, so PostgreSQL types the columns as numbers rather than text.
      const allowances = [...q.transitHours];
      const values = allowances.length === 0
        ? 'SELECT CAST(NULL AS INTEGER) AS province, CAST(NULL AS INTEGER) AS hours'
        : `VALUES ${allowances.map((_, i) => `(CAST(@ap${i} AS INTEGER), CAST(@ah${i} AS INTEGER))`).join(', ')}`;
      const params: Record<string, string | number> = { ...scope.params, now: q.now, since: q.since, defaultHours: q.defaultHours, limit: q.limit };
      allowances.forEach(([p, h], i) => { params[`ap${i}`] = p; params[`ah${i}`] = h; });
      const defaultHours = 'CAST(@defaultHours AS INTEGER)';
      const hours = least(dialect, `COALESCE(p.max_stay_hours, a.hours, ${defaultHours})`, `COALESCE(a.hours, p.max_stay_hours, ${defaultHours})`);
      return client.all<OverdueRow>(
        `WITH allow(province, hours) AS (${values}),
         last AS (
           SELECT j.province, j.pass_id, j.pass_province, j.plate, j.station_id, j.checkpoint_id, j.at, j.direction,
                  ROW_NUMBER() OVER (PARTITION BY j.province, j.pass_id, j.pass_province ORDER BY j.at DESC) AS rn
           FROM journal j
           WHERE j.kind = 'crossing' AND j.verdict = 'ALLOW' AND j.pass_id IS NOT NULL AND ${scope.sql} AND j.at >= @since),
         due AS (
           SELECT l.*, ${hours} AS max_stay FROM last l
           LEFT JOIN allow a ON a.province = l.province
           LEFT JOIN passes p ON p.id = l.pass_id AND p.issuing_province = l.pass_province
           WHERE l.rn = 1 AND l.direction = 'entry')
         SELECT d.province, d.pass_id AS "passId", d.pass_province AS "passProvince", d.plate, d.station_id AS "stationId", d.checkpoint_id AS "checkpointId",
                d.at AS "enteredAt", d.max_stay AS "maxStayHours", d.at + d.max_stay * 3600000 AS "dueAt"
         FROM due d
         WHERE d.at + d.max_stay * 3600000 < @now
           -- entered another province since: it left this one unrecorded (or is a clone, raised at ingest)
           AND NOT EXISTS (SELECT 1 FROM journal o WHERE o.pass_id = d.pass_id AND o.pass_province = d.pass_province AND o.at > d.at
             AND o.province != d.province AND o.kind = 'crossing' AND o.verdict = 'ALLOW' AND o.direction = 'entry')
         ORDER BY "dueAt", d.station_id, d.pass_province, d.pass_id LIMIT @limit`,
        params,
      );
    },
    tripCrossings: (subject, range, limit) =>
      'pass' in subject
        ? client.all<TripCrossing>(`SELECT ${tripCols} FROM journal j WHERE j.pass_id = @passId AND j.pass_province = @passProvince AND ${allowedCrossing}
            ORDER BY j.at DESC, j.station_id, j.seq DESC LIMIT @limit`, { passId: subject.pass.passId, passProvince: subject.pass.issuingProvince, ...range, limit })
        : client.all<TripCrossing>(`SELECT ${tripCols} FROM journal j WHERE j.plate = @plate AND ${allowedCrossing}
            ORDER BY j.at DESC, j.station_id, j.seq DESC LIMIT @limit`, { plate: subject.plate, ...range, limit }),
    async passStayHours(passes) {
      const out = new Map<string, number>();
      for (const p of passes) {
        const row = await client.get<{ h: number }>('SELECT max_stay_hours AS h FROM passes WHERE id = ? AND issuing_province = ?', [p.passId, p.issuingProvince]);
        if (row) out.set(passRef(p.issuingProvince, p.passId), row.h);
      }
      return out;
    },
    countsPerCheckpointHour(scope, f) {
      const w = where(scope, f);
      // integer division on both engines (at is an integer column); CASE, not a summed boolean, which PostgreSQL refuses
      return client.all<CountRow>(
        `SELECT j.checkpoint_id AS "checkpointId", (j.at / 3600000) * 3600000 AS hour, count(*) AS total,
           sum(CASE WHEN j.verdict = 'ALLOW' THEN 1 ELSE 0 END) AS allow, sum(CASE WHEN j.verdict = 'DENY' THEN 1 ELSE 0 END) AS deny,
           sum(CASE WHEN j.verdict = 'REVIEW' THEN 1 ELSE 0 END) AS review
         FROM journal j WHERE ${w.sql} GROUP BY j.checkpoint_id, (j.at / 3600000) * 3600000 ORDER BY hour, j.checkpoint_id`,
        w.params,
      );
    },
    crossingTotals(scope, from, to) {
      const w = where(scope, { from, to, decisionsOnly: true });
      return client.all<{ checkpointId: number; verdict: string; n: number }>(`SELECT j.checkpoint_id AS "checkpointId", j.verdict, count(*) AS n FROM journal j
        WHERE ${w.sql} GROUP BY j.checkpoint_id, j.verdict ORDER BY j.checkpoint_id, j.verdict`, w.params);
    },
    async countsPerReasonSet(scope, f) {
      const w = where(scope, f);
      const rows = await client.all<{ reasons: string; n: number }>(
        `SELECT j.reasons, count(*) AS n FROM journal j WHERE ${w.sql} AND j.reasons <> @noReasons GROUP BY j.reasons ORDER BY j.reasons`,
        { ...w.params, noReasons: encodeReasons([]) },
      );
      return rows.map((r) => ({ reasons: decodeReasons(r.reasons), n: r.n }));
    },
  };
}
