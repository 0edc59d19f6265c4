import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { FeedItem, PassFacts, PersonFacts } from '../../shared/contracts/feed.js';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import type { PassIdentity } from '../../shared/codes/pass-ref.js';
import type { ChainCheck } from '../../shared/journal/hash-chain.js';
import type { Crossing } from '../../shared/rules/crossing.js';
import type { SignedDocument } from '../../shared/trust/signed-document.js';
import { FeedCache, type ApplyOptions, type DocumentName, type SnapshotWriter, type SyncState } from './cache.js';
import { StoreError } from './errors.js';
import { Journal, type DecisionWrite } from './journal.js';

export type { ApplyOptions, DocumentName, SnapshotWriter, SyncState } from './cache.js';
export type { DecisionWrite, PresenceWrite, RecordDraft } from './journal.js';
export { StoreError } from './errors.js';

/** The station's local store. Driver types (better-sqlite3, drizzle) stay behind this interface. */
export interface StationStore {
  readonly path: string;
  // The cache, filled by seeding and the sync client.
  applyFeedItems(items: readonly FeedItem[], opts: ApplyOptions): { applied: number };
  beginSnapshot(): SnapshotWriter;
  /** a pass is known by its issuing province and id together */
  getPass(id: PassIdentity): PassFacts | null;
  /** the officer's manual lookup when a code cannot be read: cached passes by plate, typed with or without '-' and '.' */
  passesByPlate(plate: string, limit?: number): PassFacts[];
  getPerson(citizenId: string): PersonFacts | null;
  zoneLevel(zone: string): 1 | 2 | 3 | 4 | null;
  document(name: DocumentName): SignedDocument | null;
  documentsRevision(): number;
  syncState(): SyncState;
  // The journal, the outbox and what decisions leave behind.
  isInside(key: string): boolean;
  openCrossings(): Crossing[];
  appendDecision(write: DecisionWrite): JournalRecord[];
  lastSeq(): number;
  outboxBatch(limit: number, afterSeq?: number): JournalRecord[];
  ackOutbox(uptoSeq: number): number;
  outboxBacklog(): number;
  journalSince(seq: number, limit?: number): JournalRecord[];
  verifyChain(): ChainCheck & { records: number };
  /**
   * Retention: clear the personal fields of acknowledged records (not in the outbox) whose station
   * time is older than `retentionDays` before `now`. Returns how many records were cleared.
   */
  purgePersonalData(now: number, retentionDays: number, maxRecords?: number): { records: number; cutoff: number };
  /** the pragmas in effect, for start-up logs and tests */
  pragmas(): { journalMode: string; synchronous: number; foreignKeys: number; busyTimeout: number; cacheSize: number };
  close(): void;
}

export interface StoreOptions {
  /** SQLite page cache in KiB; modest so that RSS stays small with millions of cached rows */
  cacheSizeKb?: number;
  /**
   * FULL (default): a committed decision survives power loss; costs one fsync per decision (about 2-3 ms on
   * this project's disks). NORMAL: survives a killed process (the OS still holds the WAL) but may lose the
   * last commits on power loss; no fsync per decision.
   */
  synchronous?: 'FULL' | 'NORMAL';
  /** WAL pages before SQLite checkpoints inside a commit (default 1000); 0 leaves checkpoints to the caller */
  walAutocheckpoint?: number;
}

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** Open (creating if needed) the store at `path`, or an in-memory one for tests with ':memory:'. */
export function openStationStore(path: string, opts: StoreOptions = {}): StationStore {
  const client = new Database(path);
  try {
    if (path !== ':memory:') client.pragma('journal_mode = WAL');
    client.pragma(`synchronous = ${opts.synchronous ?? 'FULL'}`);
    client.pragma('foreign_keys = ON');
    client.pragma('busy_timeout = 5000');
    client.pragma(`cache_size = -${opts.cacheSizeKb ?? 8192}`);
    client.pragma('temp_store = FILE');
    if (opts.walAutocheckpoint !== undefined) client.pragma(`wal_autocheckpoint = ${opts.walAutocheckpoint}`);
    const db = drizzle({ client });
    try {
      migrate(db, { migrationsFolder: MIGRATIONS });
    } catch (err) {
      throw new StoreError('MIGRATION_FAILED', `could not migrate the station store at ${path}: ${(err as Error).message}`);
    }
    const cache = new FeedCache(db, client);
    const journal = new Journal(db, client);
    return {
      path,
      applyFeedItems: (items, o) => cache.applyFeedItems(items, o),
      beginSnapshot: () => cache.beginSnapshot(),
      getPass: (id) => cache.getPass(id),
      passesByPlate: (plate, limit) => cache.passesByPlate(plate, limit),
      getPerson: (id) => cache.getPerson(id),
      zoneLevel: (zone) => cache.zoneLevel(zone),
      document: (name) => cache.document(name),
      documentsRevision: () => cache.documentsRevision(),
      syncState: () => cache.syncState(),
      isInside: (key) => journal.isInside(key),
      openCrossings: () => journal.openCrossings(),
      appendDecision: (w) => journal.appendDecision(w),
      lastSeq: () => journal.lastSeq(),
      outboxBatch: (limit, afterSeq) => journal.outboxBatch(limit, afterSeq),
      ackOutbox: (upto) => journal.ackOutbox(upto),
      outboxBacklog: () => journal.outboxBacklog(),
      journalSince: (seq, limit) => journal.journalSince(seq, limit),
      verifyChain: () => journal.verifyChain(),
      purgePersonalData: (now, days, max) => journal.purgePersonalData(now, days, max),
      pragmas: () => ({
        journalMode: String(client.pragma('journal_mode', { simple: true })),
        synchronous: Number(client.pragma('synchronous', { simple: true })),
        foreignKeys: Number(client.pragma('foreign_keys', { simple: true })),
        busyTimeout: Number(client.pragma('busy_timeout', { simple: true })),
        cacheSize: Number(client.pragma('cache_size', { simple: true })),
      }),
      close: () => {
        if (client.open) client.close();
      },
    };
  } catch (err) {
    client.close();
    throw err;
  }
}
