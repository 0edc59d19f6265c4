import type { SqliteHandle } from '../../db/database.js';
import { crossingWhere, type CrossingFilter } from './filters.js';

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
  search(province: number, f: CrossingFilter, limit: number, offset: number): CrossingRow[];
  /** keyset page in time order, for export */
  pageAfter(province: number, f: CrossingFilter, after: { at: number; stationId: string; seq: number } | null, limit: number): CrossingRow[];
  sameCrossing(province: number, stationId: string, crossingId: string, aroundSeq: number): CrossingRow[];
  sameLane(province: number, stationId: string, lane: string, from: number, to: number, limit: number): CrossingRow[];
  overdue(province: number, now: number, since: number, defaultMaxStayHours: number, limit: number): OverdueRow[];
  countsPerCheckpointHour(province: number, f: CrossingFilter): CountRow[];
  countsPerReasonSet(province: number, f: CrossingFilter): { reasons: string; n: number }[];
}

export function sqliteAuditRepository(sqlite: SqliteHandle): AuditRepository {
  const hasPasses = (sqlite.prepare(`SELECT count(*) AS n FROM pragma_table_info('passes') WHERE name = 'max_stay_hours'`).get() as { n: number }).n > 0;
  const sameCrossing = sqlite.prepare<Record<string, unknown>, RawRow>(
    `SELECT ${CROSSING_COLUMNS} FROM journal j WHERE j.station_id = @stationId AND j.seq BETWEEN @lo AND @hi
     AND j.crossing_id = @crossingId AND j.province = @province ORDER BY j.seq`,
  );
  const sameLane = sqlite.prepare<Record<string, unknown>, RawRow>(
    `SELECT ${CROSSING_COLUMNS} FROM journal j WHERE j.at BETWEEN @from AND @to AND j.station_id = @stationId
     AND j.lane = @lane AND j.plate IS NOT NULL AND j.province = @province ORDER BY j.at LIMIT @limit`,
  );
  // The last ALLOWed crossing of each pass; overdue when it was an entry longer ago than the pass's committed stay.
  const overdue = sqlite.prepare<Record<string, unknown>, OverdueRow>(
    `WITH last AS (
       SELECT j.pass_id, j.pass_province, j.plate, j.station_id, j.checkpoint_id, j.at, j.direction,
              ROW_NUMBER() OVER (PARTITION BY j.pass_id, j.pass_province ORDER BY j.at DESC) AS rn
       FROM journal j
       WHERE j.kind = 'crossing' AND j.verdict = 'ALLOW' AND j.pass_id IS NOT NULL AND j.province = @province AND j.at >= @since)
     SELECT l.pass_id AS passId, l.pass_province AS passProvince, l.plate, l.station_id AS stationId, l.checkpoint_id AS checkpointId, l.at AS enteredAt,
            ${hasPasses ? 'COALESCE(p.max_stay_hours, @defaultHours)' : '@defaultHours'} AS maxStayHours,
            l.at + ${hasPasses ? 'COALESCE(p.max_stay_hours, @defaultHours)' : '@defaultHours'} * 3600000 AS dueAt
     FROM last l ${hasPasses ? 'LEFT JOIN passes p ON p.id = l.pass_id AND p.issuing_province = l.pass_province' : ''}
     WHERE l.rn = 1 AND l.direction = 'entry' AND dueAt < @now
     ORDER BY dueAt LIMIT @limit`,
  );
  return {
    search(province, f, limit, offset) {
      const w = crossingWhere(province, f);
      return (sqlite.prepare(`SELECT ${CROSSING_COLUMNS} FROM journal j WHERE ${w.sql} ORDER BY j.at DESC, j.station_id, j.seq LIMIT @limit OFFSET @offset`)
        .all({ ...w.params, limit, offset }) as RawRow[]).map(toCrossing);
    },
    pageAfter(province, f, after, limit) {
      const w = crossingWhere(province, f);
      const keyset = after ? ' AND (j.at, j.station_id, j.seq) > (@afterAt, @afterStation, @afterSeq)' : '';
      const params = after ? { ...w.params, afterAt: after.at, afterStation: after.stationId, afterSeq: after.seq } : w.params;
      return (sqlite.prepare(`SELECT ${CROSSING_COLUMNS} FROM journal j WHERE ${w.sql}${keyset} ORDER BY j.at, j.station_id, j.seq LIMIT @limit`)
        .all({ ...params, limit }) as RawRow[]).map(toCrossing);
    },
    sameCrossing: (province, stationId, crossingId, aroundSeq) =>
      sameCrossing.all({ province, stationId, crossingId, lo: aroundSeq - CROSSING_SEQ_WINDOW, hi: aroundSeq + CROSSING_SEQ_WINDOW }).map(toCrossing),
    sameLane: (province, stationId, lane, from, to, limit) => sameLane.all({ province, stationId, lane, from, to, limit }).map(toCrossing),
    overdue: (province, now, since, defaultHours, limit) => overdue.all({ province, now, since, defaultHours, limit }),
    countsPerCheckpointHour(province, f) {
      const w = crossingWhere(province, f);
      return sqlite.prepare(
        `SELECT j.checkpoint_id AS checkpointId, (j.at / 3600000) * 3600000 AS hour, count(*) AS total,
           sum(j.verdict = 'ALLOW') AS allow, sum(j.verdict = 'DENY') AS deny, sum(j.verdict = 'REVIEW') AS review
         FROM journal j WHERE ${w.sql} GROUP BY j.checkpoint_id, hour ORDER BY hour, j.checkpoint_id`,
      ).all(w.params) as CountRow[];
    },
    countsPerReasonSet(province, f) {
      const w = crossingWhere(province, f);
      return sqlite.prepare(`SELECT j.reasons, count(*) AS n FROM journal j WHERE ${w.sql} AND j.reasons != '' GROUP BY j.reasons`)
        .all(w.params) as { reasons: string; n: number }[];
    },
  };
}
