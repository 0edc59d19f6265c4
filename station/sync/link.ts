import { readFileSync } from 'node:fs';
import type { Heartbeat, ScannerState } from '../../shared/contracts/heartbeat.js';
import { TrustState, type EngineLog } from '../engine/trust-state.js';
import { HttpServerApi, type ServerApi } from '../net/server-api.js';
import type { LinkStore } from '../store/store.js';
import { HeartbeatSender } from './heartbeat.js';
import { SyncClient, type SyncStatus } from './sync-client.js';
import { Uploader, type UploaderStatus } from './uploader.js';
import type { KeyObject } from 'node:crypto';

const SOFTWARE_VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export interface LinkOptions extends LinkTuning {
  stationId: string;
  rootKey: KeyObject;
  store: LinkSide;
  scannerStates: () => ScannerState[];
  /** server URL and this station's secret; or a ready ServerApi (tests, benchmarks) */
  server: { url: string; credential: string } | { api: ServerApi };
  clock?: () => number;
  log?: EngineLog;
}

/** The link's tuning, as plain data (it crosses to the worker thread). */
export interface LinkTuning {
  syncIntervalMs?: number;
  /** how long the feed's doorbell is held open between sync rounds (default 25 s; 0: poll only) */
  syncPushWaitMs?: number;
  /** items per sync page, snapshot and delta alike (default: the sync client's, 5000 and 1000) */
  syncPageSize?: number;
  heartbeatIntervalMs?: number;
  uploadBatchSize?: number;
  uploadMaxDelayMs?: number;
  backoffMaxMs?: number;
}

export interface LinkStatus {
  /** the last exchange with the server succeeded */
  serverReachable: boolean;
  credentialRejected: boolean;
  cacheCursor: number | null;
  cacheAgeMs: number | null;
  outboxBacklog: number;
  sync: SyncStatus;
  upload: UploaderStatus;
  lastHeartbeatAt: number | null;
  heartbeatError: string | null;
  clockSkewMs: number | null;
  /** how many times the link's worker thread died and was restarted (0 for a link in-process) */
  crashes: number;
}

/** What the link needs of the store (the station's own store in-process, or the worker's connections). */
export type LinkSide = Omit<LinkStore, 'checkpointJournal' | 'close'>;

/** The link as the station and its screen see it, in-process (StationLink) or in a worker thread (WorkerLink). */
export interface Link {
  start(): void;
  stop(): Promise<void>;
  /** new journal records exist: let the uploader batch them */
  notifyJournal(): void;
  /** a sync round now; resolves when it ended (successfully or not: see status()) */
  syncNow(): Promise<void>;
  status(): LinkStatus;
}

/**
 * The station's side of the network: whitelist sync, store-and-forward upload and heartbeats.
 * Everything here runs beside the decisions; a server that is down, slow or refusing us changes
 * what the officer's screen says about the link, never whether scans are decided.
 */
export class StationLink implements Link {
  readonly api: ServerApi;
  readonly sync: SyncClient;
  readonly uploader: Uploader;
  readonly heartbeat: HeartbeatSender;
  private readonly clock: () => number;

  constructor(private readonly opts: LinkOptions) {
    this.clock = opts.clock ?? Date.now;
    const log = (msg: string) => opts.log?.('warn', msg);
    this.api = 'api' in opts.server
      ? opts.server.api
      : new HttpServerApi({ baseUrl: opts.server.url, stationId: opts.stationId, secret: opts.server.credential });
    const trust = new TrustState(opts.store, opts.rootKey, opts.log);
    this.sync = new SyncClient({
      api: this.api,
      cache: opts.store,
      rootPublicKey: opts.rootKey,
      currentTrust: () => trust.current(this.clock()).trust,
      clock: this.clock,
      log,
      ...(opts.syncIntervalMs ? { intervalMs: opts.syncIntervalMs } : {}),
      ...(opts.syncPushWaitMs !== undefined ? { pushWaitMs: opts.syncPushWaitMs } : {}),
      ...(opts.syncPageSize ? { pageSize: opts.syncPageSize, deltaPageSize: opts.syncPageSize } : {}),
      ...(opts.backoffMaxMs ? { backoffMaxMs: opts.backoffMaxMs } : {}),
    });
    this.uploader = new Uploader({
      api: this.api,
      outbox: opts.store,
      clock: this.clock,
      log,
      ...(opts.uploadBatchSize ? { batchSize: opts.uploadBatchSize } : {}),
      ...(opts.uploadMaxDelayMs !== undefined ? { maxDelayMs: opts.uploadMaxDelayMs } : {}),
      ...(opts.backoffMaxMs ? { backoffMaxMs: opts.backoffMaxMs } : {}),
    });
    this.heartbeat = new HeartbeatSender(this.api, () => this.heartbeatBody(), opts.heartbeatIntervalMs ?? 15_000, this.clock, () => this.uploader.serverAnswered());
  }

  start(): void {
    this.sync.start();
    this.uploader.start();
    this.heartbeat.start();
  }

  /** New journal records exist: let the uploader batch them. */
  notifyJournal(): void {
    this.uploader.notify();
  }

  syncNow(): Promise<void> {
    return this.sync.syncNow();
  }

  async stop(): Promise<void> {
    await Promise.all([this.sync.stop(), this.uploader.stop(), this.heartbeat.stop()]);
  }

  status(): LinkStatus {
    const sync = this.sync.status();
    const upload = this.uploader.status();
    const { cursor, syncedAt } = this.opts.store.syncState();
    const hb = this.heartbeat.lastAck;
    const failing = [sync.lastError, upload.lastError, this.heartbeat.lastError].some((e) => e !== null);
    return {
      serverReachable: !failing && (sync.lastSuccessAt !== null || hb !== null),
      credentialRejected: sync.state === 'credential-rejected' || upload.state === 'credential-rejected',
      cacheCursor: cursor,
      cacheAgeMs: syncedAt === null ? null : Math.max(0, this.clock() - syncedAt),
      outboxBacklog: upload.backlog,
      sync,
      upload,
      lastHeartbeatAt: hb?.at ?? null,
      heartbeatError: this.heartbeat.lastError,
      clockSkewMs: hb?.clockSkewMs ?? null,
      crashes: 0,
    };
  }

  private heartbeatBody(): Heartbeat {
    const { cursor, syncedAt } = this.opts.store.syncState();
    const now = this.clock();
    return {
      stationId: this.opts.stationId,
      softwareVersion: SOFTWARE_VERSION,
      clock: now,
      cacheCursor: cursor,
      cacheAgeMs: syncedAt === null ? null : Math.max(0, now - syncedAt),
      outboxBacklog: this.opts.store.outboxBacklog(),
      lastSeq: this.opts.store.lastSeq(),
      scanners: this.opts.scannerStates(),
    };
  }
}
