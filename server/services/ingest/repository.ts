import type { JournalRecord } from '../../../shared/contracts/journal.js';
import type { PassIdentity } from '../../../shared/codes/pass-ref.js';
import type { IngestContext } from '../../db/journal-columns.js';

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

/** What the server adds to each record of a batch (the journal row's server-only columns, server/db/journal-columns.ts). */
export type StoreContext = IngestContext;

/** A record to store, with the outcome of its own hash check. */
export interface NewRecord {
  record: JournalRecord;
  hashOk: boolean;
}

export interface PassAt {
  pass: PassIdentity;
  at: number;
}

export interface PassNeighbours {
  before: PassCrossing | undefined;
  after: PassCrossing | undefined;
}

export interface ExitQuery {
  pass: PassIdentity;
  province: number;
  from: number;
  to: number;
}

export interface CloneWithdrawal {
  pass: PassIdentity;
  /** the stations the alerts are attached to (the two entries') */
  stationIds: readonly [string, string];
  /** the province the exit left */
  province: number;
  at: number;
  now: number;
}

/** One station's new records of a group, with where and when they were received. */
export interface StationRecords {
  stationId: string;
  records: readonly NewRecord[];
  ctx: StoreContext;
}

/**
 * The ingest path's storage, one call per group of batches for each step (never one per record, nor
 * one per batch): a group of uploads from many stations costs SQLite a handful of settled promises
 * around prepared statements, and PostgreSQL a handful of round trips. Every method runs inside the
 * transaction the service opened for the group; `lockStations` serialises each station's batches
 * across server instances until that transaction ends, so the chain check and the acknowledged
 * watermark see them in order. Maps are keyed by station id.
 */
export interface IngestRepository {
  /**
   * Take these stations' ingest locks for the rest of the transaction. SQLite: nothing to do, its one
   * writer already runs one transaction at a time. PostgreSQL: `pg_advisory_xact_lock`, in one order
   * on every instance so that two groups sharing stations never deadlock.
   */
  lockStations(stationIds: readonly string[]): Promise<void>;
  /**
   * Take these passes' clone locks for the rest of the transaction, after the station locks. Clone
   * detection and withdrawal read other stations' records, which the station locks do not cover: two
   * entries of one pass committing at once on two instances would each miss the other. SQLite: nothing
   * to do (one writer). PostgreSQL: `pg_advisory_xact_lock(issuing province, pass id)`, in one order.
   */
  lockPasses(passes: readonly PassIdentity[]): Promise<void>;
  /**
   * What the group reads under its stations' locks, in one statement: the stored links at these seqs
   * of each station (those stored; a range read may add stored seqs between them), and each station's
   * acknowledged seq (0 for a station with no row).
   */
  readUnderLocks(wanted: ReadonlyMap<string, readonly number[]>): Promise<LockedRead>;
  /** stores the records not already stored; the seqs stored now, by station */
  insertMany(batches: readonly StationRecords[]): Promise<Map<string, Set<number>>>;
  /**
   * For each station, the highest seq reachable from its `from` with no gap, counting stored and
   * quarantined records, and its acknowledged seq raised to it (never lowered), in as few statements as
   * the walk takes (one, unless a station's run is longer than a page). Returns the heads found.
   */
  advanceHeads(from: ReadonlyMap<string, number>): Promise<Map<string, number>>;
  /** false when the same conflicting copy was already kept (a station retrying) */
  insertConflict(stationId: string, seq: number, receivedAt: number, record: JournalRecord): Promise<boolean>;
  /** keep an invalid record as sent; false when the same one was already kept */
  insertReject(stationId: string, seq: number | null, receivedAt: number, message: string, raw: string): Promise<boolean>;
  insertAlerts(alerts: readonly NewAlert[]): Promise<void>;
  /** for each query, the pass's nearest ALLOWed entries at any province's checkpoint before and after `at` */
  passEntriesAround(queries: readonly PassAt[]): Promise<PassNeighbours[]>;
  /** for each query, whether the pass has an ALLOWed exit at a checkpoint of `province` with from < at < to */
  passExitsBetween(queries: readonly ExitQuery[]): Promise<boolean[]>;
  /**
   * Closes the pass's open CLONE alerts, attached to these stations, that an exit from `province` at
   * `at` explains (the first stay was in that province and the exit falls between the two entries).
   * Returns how many were closed.
   */
  withdrawClones(list: readonly CloneWithdrawal[]): Promise<number>;
}

/** IngestRepository.readUnderLocks: links by station and seq, acknowledged seq by station */
export interface LockedRead {
  links: Map<string, Map<number, StoredLink>>;
  acked: Map<string, number>;
}

/** Why a clone alert was closed by the server itself (acknowledged_by stays NULL). */
export const withdrawnBecause = (province: number) => ` (withdrawn: an exit from province ${province} between the two entries arrived later)`;

/** Seqs a batch reads: its own and each one's neighbours, for duplicates and the chain check on both sides. */
export function seqsAround(seqs: readonly number[]): number[] {
  const out = new Set<number>();
  for (const s of seqs) {
    out.add(s);
    if (s > 1) out.add(s - 1);
    out.add(s + 1);
  }
  return [...out].sort((a, b) => a - b);
}
