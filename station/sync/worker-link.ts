import type { KeyObject } from 'node:crypto';
import { Worker, type ResourceLimits } from 'node:worker_threads';
import type { ScannerState } from '../../shared/contracts/heartbeat.js';
import type { EngineLog } from '../engine/trust-state.js';
import type { ServerApi } from '../net/server-api.js';
import type { SyncState } from '../store/store.js';
import type { Link, LinkStatus, LinkTuning } from './link.js';
import { toWireError, type FromWorker, type LinkWorkerData, type ToWorker } from './link-messages.js';

export interface WorkerLinkOptions extends LinkTuning {
  /** the store's journal and cache files (the station's thread has opened and migrated them) */
  storePath: string;
  cachePath: string;
  stationId: string;
  rootKey: KeyObject;
  /** server URL and this station's secret (the worker talks HTTP); or a ready ServerApi, called on this thread */
  server: { url: string; credential: string } | { api: ServerApi };
  scannerStates: () => ScannerState[];
  /** the cache's sync state as the station's store reads it (for the cache's age) */
  syncState: () => SyncState;
  log?: EngineLog;
  /** the worker module (tests: a worker that crashes) */
  entry?: URL;
  /** V8 heap limits of the worker thread */
  resourceLimits?: ResourceLimits;
  /** first wait before a crashed worker is started again; doubles up to 30 s */
  restartDelayMs?: number;
  /** checkpoint the journal's WAL after this many commits (default 1,000) or this long (default 5 min), see link-worker.ts */
  checkpointEveryCommits?: number;
  checkpointEveryMs?: number;
  /** the worker thread's nice value (default 10: the deciding thread wins the CPU when both want it) */
  niceness?: number;
}

const TS = import.meta.url.endsWith('.ts');
const DEFAULT_ENTRY = new URL(TS ? './link-worker.ts' : './link-worker.js', import.meta.url);
const TSX_BOOT = new URL('./tsx-worker.mjs', import.meta.url);
const MAX_RESTART_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

function idleStatus(): LinkStatus {
  return {
    serverReachable: false, credentialRejected: false, cacheCursor: null, cacheAgeMs: null, outboxBacklog: 0,
    sync: { state: 'idle', lastSuccessAt: null, lastError: null, snapshots: 0, itemsApplied: 0 },
    upload: { state: 'idle', lastAckAt: null, lastAckedSeq: 0, lastError: null, uploaded: 0 },
    lastHeartbeatAt: null, heartbeatError: null, clockSkewMs: null, crashes: 0,
  };
}

/**
 * The link (sync, upload, heartbeat) in a worker thread with its own SQLite connections: the station's
 * thread only posts "new records" and scanner states, and keeps the latest status the worker sent. A
 * worker that dies is reported (status, log) and started again after a pause; scans are decided
 * throughout, and what it had not acknowledged is still in the journal above the watermark.
 */
export class WorkerLink implements Link {
  private worker: Worker | null = null;
  private last: LinkStatus = idleStatus();
  private crashes = 0;
  private crashError: string | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private nextId = 0;
  private readonly syncWaiters = new Map<number, () => void>();
  private stopped: Promise<void> | null = null;
  /** journal commits, counted for the worker (see LinkWorkerData.journalSignal); outlives a crashed worker */
  private readonly journalSignal = new Int32Array(new SharedArrayBuffer(4));

  constructor(private readonly opts: WorkerLinkOptions) {}

  start(): void {
    if (this.worker || this.stopping) return;
    this.spawn();
  }

  /** A counter in shared memory, on the deciding thread after each commit: no message to clone and queue per record. */
  notifyJournal(): void {
    Atomics.add(this.journalSignal, 0, 1);
  }

  /** a scanner connected or went away: the next heartbeat says so */
  scannersChanged(): void {
    this.send({ type: 'scanners', states: this.opts.scannerStates() });
  }

  syncNow(): Promise<void> {
    if (!this.worker) return Promise.resolve();
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.syncWaiters.set(id, resolve);
      this.send({ type: 'syncNow', id });
    });
  }

  status(): LinkStatus {
    const { syncedAt } = this.opts.syncState();
    const s = { ...this.last, cacheAgeMs: syncedAt === null ? null : Math.max(0, Date.now() - syncedAt), crashes: this.crashes };
    if (!this.crashError) return s;
    // While a crashed worker waits to start again, that is what the screen should say.
    return { ...s, serverReachable: false, sync: { ...s.sync, lastError: this.crashError } };
  }

  stop(): Promise<void> {
    this.stopped ??= this.doStop();
    return this.stopped;
  }

  private async doStop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    const worker = this.worker;
    if (!worker) return;
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
    this.send({ type: 'stop' });
    const timer = setTimeout(() => void worker.terminate(), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private send(m: ToWorker): void {
    this.worker?.postMessage(m);
  }

  private spawn(): void {
    const { opts } = this;
    const server = 'api' in opts.server ? { proxy: true as const } : opts.server;
    const entry = opts.entry ?? DEFAULT_ENTRY;
    const data: LinkWorkerData & { entry: string } = {
      storePath: opts.storePath,
      cachePath: opts.cachePath,
      stationId: opts.stationId,
      rootKeyJwk: opts.rootKey.export({ format: 'jwk' }),
      server,
      tuning: {
        ...(opts.syncIntervalMs !== undefined ? { syncIntervalMs: opts.syncIntervalMs } : {}),
        ...(opts.syncPushWaitMs !== undefined ? { syncPushWaitMs: opts.syncPushWaitMs } : {}),
        ...(opts.syncPageSize !== undefined ? { syncPageSize: opts.syncPageSize } : {}),
        ...(opts.heartbeatIntervalMs !== undefined ? { heartbeatIntervalMs: opts.heartbeatIntervalMs } : {}),
        ...(opts.uploadBatchSize !== undefined ? { uploadBatchSize: opts.uploadBatchSize } : {}),
        ...(opts.uploadMaxDelayMs !== undefined ? { uploadMaxDelayMs: opts.uploadMaxDelayMs } : {}),
        ...(opts.backoffMaxMs !== undefined ? { backoffMaxMs: opts.backoffMaxMs } : {}),
      },
      scanners: opts.scannerStates(),
      checkpointEveryCommits: opts.checkpointEveryCommits ?? 1000,
      checkpointEveryMs: opts.checkpointEveryMs ?? 300_000,
      journalSignal: this.journalSignal,
      niceness: opts.niceness ?? 10,
      attempt: this.crashes,
      entry: entry.href,
    };
    const worker = new Worker(entry.pathname.endsWith('.ts') ? TSX_BOOT : entry, {
      workerData: data,
      ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}),
    });
    this.worker = worker;
    let error: Error | null = null;
    worker.on('message', (m: FromWorker) => this.onMessage(m));
    worker.on('error', (err) => (error = err));
    worker.on('exit', (code) => {
      this.worker = null;
      for (const done of this.syncWaiters.values()) done();
      this.syncWaiters.clear();
      if (this.stopping) return;
      this.crashed(error ? `${error.name}: ${error.message}` : `exit code ${code}`);
    });
  }

  private crashed(why: string): void {
    this.crashes++;
    this.crashError = `link worker stopped (${why}); restarting`;
    const delay = Math.min((this.opts.restartDelayMs ?? 500) * 2 ** (this.crashes - 1), MAX_RESTART_MS);
    this.opts.log?.('error', 'link worker stopped; decisions go on, the link restarts', { error: why, crashes: this.crashes, restartInMs: delay });
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      if (!this.stopping) this.spawn();
    }, delay);
    this.restartTimer.unref();
  }

  private onMessage(m: FromWorker): void {
    switch (m.type) {
      case 'status':
        this.last = m.status;
        this.crashError = null;
        break;
      case 'syncDone':
        this.last = m.status;
        this.syncWaiters.get(m.id)?.();
        this.syncWaiters.delete(m.id);
        break;
      case 'api':
        void this.callApi(m);
        break;
      case 'log':
        this.opts.log?.(m.level, m.message, m.fields);
        break;
      case 'stopped':
        break;
    }
  }

  private async callApi(m: Extract<FromWorker, { type: 'api' }>): Promise<void> {
    const api = (this.opts.server as { api: ServerApi }).api;
    try {
      const value = await (api[m.method] as (...a: unknown[]) => Promise<unknown>)(...m.args);
      this.send({ type: 'apiResult', id: m.id, ok: true, value });
    } catch (err) {
      this.send({ type: 'apiResult', id: m.id, ok: false, error: toWireError(err) });
    }
  }
}
