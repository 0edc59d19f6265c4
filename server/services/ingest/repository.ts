import type { JournalRecord } from '../../../shared/contracts/journal.js';
import type { PassIdentity } from '../../../shared/codes/pass-ref.js';
import type { SqliteHandle } from '../../db/database.js';

export interface StoredLink {
  seq: number;
  hash: string;
  prevHash: string;
}

export interface PassCrossing {
  stationId: string;
  seq: number;
  checkpointId: number;
  /** the province of the checkpoint */
  province: number;
  direction: 'entry' | 'exit';
  at: number;
}

export interface NewAlert {
  stationId: string | null;
  kind: 'CHAIN_BREAK' | 'SEQ_CONFLICT' | 'CLONE' | 'INVALID_RECORD';
  seq: number | null;
  passId: number | null;
  passProvince: number | null;
  message: string;
  details: Record<string, unknown> | null;
  createdAt: number;
}

/** The ingest path's storage: prepared once, positional parameters, run inside one transaction per batch. */
export interface IngestRepository {
  transaction<T>(fn: () => T): T;
  /** true if stored, false if (stationId, seq) was already there */
  insert(r: JournalRecord, ctx: { receivedAt: number; checkpointId: number; province: number; hashOk: boolean }): boolean;
  link(stationId: string, seq: number): StoredLink | undefined;
  /** stored hashes of a station's records with lo <= seq <= hi */
  hashesBetween(stationId: string, lo: number, hi: number): Map<number, string>;
  markHashMismatch(stationId: string, seq: number): void;
  ackedSeq(stationId: string): number;
  /** the highest seq reachable from `from` with no gap, counting stored and quarantined records */
  contiguousFrom(stationId: string, from: number): number;
  setAckedSeq(stationId: string, seq: number): void;
  /** false when the same conflicting copy was already kept (a station retrying) */
  insertConflict(stationId: string, seq: number, receivedAt: number, record: JournalRecord): boolean;
  /** keep an invalid record as sent; false when the same one was already kept */
  insertReject(stationId: string, seq: number | null, receivedAt: number, message: string, raw: string): boolean;
  insertAlert(a: NewAlert): void;
  /** the pass's nearest ALLOWed entry, at any province's checkpoint, before (or after) `at` */
  passEntryBefore(pass: PassIdentity, at: number): PassCrossing | undefined;
  passEntryAfter(pass: PassIdentity, at: number): PassCrossing | undefined;
  /**
   * Closes the pass's open CLONE alerts, attached to these stations, that an exit from `province` at
   * `at` explains (the first stay was in that province and the exit falls between the two entries).
   */
  withdrawClones(pass: PassIdentity, stationIds: readonly string[], province: number, at: number, now: number): number;
  /** whether the pass has an ALLOWed exit at a checkpoint of `province` with from < at < to */
  passExitBetween(pass: PassIdentity, province: number, from: number, to: number): boolean;
}

const PAGE = 4096;

export function sqliteIngestRepository(sqlite: SqliteHandle): IngestRepository {
  const insert = sqlite.prepare(
    `INSERT OR IGNORE INTO journal (station_id, seq, prev_hash, hash, at, received_at, checkpoint_id, province, kind, lane,
       direction, scanner_id, crossing_id, verdict, reasons, code_kind, pass_id, pass_province, pass_version, plate,
       citizen_id, payload_hash, officer, note, policy_version, hash_ok)
     VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
  );
  const link = sqlite.prepare<[string, number], StoredLink>('SELECT seq, hash, prev_hash AS prevHash FROM journal WHERE station_id = ? AND seq = ?');
  const between = sqlite.prepare<[string, number, number], { seq: number; hash: string }>(
    'SELECT seq, hash FROM journal WHERE station_id = ? AND seq BETWEEN ? AND ?',
  ).raw();
  const mismatch = sqlite.prepare('UPDATE journal SET hash_ok = 0 WHERE station_id = ? AND seq = ?');
  const acked = sqlite.prepare<[string], { acked_seq: number }>('SELECT acked_seq FROM stations WHERE station_id = ?');
  const seqsAfter = sqlite.prepare<[string, number, string, number, number], { seq: number }>(
    `SELECT seq FROM journal WHERE station_id = ? AND seq > ?
     UNION SELECT seq FROM journal_rejects WHERE station_id = ? AND seq > ?
     ORDER BY seq LIMIT ?`,
  ).pluck();
  const setAcked = sqlite.prepare('UPDATE stations SET acked_seq = ? WHERE station_id = ? AND acked_seq < ?');
  const conflict = sqlite.prepare(
    `INSERT INTO journal_conflicts (station_id, seq, received_at, record) SELECT @stationId, @seq, @receivedAt, @record
     WHERE NOT EXISTS (SELECT 1 FROM journal_conflicts WHERE station_id = @stationId AND seq = @seq AND record = @record)`,
  );
  const reject = sqlite.prepare(
    `INSERT INTO journal_rejects (station_id, seq, received_at, message, record) SELECT @stationId, @seq, @receivedAt, @message, @record
     WHERE NOT EXISTS (SELECT 1 FROM journal_rejects WHERE station_id = @stationId AND seq IS @seq AND record = @record)`,
  );
  const alert = sqlite.prepare(
    'INSERT INTO station_alerts (station_id, kind, seq, pass_id, pass_province, message, details, created_at) VALUES (?,?,?,?,?,?,?,?)',
  );
  const crossingCols = `station_id AS stationId, seq, checkpoint_id AS checkpointId, province, direction, at`;
  // Keyed by pass id AND issuing province: two provinces' pass 17 are different vehicles. Not scoped
  // to a province: a pass crosses every province's checkpoints (journal_pass_at_idx serves all three).
  const allowed = `pass_id = ? AND pass_province = ? AND kind = 'crossing' AND verdict = 'ALLOW'`;
  const before = sqlite.prepare<[number, number, number], PassCrossing>(
    `SELECT ${crossingCols} FROM journal WHERE ${allowed} AND direction = 'entry' AND at < ? ORDER BY at DESC LIMIT 1`,
  );
  const after = sqlite.prepare<[number, number, number], PassCrossing>(
    `SELECT ${crossingCols} FROM journal WHERE ${allowed} AND direction = 'entry' AND at > ? ORDER BY at ASC LIMIT 1`,
  );
  // acknowledged_by NULL: closed by the server itself; the message says why
  const withdraw = sqlite.prepare(
    `UPDATE station_alerts SET acknowledged_at = @now, message = message || @why
     WHERE pass_province = @passProvince AND pass_id = @passId AND pass_id IS NOT NULL AND station_id IN (@first, @second) AND kind = 'CLONE' AND acknowledged_at IS NULL
       AND json_extract(details, '$.first.province') = @province AND json_extract(details, '$.first.at') < @at AND json_extract(details, '$.second.at') > @at`,
  );
  const exitBetween = sqlite.prepare<[number, number, number, number, number], { one: number }>(
    `SELECT 1 AS one FROM journal WHERE ${allowed} AND direction = 'exit' AND province = ? AND at > ? AND at < ? LIMIT 1`,
  );

  return {
    transaction: (fn) => sqlite.transaction(fn).immediate(),
    insert(r, ctx) {
      return insert.run(
        r.stationId, r.seq, r.prevHash, r.hash, r.at, ctx.receivedAt, ctx.checkpointId, ctx.province, r.kind, r.lane,
        r.direction, r.scannerId, r.crossingId, r.verdict, r.reasons.join(','), r.codeKind, r.passId, r.passProvince, r.passVersion,
        r.plate, r.citizenId, r.payloadHash, r.officer, r.note, r.policyVersion, ctx.hashOk ? 1 : 0,
      ).changes === 1;
    },
    link: (stationId, seq) => link.get(stationId, seq),
    hashesBetween: (stationId, lo, hi) => new Map(between.all(stationId, lo, hi) as unknown as [number, string][]),
    markHashMismatch: (stationId, seq) => void mismatch.run(stationId, seq),
    ackedSeq: (stationId) => acked.get(stationId)?.acked_seq ?? 0,
    contiguousFrom(stationId, from) {
      let head = from;
      for (;;) {
        const seqs = seqsAfter.all(stationId, head, stationId, head, PAGE) as unknown as number[];
        for (const s of seqs) {
          if (s !== head + 1) return head;
          head = s;
        }
        if (seqs.length < PAGE) return head;
      }
    },
    setAckedSeq: (stationId, seq) => void setAcked.run(seq, stationId, seq),
    insertConflict: (stationId, seq, receivedAt, record) => conflict.run({ stationId, seq, receivedAt, record: JSON.stringify(record) }).changes === 1,
    insertReject: (stationId, seq, receivedAt, message, raw) => reject.run({ stationId, seq, receivedAt, message, record: raw }).changes === 1,
    insertAlert: (a) =>
      void alert.run(a.stationId, a.kind, a.seq, a.passId, a.passProvince, a.message, a.details === null ? null : JSON.stringify(a.details), a.createdAt),
    passEntryBefore: (p, at) => before.get(p.passId, p.issuingProvince, at),
    passEntryAfter: (p, at) => after.get(p.passId, p.issuingProvince, at),
    withdrawClones: (p, stationIds, province, at, now) =>
      withdraw.run({ first: stationIds[0], second: stationIds[1] ?? stationIds[0], passId: p.passId, passProvince: p.issuingProvince, province, at, now, why: ` (withdrawn: an exit from province ${province} between the two entries arrived later)` }).changes,
    passExitBetween: (p, province, from, to) => exitBetween.get(p.passId, p.issuingProvince, province, from, to) !== undefined,
  };
}
