import type { SqlClient } from '../../../server/db/sql-client.js';

export interface ExactlyOnce {
  ok: boolean;
  stations: number;
  records: number;
  /** stations whose stored records are not exactly 1..last, or whose acknowledged seq is not last */
  wrongStations: string[];
  chainBreaks: number;
  conflicts: number;
  rejects: number;
  hashMismatches: number;
  /** any other station alert (a CLONE would mean the simulated traffic, or the server's judging, is wrong) */
  otherAlerts: number;
}

/**
 * Every record of every simulated station at the server exactly once: for each, its stored seqs are
 * 1..last with no gap or extra (the key (station, seq) makes each one unique), its acknowledged seq is
 * its last, and the server's own checks found nothing (chain breaks, conflicts, quarantined records,
 * hashes that did not match their records, or any other alert: the simulated traffic has no clone).
 * Portable SQL: the same check on SQLite and PostgreSQL.
 */
export async function checkExactlyOnce(db: SqlClient, lastSeqs: Map<string, number>): Promise<ExactlyOnce> {
  const rows = await db.all<{ stationId: string; n: number; lo: number; hi: number; acked: number }>(
    `SELECT j.station_id AS "stationId", count(*) AS n, min(j.seq) AS lo, max(j.seq) AS hi, max(s.acked_seq) AS acked
     FROM journal j JOIN stations s ON s.station_id = j.station_id WHERE j.station_id LIKE 'nat-%' GROUP BY j.station_id`,
  );
  const byId = new Map(rows.map((r) => [r.stationId, r]));
  const wrongStations: string[] = [];
  let records = 0;
  for (const [id, last] of lastSeqs) {
    const r = byId.get(id);
    records += r?.n ?? 0;
    if (last === 0 ? r !== undefined : !r || r.n !== last || r.lo !== 1 || r.hi !== last || r.acked !== last) wrongStations.push(id);
  }
  const count = async (sql: string) => (await db.get<{ n: number }>(sql))!.n;
  const chainBreaks = await count("SELECT count(*) AS n FROM station_alerts WHERE kind = 'CHAIN_BREAK' AND station_id LIKE 'nat-%'");
  const conflicts = await count("SELECT count(*) AS n FROM journal_conflicts WHERE station_id LIKE 'nat-%'");
  const rejects = await count("SELECT count(*) AS n FROM journal_rejects WHERE station_id LIKE 'nat-%'");
  const hashMismatches = await count("SELECT count(*) AS n FROM journal WHERE NOT hash_ok AND station_id LIKE 'nat-%'");
  const otherAlerts = await count("SELECT count(*) AS n FROM station_alerts WHERE kind <> 'CHAIN_BREAK' AND station_id LIKE 'nat-%'");
  return {
    ok: wrongStations.length === 0 && chainBreaks + conflicts + rejects + hashMismatches + otherAlerts === 0,
    stations: lastSeqs.size, records, wrongStations: wrongStations.slice(0, 20), chainBreaks, conflicts, rejects, hashMismatches, otherAlerts,
  };
}
