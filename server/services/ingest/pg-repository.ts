import type { PassIdentity } from '../../../shared/codes/pass-ref.js';
import type { JournalRecord } from '../../../shared/contracts/journal.js';
import { journalPgRow } from '../../db/journal-columns.js';
import type { PgClient } from '../../db/pg-client.js';
import { copyText } from '../../db/pg-copy.js';
import {
  withdrawnBecause, type CloneWithdrawal, type ExitQuery, type IngestRepository, type NewAlert, type NewRecord,
  type LockedRead, type PassAt, type PassCrossing, type PassNeighbours, type StationRecords, type StoreContext, type StoredLink,
} from './repository.js';

/**
 * Ingest on PostgreSQL: each step of a group of batches is one statement, whatever the group's size
 * and however many stations it holds. A large group's records go in by `COPY … FROM STDIN`
 * (server/db/pg-copy.ts: no statement or JSON parse per row, heap pages filled a page at a time), a
 * small one's in one INSERT (`insertMany`); the smaller inputs travel as one JSON parameter expanded by
 * `json_to_recordset` (one SQL text, so one prepared statement per connection, and no 65,535-parameter
 * ceiling).
 *
 * Ordering and locking (several server instances on one database):
 * - `lockStations` takes `pg_advisory_xact_lock(hashtext(station_id))` of each station first in the
 *   group's transaction, in ascending key order (so two groups sharing stations, on any instances,
 *   never wait for each other in a cycle). Every ingest of that station takes it, so one station's batches
 *   apply one after the other: the duplicate check, the chain check on both sides of each record and
 *   the acknowledged watermark read what the batch before committed (READ COMMITTED gives each
 *   statement a snapshot taken after the lock was granted). Different stations never wait for each
 *   other. The lock is released by COMMIT or ROLLBACK, never by hand.
 * - (station, seq) is unique because of that lock and the lookup (`readUnderLocks`) that precedes each insert:
 *   only records the lookup did not find are copied. The journal is partitioned by month of `at`
 *   (PostgreSQL migration 0016), and a partitioned table's keys must include its partition column,
 *   so the key is (station_id, seq, at); the same record copied twice by a writer that did not take
 *   the lock fails its batch on that key (COPY has no ON CONFLICT), and the batch is rolled back.
 * - The watermark (`stations.acked_seq`) is written in the same transaction as the records, so it
 *   never acknowledges a record that is not committed.
 * - Clone detection and withdrawal read other stations' records, which the station locks do not
 *   cover: `lockPasses` takes `pg_advisory_xact_lock(issuing province, pass id)` of every pass the
 *   group's ALLOWed crossings name, after the station locks and in ascending order, before judging.
 *   Two entries of one pass committing at once on two instances are then judged one after the
 *   other, and the second sees the first (without it each missed the other and no alert was raised;
 *   an exit and the entry it explains likewise).
 */
export class PgIngestRepository implements IngestRepository {
  /**
   * `headPage`: seqs read past a station's head at a time when finding its contiguous head.
   * `copyFromRows`: a group of at least this many records goes in by COPY, a smaller one by one INSERT.
   */
  constructor(private readonly client: PgClient, private readonly headPage = 5000, private readonly copyFromRows = 200) {}

  async lockStations(stationIds: readonly string[]): Promise<void> {
    if (!this.client.inTransaction()) throw new Error('the station locks are taken inside the group transaction');
    // one key order everywhere: the sort happens below the lock calls, which run row by row in its order
    await this.client.all(
      `SELECT pg_advisory_xact_lock(k) AS locked FROM (SELECT DISTINCT hashtext(s) AS k FROM json_array_elements_text(?::json) AS s ORDER BY 1) AS keys`,
      [JSON.stringify(stationIds)],
    );
  }

  async lockPasses(passes: readonly PassIdentity[]): Promise<void> {
    if (passes.length === 0) return;
    if (!this.client.inTransaction()) throw new Error('the pass locks are taken inside the group transaction');
    // the two-int key space: (issuing province, pass id modulo 2^31); the named locks' first int is
    // NAMESPACE, which no province code reaches. Two passes sharing a key only wait for each other.
    await this.client.all(
      `SELECT pg_advisory_xact_lock(p, k) AS locked FROM (SELECT DISTINCT p, (id % 2147483648)::int AS k FROM json_to_recordset(?::json) AS t(p int, id bigint) ORDER BY 1, 2) AS keys`,
      [JSON.stringify(passes.map((x) => ({ p: x.issuingProvince, id: x.passId })))],
    );
  }

  async readUnderLocks(wanted: ReadonlyMap<string, readonly number[]>): Promise<LockedRead> {
    const out = new Map<string, Map<number, StoredLink>>([...wanted.keys()].map((id) => [id, new Map()]));
    const acked = new Map<string, number>([...wanted.keys()].map((id) => [id, 0]));
    // A batch's seqs are mostly consecutive: one range read (one descent of each month's key), not
    // one descent a seq; spread thin, the list. The key is (station_id, seq, at): no `at` here, so
    // every month's partition is read either way.
    const ranges: { station_id: string; lo: number; hi: number }[] = [];
    const lists: { station_id: string; seqs: readonly number[] }[] = [];
    for (const [station_id, seqs] of wanted) {
      if (seqs.length === 0) continue;
      const lo = seqs[0]!;
      const hi = seqs[seqs.length - 1]!;
      if (hi - lo < 4 * seqs.length + 16) ranges.push({ station_id, lo, hi });
      else lists.push({ station_id, seqs });
    }
    // Per station an index probe. OFFSET 0 keeps each subquery a subquery: flattened into a join, a
    // planner without statistics yet (a new month's partition) hashes the whole journal to find a
    // few hundred rows (60 ms instead of 1.4 ms for 46 stations). The stations' acknowledged seqs come
    // in the same statement, as rows with a NULL hash: one round trip fewer for every group (each
    // statement waits a turn of a busy event loop while the group holds its locks).
    const rows = await this.client.all<{ stationId: string; seq: number; hash: string | null; prevHash: string | null }>(
      `SELECT q.station_id AS "stationId", j.seq, j.hash, j.prev_hash AS "prevHash"
       FROM json_to_recordset(@ranges::json) AS q(station_id text, lo bigint, hi bigint)
       CROSS JOIN LATERAL (SELECT seq, hash, prev_hash FROM journal WHERE station_id = q.station_id AND seq BETWEEN q.lo AND q.hi OFFSET 0) AS j
       UNION ALL
       SELECT q.station_id, j.seq, j.hash, j.prev_hash
       FROM json_to_recordset(@lists::json) AS q(station_id text, seqs bigint[])
       CROSS JOIN LATERAL (SELECT seq, hash, prev_hash FROM journal WHERE station_id = q.station_id AND seq = ANY(q.seqs) OFFSET 0) AS j
       UNION ALL
       SELECT station_id, acked_seq, NULL, NULL FROM stations WHERE station_id = ANY(ARRAY(SELECT json_array_elements_text(@stations::json)))`,
      { ranges: JSON.stringify(ranges), lists: JSON.stringify(lists), stations: JSON.stringify([...wanted.keys()]) },
    );
    for (const { stationId, seq, hash, prevHash } of rows) {
      if (hash === null) acked.set(stationId, seq);
      else out.get(stationId)!.set(seq, { seq, hash, prevHash: prevHash! });
    }
    return { links: out, acked };
  }

  async insertMany(batches: readonly StationRecords[]): Promise<Map<string, Set<number>>> {
    const out = new Map<string, Set<number>>(batches.map((b) => [b.stationId, new Set()]));
    const rows = batches.flatMap(({ records, ctx }) => records.map(({ record: r, hashOk }) => journalPgRow(r, ctx, hashOk)));
    if (rows.length === 0) return out;
    const keys = Object.keys(rows[0]!);
    const columns = keys.join(', ');
    // COPY is the cheaper way in by the record (server/db/pg-copy.ts) but costs a round trip more: the
    // server asks for the data, and the rows follow on the event loop's next turn, the group's
    // station locks held meanwhile. At the national peak a group holds about 18 records, and that
    // turn was most of COPY's 3.8–5.8 ms (pg_stat_statements). A small group's rows travel as one
    // JSON parameter instead (values already typed as the columns are: text, numbers, booleans).
    const stored = rows.length >= this.copyFromRows
      ? await this.client.copyFrom(`COPY journal (${columns}) FROM STDIN`, copyText(keys, rows))
      : (await this.client.run(`INSERT INTO journal (${columns}) SELECT ${columns} FROM json_populate_recordset(NULL::journal, ?::json)`, [JSON.stringify(rows)])).changes;
    if (stored !== rows.length) throw new Error(`ingest stored ${stored} of ${rows.length} journal records`);
    for (const { stationId, records } of batches) for (const r of records) out.get(stationId)!.add(r.record.seq);
    return out;
  }

  async advanceHeads(from: ReadonlyMap<string, number>): Promise<Map<string, number>> {
    const heads = new Map<string, number>();
    let todo = new Map(from);
    // A page of seqs past each head at a time, read along the key in order (ORDER BY seq LIMIT: an
    // index-only walk whatever the statistics say; unbounded, `seq > from` was estimated as a third of a
    // station's rows and planned as a bitmap scan with a hash and a sort), and each head written in the
    // same statement. The rows are locked in station order first, as heartbeats lock them
    // (server/services/stations/repository.ts), so a group's heartbeats and a group's acknowledgements
    // sharing stations never deadlock: the array of locked ids is built whole, in that order, before the
    // update reads it. The stations are found by their key (`= ANY(ARRAY(…))`), never by reading the
    // table: a station's row is rewritten at each acknowledgement and heartbeat, and at the national
    // peak the table held 2,000 rows in 443 pages, which two sequential scans read at every call (755
    // blocks a call, 3.6–4.9 ms). A station whose page was all one run goes on from its new head.
    while (todo.size > 0) {
      const rows = await this.client.all<{ station_id: string; head: number }>(
        `WITH q AS (SELECT * FROM json_to_recordset(@from::json) AS q(station_id text, from_seq bigint)),
         h AS (
           SELECT q.station_id, coalesce(h.head, q.from_seq) AS head FROM q
           CROSS JOIN LATERAL (
             SELECT max(seq) FILTER (WHERE run = q.from_seq) AS head FROM (
               SELECT seq, seq - row_number() OVER (ORDER BY seq) AS run FROM (
                 (SELECT seq FROM journal WHERE station_id = q.station_id AND seq > q.from_seq ORDER BY seq LIMIT @page)
                 UNION
                 (SELECT seq FROM journal_rejects WHERE station_id = q.station_id AND seq > q.from_seq ORDER BY seq LIMIT @page)) AS s) AS r) AS h),
         locked AS (SELECT station_id FROM stations WHERE station_id = ANY(ARRAY(SELECT station_id FROM q)) ORDER BY station_id FOR UPDATE),
         raised AS (
           UPDATE stations s SET acked_seq = h.head FROM h
           WHERE s.station_id = ANY(ARRAY(SELECT station_id FROM locked)) AND s.station_id = h.station_id AND s.acked_seq < h.head)
         SELECT station_id, head FROM h`,
        { from: JSON.stringify([...todo].map(([station_id, from_seq]) => ({ station_id, from_seq }))), page: this.headPage },
      );
      const next = new Map<string, number>();
      for (const r of rows) {
        heads.set(r.station_id, r.head);
        // the whole page (or more: journal and rejects together) continued the run: there may be more
        if (r.head - todo.get(r.station_id)! >= this.headPage) next.set(r.station_id, r.head);
      }
      todo = next;
    }
    return heads;
  }

  async insertConflict(stationId: string, seq: number, receivedAt: number, record: JournalRecord): Promise<boolean> {
    const r = await this.client.run(
      `INSERT INTO journal_conflicts (station_id, seq, received_at, record)
       SELECT @stationId, CAST(@seq AS bigint), CAST(@receivedAt AS bigint), CAST(@record AS jsonb)
       WHERE NOT EXISTS (SELECT 1 FROM journal_conflicts WHERE station_id = @stationId AND seq = CAST(@seq AS bigint) AND record = CAST(@record AS jsonb))`,
      { stationId, seq, receivedAt, record: JSON.stringify(record) },
    );
    return r.changes === 1;
  }

  async insertReject(stationId: string, seq: number | null, receivedAt: number, message: string, raw: string): Promise<boolean> {
    const r = await this.client.run(
      `INSERT INTO journal_rejects (station_id, seq, received_at, message, record)
       SELECT @stationId, CAST(@seq AS bigint), CAST(@receivedAt AS bigint), @message, @record
       WHERE NOT EXISTS (SELECT 1 FROM journal_rejects WHERE station_id = @stationId AND seq IS NOT DISTINCT FROM CAST(@seq AS bigint) AND record = @record)`,
      { stationId, seq, receivedAt, message, record: raw },
    );
    return r.changes === 1;
  }

  async insertAlerts(alerts: readonly NewAlert[]): Promise<void> {
    if (alerts.length === 0) return;
    const rows = alerts.map((a) => ({
      station_id: a.stationId, kind: a.kind, seq: a.seq, pass_id: a.passId, pass_province: a.passProvince,
      message: a.message, details: a.details, created_at: a.createdAt,
    }));
    await this.client.run(
      `INSERT INTO station_alerts (station_id, kind, seq, pass_id, pass_province, message, details, created_at)
       SELECT station_id, kind, seq, pass_id, pass_province, message, details, created_at
       FROM json_to_recordset(?::json) AS a(station_id text, kind text, seq bigint, pass_id bigint, pass_province bigint, message text, details jsonb, created_at bigint)`,
      [JSON.stringify(rows)],
    );
  }

  async passEntriesAround(queries: readonly PassAt[]): Promise<PassNeighbours[]> {
    if (queries.length === 0) return [];
    const q = queries.map(({ pass, at }, i) => ({ i, pass_id: pass.passId, pass_province: pass.issuingProvince, at }));
    const entry = (cmp: '<' | '>', order: 'DESC' | 'ASC') =>
      `LEFT JOIN LATERAL (SELECT station_id, seq, checkpoint_id, province, at FROM journal j
         WHERE j.pass_id = q.pass_id AND j.pass_province = q.pass_province AND j.kind = 'crossing' AND j.verdict = 'ALLOW'
           AND j.direction = 'entry' AND j.at ${cmp} q.at ORDER BY j.at ${order} LIMIT 1)`;
    const rows = await this.client.all<Record<string, number | string | null>>(
      `SELECT q.i, b.station_id AS b_station, b.seq AS b_seq, b.checkpoint_id AS b_checkpoint, b.province AS b_province, b.at AS b_at,
              a.station_id AS a_station, a.seq AS a_seq, a.checkpoint_id AS a_checkpoint, a.province AS a_province, a.at AS a_at
       FROM json_to_recordset(?::json) AS q(i int, pass_id bigint, pass_province bigint, at bigint)
       ${entry('<', 'DESC')} b ON true
       ${entry('>', 'ASC')} a ON true
       ORDER BY q.i`,
      [JSON.stringify(q)],
    );
    const crossing = (row: Record<string, number | string | null>, p: 'a' | 'b'): PassCrossing | undefined =>
      row[`${p}_station`] === null ? undefined : {
        stationId: row[`${p}_station`] as string, seq: row[`${p}_seq`] as number, checkpointId: row[`${p}_checkpoint`] as number,
        province: row[`${p}_province`] as number, direction: 'entry', at: row[`${p}_at`] as number,
      };
    return rows.map((row) => ({ before: crossing(row, 'b'), after: crossing(row, 'a') }));
  }

  async passExitsBetween(queries: readonly ExitQuery[]): Promise<boolean[]> {
    if (queries.length === 0) return [];
    const q = queries.map((e, i) => ({ i, pass_id: e.pass.passId, pass_province: e.pass.issuingProvince, province: e.province, lo: e.from, hi: e.to }));
    const rows = await this.client.all<{ found: number }>(
      `SELECT EXISTS (SELECT 1 FROM journal j WHERE j.pass_id = q.pass_id AND j.pass_province = q.pass_province AND j.kind = 'crossing'
                        AND j.verdict = 'ALLOW' AND j.direction = 'exit' AND j.province = q.province AND j.at > q.lo AND j.at < q.hi) AS found
       FROM json_to_recordset(?::json) AS q(i int, pass_id bigint, pass_province bigint, province bigint, lo bigint, hi bigint)
       ORDER BY q.i`,
      [JSON.stringify(q)],
    );
    return rows.map((r) => r.found === 1);
  }

  async withdrawClones(list: readonly CloneWithdrawal[]): Promise<number> {
    if (list.length === 0) return 0;
    const q = list.map((w) => ({
      first: w.stationIds[0], second: w.stationIds[1], pass_id: w.pass.passId, pass_province: w.pass.issuingProvince,
      province: w.province, at: w.at, now: w.now, why: withdrawnBecause(w.province),
    }));
    const r = await this.client.run(
      `UPDATE station_alerts s SET acknowledged_at = q.now, message = s.message || q.why
       FROM json_to_recordset(?::json) AS q(first text, second text, pass_id bigint, pass_province bigint, province bigint, at bigint, now bigint, why text)
       WHERE s.pass_province = q.pass_province AND s.pass_id = q.pass_id AND s.station_id IN (q.first, q.second)
         AND s.kind = 'CLONE' AND s.acknowledged_at IS NULL
         AND (s.details->'first'->>'province')::bigint = q.province
         AND (s.details->'first'->>'at')::bigint < q.at AND (s.details->'second'->>'at')::bigint > q.at`,
      [JSON.stringify(q)],
    );
    return r.changes;
  }
}
