import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import type { FeedItem, HealthFlag, PassFacts, PassStatusItem } from '../../shared/contracts/feed.js';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import type { PassIdentity } from '../../shared/codes/pass-ref.js';
import type { ChainCheck } from '../../shared/journal/hash-chain.js';
import type { Crossing } from '../../shared/rules/crossing.js';
import type { SignedDocument } from '../../shared/trust/signed-document.js';
import { CACHE_GENERATIONS, FeedCache, type ApplyOptions, type DocumentName, type StoredDocument, type SnapshotWriter, type SyncState } from './cache.js';
import { StoreError } from './errors.js';
import { Journal, type DecisionWrite } from './journal.js';
import { Outbox } from './outbox.js';
import { reserveWal } from './wal-reserve.js';

export type { ApplyOptions, DocumentName, SnapshotWriter, SyncState } from './cache.js';
export type { DecisionWrite, PresenceWrite, RecordDraft } from './journal.js';
export { StoreError } from './errors.js';

/**
 * The station's local store, in two SQLite files so that the thread deciding scans never waits on a
 * lock the link holds: the journal file (journal, presence, open crossings) is written only by the
 * deciding thread; the cache file (whitelist, documents, sync cursor, upload watermark) only by the
 * link. Each reads the other's file, and in WAL mode a reader never waits for a writer.
 * Driver types (better-sqlite3, drizzle) stay behind this interface.
 */
export interface StationStore {
  /** the journal file */
  readonly path: string;
  /** the cache file */
  readonly cachePath: string;
  // The cache, filled by seeding and the sync client.
  applyFeedItems(items: readonly FeedItem[], opts: ApplyOptions): { applied: number };
  beginSnapshot(): SnapshotWriter;
  /** run several cache lookups against one state of the cache (a decision's), whatever the link commits meanwhile */
  readCache<T>(fn: () => T): T;
  /** a pass is known by its issuing province and id together */
  getPass(id: PassIdentity): PassFacts | null;
  /** the officer's manual lookup when a code cannot be read: cached passes by plate, typed with or without '-' and '.' */
  passesByPlate(plate: string, limit?: number): PassFacts[];
  /** one slice of the passes whose plate contains what was typed (no index: walked in slices, see the screen's lookup) */
  passesWithPlateInside(plate: string, from: number, span: number, limit?: number): { passes: PassFacts[]; next: number | null };
  /** the person's line of the national health-flag list (F0/F1, positive test); null for most people */
  healthFlag(citizenId: string): HealthFlag | null;
  /** the pass's line of the national list of passes not ACTIVE, whatever its route; null for most passes */
  passStatus(id: PassIdentity): PassStatusItem | null;
  zoneLevel(zone: string): 1 | 2 | 3 | 4 | null;
  document<N extends DocumentName>(name: N): StoredDocument<N> | null;
  documentsRevision(): number;
  syncState(): SyncState;
  // The journal and what decisions leave behind.
  isInside(key: string): boolean;
  openCrossings(): Crossing[];
  appendDecision(write: DecisionWrite): JournalRecord[];
  lastSeq(): number;
  // The outbox: the journal above the upload watermark.
  outboxBatch(limit: number, afterSeq?: number): JournalRecord[];
  /** the server holds every record up to `uptoSeq`; returns how many left the outbox */
  ackOutbox(uptoSeq: number): number;
  /** the server lost records it had acknowledged (a failover): they re-enter the outbox; returns how many */
  rewindOutbox(toSeq: number): number;
  ackedSeq(): number;
  outboxBacklog(): number;
  journalSince(seq: number, limit?: number): JournalRecord[];
  verifyChain(): ChainCheck & { records: number };
  /**
   * Retention: clear the personal fields of acknowledged records (at or below the upload watermark)
   * whose station time is older than `retentionDays` before `now`. Returns how many records were cleared.
   */
  purgePersonalData(now: number, retentionDays: number, maxRecords?: number): { records: number; cutoff: number };
  /** the journal connection's pragmas, for start-up logs and tests */
  pragmas(): { journalMode: string; synchronous: number; foreignKeys: number; busyTimeout: number; cacheSize: number; walAutocheckpoint: number };
  close(): void;
}

export interface StoreOptions {
  /** SQLite page cache in KiB per connection; modest so that RSS stays small with millions of cached rows */
  cacheSizeKb?: number;
  /**
   * The journal's durability. FULL (default): a committed decision survives power loss; costs one fsync
   * per decision. NORMAL: survives a killed process (the OS still holds the WAL) but may lose the last
   * commits on power loss; no fsync per decision. (The cache file is always NORMAL: a cache rolled
   * back by a power cut is rolled back with its cursor, and the next sync brings it forward again.)
   */
  synchronous?: 'FULL' | 'NORMAL';
  /**
   * Journal WAL pages before SQLite checkpoints inside a commit (default 1000). 0 leaves checkpoints to
   * someone else: the link worker checkpoints the journal file, so the deciding thread never writes
   * the database file nor fsyncs it for a checkpoint.
   */
  walAutocheckpoint?: number;
  /** the cache file (default: beside the journal file, `<name>-cache.db`) */
  cachePath?: string;
  /**
   * Bytes of WAL laid down (zero-filled) before an existing journal file is opened, when it has no WAL,
   * so that commits overwrite blocks instead of growing the file (wal-reserve.ts). Default 0: none.
   */
  walReserveBytes?: number;
}

const MIGRATIONS = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

/** The cache file that goes with a journal file. */
export function cachePathFor(journalPath: string): string {
  if (journalPath === ':memory:') return ':memory:';
  return join(dirname(journalPath), `${basename(journalPath).replace(/\.db$/, '')}-cache.db`);
}

function openFile(path: string, o: { synchronous: 'FULL' | 'NORMAL'; busyTimeoutMs: number; cacheSizeKb: number; walAutocheckpoint?: number; migrate: boolean }): Database.Database {
  const client = new Database(path);
  try {
    if (path !== ':memory:') client.pragma('journal_mode = WAL');
    client.pragma(`synchronous = ${o.synchronous}`);
    client.pragma('foreign_keys = ON');
    client.pragma(`busy_timeout = ${o.busyTimeoutMs}`);
    client.pragma(`cache_size = -${o.cacheSizeKb}`);
    client.pragma('temp_store = FILE');
    if (o.walAutocheckpoint !== undefined) client.pragma(`wal_autocheckpoint = ${o.walAutocheckpoint}`);
    if (o.migrate) {
      try {
        migrate(drizzle({ client }), { migrationsFolder: MIGRATIONS });
      } catch (err) {
        throw new StoreError('MIGRATION_FAILED', `could not migrate the station store at ${path}: ${(err as Error).message}`);
      }
    }
    return client;
  } catch (err) {
    client.close();
    throw err;
  }
}

const CACHE_TABLES = [...CACHE_GENERATIONS, 'documents', 'sync_state'] as const;

/**
 * A journal file from before the split held the cache and an outbox table too. Before its migration
 * drops the outbox: the watermark it stood for (everything below its lowest seq was acknowledged).
 */
function legacyWatermark(journal: Database.Database): number | null {
  const hasOutbox = journal.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'outbox'").get();
  if (!hasOutbox) return null;
  const lowest = journal.prepare('SELECT min(seq) FROM outbox').pluck().get() as number | null;
  const top = journal.prepare('SELECT max(seq) FROM journal').pluck().get() as number | null;
  return lowest !== null ? lowest - 1 : (top ?? 0);
}

/** Move the cache rows a pre-split journal file held into the (new, empty) cache file, once. */
function moveLegacyCache(journal: Database.Database, cache: Database.Database, journalPath: string, watermark: number): void {
  const cacheEmpty = !cache.prepare('SELECT 1 FROM sync_state').get() && !cache.prepare('SELECT 1 FROM passes LIMIT 1').get();
  // ATTACH and DETACH cannot run inside a transaction: around it.
  if (cacheEmpty) cache.prepare('ATTACH DATABASE ? AS legacy').run(journalPath);
  try {
    cache.transaction(() => {
      if (cacheEmpty) for (const t of CACHE_TABLES) cache.exec(`INSERT INTO main.${t} SELECT * FROM legacy.${t}`);
      cache.prepare('INSERT INTO upload_state (id, acked_seq, acked_at) VALUES (1, ?, NULL) ON CONFLICT(id) DO UPDATE SET acked_seq = max(acked_seq, excluded.acked_seq)').run(watermark);
    })();
  } finally {
    if (cacheEmpty) cache.exec('DETACH DATABASE legacy');
  }
  journal.transaction(() => {
    for (const t of [...CACHE_TABLES, ...CACHE_GENERATIONS.map((g) => `${g}_next`)]) journal.exec(`DELETE FROM ${t}`);
  })();
}

/**
 * Open (creating and migrating if needed) the store whose journal file is `path`, or an in-memory one
 * for tests with ':memory:'. This is the deciding thread's store: no busy timeout on its connections
 * (nothing it needs is ever locked by another writer, so a wait would be a bug, not a hiccup).
 */
export function openStationStore(path: string, opts: StoreOptions = {}): StationStore {
  const cachePath = opts.cachePath ?? cachePathFor(path);
  const cacheSizeKb = opts.cacheSizeKb ?? 8192;
  const pre = path !== ':memory:' && existsSync(path) ? openFile(path, { synchronous: 'FULL', busyTimeoutMs: 5000, cacheSizeKb, migrate: false }) : null;
  let watermark: number | null = null;
  try {
    if (pre) watermark = legacyWatermark(pre);
  } finally {
    pre?.close();
  }
  reserveWal(path, opts.walReserveBytes ?? 0);
  const journalClient = openFile(path, {
    synchronous: opts.synchronous ?? 'FULL', busyTimeoutMs: 0, cacheSizeKb, migrate: true,
    ...(opts.walAutocheckpoint !== undefined ? { walAutocheckpoint: opts.walAutocheckpoint } : {}),
  });
  let cacheClient: Database.Database;
  try {
    cacheClient = openFile(cachePath, { synchronous: 'NORMAL', busyTimeoutMs: 0, cacheSizeKb, migrate: true });
  } catch (err) {
    journalClient.close();
    throw err;
  }
  try {
    if (watermark !== null) moveLegacyCache(journalClient, cacheClient, path, watermark);
    const cache = new FeedCache(drizzle({ client: cacheClient }), cacheClient);
    const journal = new Journal(drizzle({ client: journalClient }), journalClient);
    const outbox = new Outbox(journalClient, cacheClient);
    return {
      path,
      cachePath,
      applyFeedItems: (items, o) => cache.applyFeedItems(items, o),
      beginSnapshot: () => cache.beginSnapshot(),
      readCache: (fn) => cache.read(fn),
      getPass: (id) => cache.getPass(id),
      passesByPlate: (plate, limit) => cache.passesByPlate(plate, limit),
      passesWithPlateInside: (plate, from, span, limit) => cache.passesWithPlateInside(plate, from, span, limit),
      healthFlag: (id) => cache.healthFlag(id),
      passStatus: (id) => cache.passStatus(id),
      zoneLevel: (zone) => cache.zoneLevel(zone),
      document: (name) => cache.document(name),
      documentsRevision: () => cache.documentsRevision(),
      syncState: () => cache.syncState(),
      isInside: (key) => journal.isInside(key),
      openCrossings: () => journal.openCrossings(),
      appendDecision: (w) => journal.appendDecision(w),
      lastSeq: () => journal.lastSeq(),
      outboxBatch: (limit, afterSeq) => outbox.batch(limit, afterSeq),
      ackOutbox: (upto) => outbox.ack(upto),
      rewindOutbox: (to) => outbox.rewind(to),
      ackedSeq: () => outbox.ackedSeq(),
      outboxBacklog: () => outbox.backlog(journal.lastSeq()),
      journalSince: (seq, limit) => journal.journalSince(seq, limit),
      verifyChain: () => journal.verifyChain(),
      purgePersonalData: (now, days, max) => journal.purgePersonalData(now, days, outbox.ackedSeq(), max),
      pragmas: () => ({
        journalMode: String(journalClient.pragma('journal_mode', { simple: true })),
        synchronous: Number(journalClient.pragma('synchronous', { simple: true })),
        foreignKeys: Number(journalClient.pragma('foreign_keys', { simple: true })),
        busyTimeout: Number(journalClient.pragma('busy_timeout', { simple: true })),
        cacheSize: Number(journalClient.pragma('cache_size', { simple: true })),
        walAutocheckpoint: Number(journalClient.pragma('wal_autocheckpoint', { simple: true })),
      }),
      close: () => {
        if (cacheClient.open) cacheClient.close();
        if (journalClient.open) journalClient.close();
      },
    };
  } catch (err) {
    cacheClient.close();
    journalClient.close();
    throw err;
  }
}

/** What the link needs of the store: the cache to write, the outbox to read and acknowledge. */
export interface LinkStore {
  applyFeedItems(items: readonly FeedItem[], opts: ApplyOptions): { applied: number };
  beginSnapshot(): SnapshotWriter;
  document<N extends DocumentName>(name: N): StoredDocument<N> | null;
  documentsRevision(): number;
  syncState(): SyncState;
  outboxBatch(limit: number, afterSeq?: number): JournalRecord[];
  ackOutbox(uptoSeq: number): number;
  rewindOutbox(toSeq: number): number;
  ackedSeq(): number;
  outboxBacklog(): number;
  lastSeq(): number;
  /** checkpoint the journal file's WAL into it (PASSIVE: never waits for, nor blocks, the deciding thread) */
  checkpointJournal(): { walFrames: number; checkpointed: number };
  close(): void;
}

/**
 * The link's own connections to a store already opened (and migrated) by the station: the cache file
 * to write, the journal file to read batches from and to checkpoint. For the link's worker thread.
 */
export function openLinkStore(path: string, opts: { cachePath?: string; cacheSizeKb?: number } = {}): LinkStore {
  const cacheSizeKb = opts.cacheSizeKb ?? 8192;
  const journalClient = openFile(path, { synchronous: 'NORMAL', busyTimeoutMs: 5000, cacheSizeKb: 2048, migrate: false });
  let cacheClient: Database.Database;
  try {
    cacheClient = openFile(opts.cachePath ?? cachePathFor(path), { synchronous: 'NORMAL', busyTimeoutMs: 5000, cacheSizeKb, migrate: false });
  } catch (err) {
    journalClient.close();
    throw err;
  }
  const cache = new FeedCache(drizzle({ client: cacheClient }), cacheClient);
  const outbox = new Outbox(journalClient, cacheClient);
  const checkpoint = journalClient.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  return {
    applyFeedItems: (items, o) => cache.applyFeedItems(items, o),
    beginSnapshot: () => cache.beginSnapshot(),
    document: (name) => cache.document(name),
    documentsRevision: () => cache.documentsRevision(),
    syncState: () => cache.syncState(),
    outboxBatch: (limit, afterSeq) => outbox.batch(limit, afterSeq),
    ackOutbox: (upto) => outbox.ack(upto),
    rewindOutbox: (to) => outbox.rewind(to),
    ackedSeq: () => outbox.ackedSeq(),
    outboxBacklog: () => outbox.backlog(),
    lastSeq: () => outbox.lastSeq(),
    checkpointJournal: () => {
      const r = checkpoint.get() as { busy: number; log: number; checkpointed: number };
      return { walFrames: r.log, checkpointed: r.checkpointed };
    },
    close: () => {
      if (cacheClient.open) cacheClient.close();
      if (journalClient.open) journalClient.close();
    },
  };
}
