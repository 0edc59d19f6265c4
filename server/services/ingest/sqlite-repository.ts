import type Database from 'better-sqlite3';
import { runJournalInsert, SQLITE_JOURNAL_INSERT } from '../../db/journal-columns.js';
import type { SqliteClient } from '../../db/sqlite-client.js';
import {
  withdrawnBecause, type CloneWithdrawal, type ExitQuery, type IngestRepository, type NewAlert, type NewRecord,
  type LockedRead, type PassAt, type PassCrossing, type PassNeighbours, type StationRecords, type StoredLink,
} from './repository.js';

const PAGE = 4096;

/**
 * Ingest on SQLite: statements prepared once on the raw better-sqlite3 connection and run
 * synchronously, so each method's promise is already settled when it returns and a batch costs a
 * few microtasks, not a thread hop per record. Runs only inside the transaction the service opened
 * through the SqliteClient (which queues every other caller behind it).
 */
export class SqliteIngestRepository implements IngestRepository {
  private readonly s;

  constructor(private readonly client: SqliteClient) {
    const db: Database.Database = client.raw;
    const crossingCols = 'station_id AS stationId, seq, checkpoint_id AS checkpointId, province, direction, at';
    // Keyed by pass id AND issuing province: two provinces' pass 17 are different vehicles. Not scoped
    // to a province: a pass crosses every province's checkpoints (journal_pass_at_idx serves all three).
    const allowed = `pass_id = ? AND pass_province = ? AND kind = 'crossing' AND verdict = 'ALLOW'`;
    this.s = {
      insert: db.prepare(`${SQLITE_JOURNAL_INSERT} ON CONFLICT (station_id, seq) DO NOTHING`),
      link: db.prepare<[string, number], StoredLink>('SELECT seq, hash, prev_hash AS prevHash FROM journal WHERE station_id = ? AND seq = ?'),
      between: db.prepare<[string, number, number], StoredLink>('SELECT seq, hash, prev_hash AS prevHash FROM journal WHERE station_id = ? AND seq BETWEEN ? AND ?'),
      acked: db.prepare<[string], { acked_seq: number }>('SELECT acked_seq FROM stations WHERE station_id = ?'),
      seqsAfter: db.prepare<[string, number, string, number, number], number>(
        `SELECT seq FROM journal WHERE station_id = ? AND seq > ?
         UNION SELECT seq FROM journal_rejects WHERE station_id = ? AND seq > ?
         ORDER BY seq LIMIT ?`,
      ).pluck(),
      setAcked: db.prepare('UPDATE stations SET acked_seq = ? WHERE station_id = ? AND acked_seq < ?'),
      conflict: db.prepare(
        `INSERT INTO journal_conflicts (station_id, seq, received_at, record) SELECT @stationId, @seq, @receivedAt, @record
         WHERE NOT EXISTS (SELECT 1 FROM journal_conflicts WHERE station_id = @stationId AND seq = @seq AND record = @record)`,
      ),
      reject: db.prepare(
        `INSERT INTO journal_rejects (station_id, seq, received_at, message, record) SELECT @stationId, @seq, @receivedAt, @message, @record
         WHERE NOT EXISTS (SELECT 1 FROM journal_rejects WHERE station_id = @stationId AND seq IS @seq AND record = @record)`,
      ),
      alert: db.prepare('INSERT INTO station_alerts (station_id, kind, seq, pass_id, pass_province, message, details, created_at) VALUES (?,?,?,?,?,?,?,?)'),
      before: db.prepare<[number, number, number], PassCrossing>(
        `SELECT ${crossingCols} FROM journal WHERE ${allowed} AND direction = 'entry' AND at < ? ORDER BY at DESC LIMIT 1`,
      ),
      after: db.prepare<[number, number, number], PassCrossing>(
        `SELECT ${crossingCols} FROM journal WHERE ${allowed} AND direction = 'entry' AND at > ? ORDER BY at ASC LIMIT 1`,
      ),
      exitBetween: db.prepare<[number, number, number, number, number], { one: number }>(
        `SELECT 1 AS one FROM journal WHERE ${allowed} AND direction = 'exit' AND province = ? AND at > ? AND at < ? LIMIT 1`,
      ),
      withdraw: db.prepare(
        `UPDATE station_alerts SET acknowledged_at = @now, message = message || @why
         WHERE pass_province = @passProvince AND pass_id = @passId AND pass_id IS NOT NULL AND station_id IN (@first, @second) AND kind = 'CLONE' AND acknowledged_at IS NULL
           AND json_extract(details, '$.first.province') = @province AND json_extract(details, '$.first.at') < @at AND json_extract(details, '$.second.at') > @at`,
      ),
    };
  }

  async lockStations(): Promise<void> {
    // one writer: the transaction itself (BEGIN IMMEDIATE) serialises every station's batches
  }

  async lockPasses(): Promise<void> {
    // one writer: no other transaction's records can be in flight while clones are judged
  }

  async readUnderLocks(wanted: ReadonlyMap<string, readonly number[]>): Promise<LockedRead> {
    const links = new Map<string, Map<number, StoredLink>>();
    const acked = new Map<string, number>();
    for (const [stationId, seqs] of wanted) {
      links.set(stationId, this.stationLinks(stationId, seqs));
      acked.set(stationId, this.s.acked.get(stationId)?.acked_seq ?? 0);
    }
    return { links, acked };
  }

  private stationLinks(stationId: string, seqs: readonly number[]): Map<number, StoredLink> {
    const out = new Map<number, StoredLink>();
    if (seqs.length === 0) return out;
    const lo = seqs[0]!;
    const hi = seqs[seqs.length - 1]!;
    // a batch's seqs are mostly consecutive: one range read; spread thin, one indexed read each
    if (hi - lo < 4 * seqs.length + 16) {
      for (const l of this.s.between.all(stationId, lo, hi)) out.set(l.seq, l);
    } else {
      for (const seq of seqs) {
        const l = this.s.link.get(stationId, seq);
        if (l) out.set(seq, l);
      }
    }
    return out;
  }

  async insertMany(batches: readonly StationRecords[]): Promise<Map<string, Set<number>>> {
    if (!this.client.inTransaction()) throw new Error('ingest writes run inside the batch transaction');
    const out = new Map<string, Set<number>>();
    for (const { stationId, records, ctx } of batches) {
      const stored = out.get(stationId) ?? new Set<number>();
      out.set(stationId, stored);
      for (const { record: r, hashOk } of records) {
        if (runJournalInsert(this.s.insert, r, ctx, hashOk).changes === 1) stored.add(r.seq);
      }
    }
    return out;
  }

  async advanceHeads(from: ReadonlyMap<string, number>): Promise<Map<string, number>> {
    const heads = new Map<string, number>();
    for (const [stationId, seq] of from) {
      const head = this.contiguous(stationId, seq);
      this.s.setAcked.run(head, stationId, head);
      heads.set(stationId, head);
    }
    return heads;
  }

  private contiguous(stationId: string, from: number): number {
    let head = from;
    for (;;) {
      const seqs = this.s.seqsAfter.all(stationId, head, stationId, head, PAGE);
      for (const s of seqs) {
        if (s !== head + 1) return head;
        head = s;
      }
      if (seqs.length < PAGE) return head;
    }
  }

  async insertConflict(stationId: string, seq: number, receivedAt: number, record: object): Promise<boolean> {
    return this.s.conflict.run({ stationId, seq, receivedAt, record: JSON.stringify(record) }).changes === 1;
  }

  async insertReject(stationId: string, seq: number | null, receivedAt: number, message: string, raw: string): Promise<boolean> {
    return this.s.reject.run({ stationId, seq, receivedAt, message, record: raw }).changes === 1;
  }

  async insertAlerts(alerts: readonly NewAlert[]): Promise<void> {
    for (const a of alerts) {
      this.s.alert.run(a.stationId, a.kind, a.seq, a.passId, a.passProvince, a.message, a.details === null ? null : JSON.stringify(a.details), a.createdAt);
    }
  }

  async passEntriesAround(queries: readonly PassAt[]): Promise<PassNeighbours[]> {
    return queries.map(({ pass: p, at }) => ({
      before: this.s.before.get(p.passId, p.issuingProvince, at),
      after: this.s.after.get(p.passId, p.issuingProvince, at),
    }));
  }

  async passExitsBetween(queries: readonly ExitQuery[]): Promise<boolean[]> {
    return queries.map((q) => this.s.exitBetween.get(q.pass.passId, q.pass.issuingProvince, q.province, q.from, q.to) !== undefined);
  }

  async withdrawClones(list: readonly CloneWithdrawal[]): Promise<number> {
    let closed = 0;
    for (const w of list) {
      closed += this.s.withdraw.run({
        first: w.stationIds[0], second: w.stationIds[1], passId: w.pass.passId, passProvince: w.pass.issuingProvince,
        province: w.province, at: w.at, now: w.now, why: withdrawnBecause(w.province),
      }).changes;
    }
    return closed;
  }
}
