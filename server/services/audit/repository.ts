import type Database from 'better-sqlite3';
import type { SqliteHandle } from '../../db/database.js';
import { stationScopeSql } from '../../auth/scope-sql.js';
import { crossingWhere, journalScope, type CrossingFilter, type JournalScope } from './filters.js';

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
  search(scope: JournalScope, f: CrossingFilter, limit: number, offset: number): CrossingRow[];
  /** keyset page in time order, for export */
  pageAfter(scope: JournalScope, f: CrossingFilter, after: { at: number; stationId: string; seq: number } | null, limit: number): CrossingRow[];
  sameCrossing(scope: JournalScope, stationId: string, crossingId: string, aroundSeq: number): CrossingRow[];
  sameLane(scope: JournalScope, stationId: string, lane: string, from: number, to: number, limit: number): CrossingRow[];
  overdue(scope: JournalScope, now: number, since: number, defaultMaxStayHours: number, limit: number): OverdueRow[];
  countsPerCheckpointHour(scope: JournalScope, f: CrossingFilter): CountRow[];
  countsPerReasonSet(scope: JournalScope, f: CrossingFilter): { reasons: string; n: number }[];
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
  // The last ALLOWed crossing of each pass; overdue when it was an entry longer ago than the pass's committed stay.
  const overdue = (scope: JournalScope, params: Record<string, unknown>) => {
    const a = area(scope);
    return prepare(`WITH last AS (
       SELECT j.pass_id, j.pass_province, j.plate, j.station_id, j.checkpoint_id, j.at, j.direction,
              ROW_NUMBER() OVER (PARTITION BY j.pass_id, j.pass_province ORDER BY j.at DESC) AS rn
       FROM journal j
       WHERE j.kind = 'crossing' AND j.verdict = 'ALLOW' AND j.pass_id IS NOT NULL AND ${a.sql} AND j.at >= @since)
     SELECT l.pass_id AS passId, l.pass_province AS passProvince, l.plate, l.station_id AS stationId, l.checkpoint_id AS checkpointId, l.at AS enteredAt,
            ${hasPasses ? 'COALESCE(p.max_stay_hours, @defaultHours)' : '@defaultHours'} AS maxStayHours,
            l.at + ${hasPasses ? 'COALESCE(p.max_stay_hours, @defaultHours)' : '@defaultHours'} * 3600000 AS dueAt
     FROM last l ${hasPasses ? 'LEFT JOIN passes p ON p.id = l.pass_id AND p.issuing_province = l.pass_province' : ''}
     WHERE l.rn = 1 AND l.direction = 'entry' AND dueAt < @now
     ORDER BY dueAt LIMIT @limit`).all({ ...params, ...a.params }) as OverdueRow[];
  };
  return {
    search(scope, f, limit, offset) {
      const w = crossingWhere(scope, f);
      return (sqlite.prepare(`SELECT ${CROSSING_COLUMNS} FROM journal j WHERE ${w.sql} ORDER BY j.at DESC, j.station_id, j.seq LIMIT @limit OFFSET @offset`)
        .all({ ...w.params, limit, offset }) as RawRow[]).map(toCrossing);
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
    overdue: (scope, now, since, defaultHours, limit) => overdue(scope, { now, since, defaultHours, limit }),
    countsPerCheckpointHour(scope, f) {
      const w = crossingWhere(scope, f);
      return sqlite.prepare(
        `SELECT j.checkpoint_id AS checkpointId, (j.at / 3600000) * 3600000 AS hour, count(*) AS total,
           sum(j.verdict = 'ALLOW') AS allow, sum(j.verdict = 'DENY') AS deny, sum(j.verdict = 'REVIEW') AS review
         FROM journal j WHERE ${w.sql} GROUP BY j.checkpoint_id, hour ORDER BY hour, j.checkpoint_id`,
      ).all(w.params) as CountRow[];
    },
    countsPerReasonSet(scope, f) {
      const w = crossingWhere(scope, f);
      return sqlite.prepare(`SELECT j.reasons, count(*) AS n FROM journal j WHERE ${w.sql} AND j.reasons != '' GROUP BY j.reasons`)
        .all(w.params) as { reasons: string; n: number }[];
    },
  };
}
