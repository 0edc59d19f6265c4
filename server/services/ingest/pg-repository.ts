import type { JournalRecord } from '../../../shared/contracts/journal.js';
import { journalPgRow } from '../../db/journal-columns.js';
import type { PgClient } from '../../db/pg-client.js';
import { copyText } from '../../db/pg-copy.js';
import {
  withdrawnBecause, type CloneWithdrawal, type ExitQuery, type IngestRepository, type NewAlert, type NewRecord,
  type PassAt, type PassCrossing, type PassNeighbours, type StoreContext, type StoredLink,
} from './repository.js';

/**
 * Ingest on PostgreSQL: each step of a batch is one statement, whatever the batch's size. The records
 * go in by `COPY … FROM STDIN` (server/db/pg-copy.ts: no statement or JSON parse per row, heap pages
 * filled a page at a time); the smaller inputs travel as one JSON parameter expanded by
 * `json_to_recordset` (one SQL text, so one prepared statement per connection, and no
 * 65,535-parameter ceiling); seq lists as an array.
 *
 * Ordering and locking (several server instances on one database):
 * - `lockStation` takes `pg_advisory_xact_lock(hashtext(station_id))` first in the batch's
 *   transaction. Every ingest of that station, on any instance, takes it, so one station's batches
 *   apply one after the other: the duplicate check, the chain check on both sides of each record and
 *   the acknowledged watermark read what the batch before committed (READ COMMITTED gives each
 *   statement a snapshot taken after the lock was granted). Different stations never wait for each
 *   other. The lock is released by COMMIT or ROLLBACK, never by hand.
 * - (station, seq) is unique because of that lock and the lookup (`links`) that precedes each insert:
 *   only records the lookup did not find are copied. The journal is partitioned by month of `at`
 *   (PostgreSQL migration 0016), and a partitioned table's keys must include its partition column,
 *   so the key is (station_id, seq, at); the same record copied twice by a writer that did not take
 *   the lock fails its batch on that key (COPY has no ON CONFLICT), and the batch is rolled back.
 * - The watermark (`stations.acked_seq`) is written in the same transaction as the records, so it
 *   never acknowledges a record that is not committed.
 * - Clone detection reads other stations' records without their locks: two entries of one pass
 *   committing at the same instant on two instances may each miss the other (no alert); the later
 *   upload of either station's neighbour records does not repeat the check.
 */
export class PgIngestRepository implements IngestRepository {
  constructor(private readonly client: PgClient) {}

  async lockStation(stationId: string): Promise<void> {
    if (!this.client.inTransaction()) throw new Error('the station lock is taken inside the batch transaction');
    await this.client.get('SELECT pg_advisory_xact_lock(hashtext(?)) AS locked', [stationId]);
  }

  async links(stationId: string, seqs: readonly number[]): Promise<Map<number, StoredLink>> {
    const out = new Map<number, StoredLink>();
    if (seqs.length === 0) return out;
    // A batch's seqs are mostly consecutive: one range read (one descent of each month's key), not
    // one descent a seq; spread thin, the list. The key is (station_id, seq, at): no `at` here, so
    // every month's partition is read either way.
    const lo = seqs[0]!;
    const hi = seqs[seqs.length - 1]!;
    const rows = hi - lo < 4 * seqs.length + 16
      ? await this.client.all<StoredLink>('SELECT seq, hash, prev_hash AS "prevHash" FROM journal WHERE station_id = ? AND seq BETWEEN ? AND ?', [stationId, lo, hi])
      : await this.client.all<StoredLink>('SELECT seq, hash, prev_hash AS "prevHash" FROM journal WHERE station_id = ? AND seq = ANY(?::bigint[])', [stationId, `{${seqs.join(',')}}`]);
    for (const l of rows) out.set(l.seq, l);
    return out;
  }

  async insertMany(stationId: string, records: readonly NewRecord[], ctx: StoreContext): Promise<Set<number>> {
    if (records.length === 0) return new Set();
    const rows = records.map(({ record: r, hashOk }) => journalPgRow(r, ctx, hashOk));
    const columns = Object.keys(rows[0]!);
    const copied = await this.client.copyFrom(`COPY journal (${columns.join(', ')}) FROM STDIN`, copyText(columns, rows));
    if (copied !== rows.length) throw new Error(`COPY stored ${copied} of ${rows.length} journal records`);
    return new Set(records.map((r) => r.record.seq));
  }

  async ackedSeq(stationId: string): Promise<number> {
    return (await this.client.get<{ acked_seq: number }>('SELECT acked_seq FROM stations WHERE station_id = ?', [stationId]))?.acked_seq ?? 0;
  }

  async contiguousFrom(stationId: string, from: number): Promise<number> {
    // the first seq after `from` whose successor is missing, over stored and quarantined records
    const row = await this.client.get<{ head: number }>(
      `WITH s AS (SELECT seq FROM journal WHERE station_id = @stationId AND seq > @from
                  UNION SELECT seq FROM journal_rejects WHERE station_id = @stationId AND seq > @from),
            r AS (SELECT seq, seq - row_number() OVER (ORDER BY seq) AS run FROM s)
       SELECT max(seq) AS head FROM r WHERE run = @from`,
      { stationId, from },
    );
    return row?.head ?? from;
  }

  async setAckedSeq(stationId: string, seq: number): Promise<void> {
    await this.client.run('UPDATE stations SET acked_seq = ? WHERE station_id = ? AND acked_seq < ?', [seq, stationId, seq]);
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
