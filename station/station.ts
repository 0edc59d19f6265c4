import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ScannerState } from '../shared/contracts/heartbeat.js';
import type { StationConfig } from './config.js';
import { ScanEngine, type CrossingClosedEvent, type EngineFault, type VerdictEvent } from './engine/engine.js';
import type { EngineLog } from './engine/trust-state.js';
import type { ScannerConfig } from './scanner/config.js';
import type { ScannerPort } from './scanner/scanner-port.js';
import { createScanner } from './scanner/create.js';
import { openStationStore, type StationStore, type StoreOptions } from './store/store.js';
import { StationLink, type Link, type LinkOptions } from './sync/link.js';
import { WorkerLink, type WorkerLinkOptions } from './sync/worker-link.js';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';

export type StationLog = EngineLog;

export interface StationOptions {
  clock?: () => number;
  log?: StationLog;
  /** Build a scanner from its config entry (default: by its kind, station/scanner/create.ts). */
  createScanner?: (config: ScannerConfig) => ScannerPort;
  /** Extra scanners beyond the config's (tests, the demo's in-process fallback). */
  scanners?: ScannerPort[];
  store?: StoreOptions;
  /** How often the retention purge runs (default daily; it also runs once at start). */
  retentionSweepMs?: number;
  /** Link tuning (intervals, or a ready ServerApi for tests); the link runs when the config names a server. */
  link?: Partial<Omit<LinkOptions, 'stationId' | 'rootKey' | 'store' | 'scannerStates'>> & {
    /**
     * Run the link on the deciding thread (as before the worker). Also chosen when `clock` is given:
     * a function cannot cross to a worker thread.
     */
    inProcess?: boolean;
    /** do not start the link with the station; the caller calls `station.link.start()` (the bench) */
    manualStart?: boolean;
    /** the worker's module, heap limits and restart pause (tests, tuning) */
    worker?: Pick<WorkerLinkOptions, 'entry' | 'resourceLimits' | 'restartDelayMs' | 'checkpointEveryCommits' | 'checkpointEveryMs'>;
  };
}

/**
 * V8 heap limits of the link's worker thread. A snapshot page of 5,000 items parsed from JSON is
 * the largest thing it holds; the limits keep the whole process within the station's memory budget.
 */
const LINK_WORKER_HEAP = { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 16 };

export interface StationEvents {
  verdict: [VerdictEvent];
  crossing: [CrossingClosedEvent];
  fault: [EngineFault];
  scannerState: [ScannerState];
}

export const STORE_FILE = 'station.db';
/**
 * The journal's WAL laid down at start (store/wal-reserve.ts), so a decision's commit overwrites
 * instead of growing the file: a decision writes about 17 KB of WAL (four pages and their frame
 * headers), and the link checkpoints every 1,000 commits, so 32 MiB holds a checkpoint interval twice.
 */
export const JOURNAL_WAL_RESERVE = 32 << 20;
const DAY = 86_400_000;
/**
 * Records cleared per step of the retention sweep, and the pause between steps. The sweep runs on the
 * deciding thread, the journal file's only writer (a writer in the link's worker would hold the write
 * lock a decision's BEGIN must never wait for): a step of 100 records takes well under a millisecond
 * (no fsync, see Journal.purgePersonalData), and the pause lets scans, and the link's checkpoint, in.
 */
const PURGE_CHUNK = 100;
const PURGE_PAUSE_MS = 5;

/**
 * One checkpoint station in a process: the store, the scanners and the engine, started and stopped
 * together. Events are re-emitted from the engine and scanners, so callers (stdout printer, officer
 * screen, sync client) listen here.
 */
export class Station extends EventEmitter<StationEvents> {
  private storeRef: StationStore | null = null;
  private engineRef: ScanEngine | null = null;
  private linkRef: Link | null = null;
  private lock: DataDirLock | null = null;
  private readonly scannerList: ScannerPort[] = [];
  private readonly log: StationLog;
  private stopping: Promise<void> | null = null;
  private retentionTimer: NodeJS.Timeout | null = null;
  private purging = false;

  constructor(readonly config: StationConfig, private readonly opts: StationOptions = {}) {
    super();
    this.log = opts.log ?? (() => {});
  }

  get store(): StationStore {
    if (!this.storeRef) throw new Error('the station is not started');
    return this.storeRef;
  }

  get engine(): ScanEngine {
    if (!this.engineRef) throw new Error('the station is not started');
    return this.engineRef;
  }

  get scanners(): readonly ScannerPort[] {
    return this.scannerList;
  }

  /** The link to the central server (sync, upload, heartbeat); null when the config names no server. */
  get link(): Link | null {
    return this.linkRef;
  }

  scannerStates(): ScannerState[] {
    return this.scannerList.map((s) => s.state());
  }

  /** Open the store (migrating it), resume open crossings, then start the scanners. */
  async start(): Promise<void> {
    if (this.storeRef) return;
    const { config } = this;
    mkdirSync(config.dataDir, { recursive: true });
    // Two processes on one store would interleave journal sequences: refuse the second one.
    this.lock = acquireDataDirLock(config.dataDir);
    const server = this.opts.link?.server ?? config.server;
    const linkInWorker = server !== undefined && !this.opts.clock && !this.opts.link?.clock && this.opts.link?.inProcess !== true;
    const store = openStationStore(join(config.dataDir, STORE_FILE), {
      synchronous: config.journalSync,
      walReserveBytes: JOURNAL_WAL_RESERVE,
      // The link's worker checkpoints the journal's WAL, so no commit here ever carries a checkpoint.
      ...(linkInWorker ? { walAutocheckpoint: 0 } : {}),
      ...this.opts.store,
    });
    this.storeRef = store;
    const engine = new ScanEngine({
      stationId: config.stationId,
      checkpointId: config.checkpointId,
      province: config.province,
      rootPublicKey: config.rootKey,
      store,
      log: this.log,
      ...(this.opts.clock ? { clock: this.opts.clock } : {}),
    });
    this.engineRef = engine;
    engine.on('verdict', (v) => this.emit('verdict', v));
    engine.on('crossing', (c) => this.emit('crossing', c));
    engine.on('fault', (f) => this.emit('fault', f));
    engine.start();

    const create = this.opts.createScanner ?? ((c: ScannerConfig) => createScanner(c, { log: this.log, ...(this.opts.clock ? { clock: this.opts.clock } : {}) }));
    this.scannerList.push(...config.scanners.map(create), ...(this.opts.scanners ?? []));
    for (const scanner of this.scannerList) {
      engine.attach(scanner);
      scanner.on('state', (s) => this.emit('scannerState', s));
    }
    // A scanner that is absent or fails to open is a state to report, not a reason not to start.
    const results = await Promise.allSettled(this.scannerList.map((s) => s.start()));
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.log('error', 'scanner did not start', { scanner: this.scannerList[i]!.scannerId, error: String(r.reason) });
    });
    if (server) {
      const link = linkInWorker ? this.workerLink(store, server) : new StationLink({
        stationId: config.stationId,
        rootKey: config.rootKey,
        store,
        scannerStates: () => this.scannerStates(),
        log: this.log,
        ...(this.opts.clock ? { clock: this.opts.clock } : {}),
        ...this.opts.link,
        server,
      });
      this.linkRef = link;
      const notify = () => link.notifyJournal();
      engine.on('verdict', notify);
      engine.on('crossing', notify);
      engine.on('override', notify);
      if (!this.opts.link?.manualStart) link.start();
    }
    void this.purgePersonalData(); // in the background: a long first sweep yields between chunks
    this.retentionTimer = setInterval(() => void this.purgePersonalData(), this.opts.retentionSweepMs ?? DAY);
    this.retentionTimer.unref();
    this.log('info', 'station started', {
      stationId: config.stationId,
      store: store.path,
      lastSeq: store.lastSeq(),
      outboxBacklog: store.outboxBacklog(),
      scanners: this.scannerStates(),
    });
  }

  private workerLink(store: StationStore, server: LinkOptions['server']): WorkerLink {
    const { inProcess: _i, manualStart: _m, worker, server: _s, clock: _c, log: _l, ...tuning } = this.opts.link ?? {};
    const link = new WorkerLink({
      storePath: store.path,
      cachePath: store.cachePath,
      stationId: this.config.stationId,
      rootKey: this.config.rootKey,
      server,
      scannerStates: () => this.scannerStates(),
      syncState: () => store.syncState(),
      log: this.log,
      resourceLimits: LINK_WORKER_HEAP,
      ...tuning,
      ...worker,
    });
    this.on('scannerState', () => link.scannersChanged());
    return link;
  }

  /**
   * Retention: clear personal fields of uploaded records older than config.retentionDays. Runs at start
   * and daily, a small chunk at a time with a pause between chunks, so a first sweep over a long journal
   * holds a scan up by one chunk at most. A failure is logged and tried again at the next sweep.
   */
  async purgePersonalData(): Promise<{ records: number; cutoff: number } | null> {
    if (this.purging) return null;
    this.purging = true;
    try {
      const now = (this.opts.clock ?? Date.now)();
      let total = { records: 0, cutoff: 0 };
      for (;;) {
        const store = this.storeRef;
        if (!store || this.stopping) break;
        const chunk = store.purgePersonalData(now, this.config.retentionDays, PURGE_CHUNK);
        total = { records: total.records + chunk.records, cutoff: chunk.cutoff };
        if (chunk.records < PURGE_CHUNK) break;
        await new Promise<void>((resolve) => setTimeout(resolve, PURGE_PAUSE_MS));
      }
      if (total.records > 0) this.log('info', 'personal data purged', { records: total.records, cutoff: new Date(total.cutoff).toISOString() });
      return total;
    } catch (err) {
      this.log('error', 'retention purge failed', { error: String(err) });
      return null;
    } finally {
      this.purging = false;
    }
  }

  /** Stop the scanners (no new scans), then the engine, then close the store. Safe to call twice. */
  stop(): Promise<void> {
    this.stopping ??= this.doStop();
    return this.stopping;
  }

  private async doStop(): Promise<void> {
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    this.retentionTimer = null;
    await this.linkRef?.stop();
    const results = await Promise.allSettled(this.scannerList.map((s) => s.stop()));
    results.forEach((r, i) => {
      if (r.status === 'rejected') this.log('warn', 'scanner did not stop cleanly', { scanner: this.scannerList[i]!.scannerId, error: String(r.reason) });
    });
    this.engineRef?.stop();
    this.storeRef?.close();
    this.lock?.release();
    this.log('info', 'station stopped', { stationId: this.config.stationId });
  }
}
