import type { KeyObject } from 'node:crypto';
import type { FeedItem } from '../../shared/contracts/feed.js';
import type { TrustList } from '../../shared/trust/trust-list.js';
import { verifyFeedDocuments } from '../engine/trust-state.js';
import { CredentialRejected, RequestRejected, SnapshotRequired, type ServerApi } from '../net/server-api.js';
import { Backoff, BackgroundLoop } from './backoff.js';

/** What the sync client needs from the station's cache (the station store has this shape). Every write is atomic with its cursor. */
export interface CacheSink {
  syncState(): { cursor: number | null; syncedAt: number | null };
  /** `validate: false`: the items were already checked against the wire contract (the ServerApi does it) */
  applyFeedItems(items: readonly FeedItem[], opts: { cursor: number; syncedAt: number; validate?: boolean }): unknown;
  /** A snapshot is staged beside the live cache and swapped in whole; scans never see half of one. */
  beginSnapshot(): {
    addPage(items: readonly FeedItem[], opts?: { validate?: boolean }): void;
    commit(opts: { cursor: number; syncedAt: number }): unknown;
    abort(): void;
  };
}

export interface SyncClientOptions {
  api: ServerApi;
  cache: CacheSink;
  rootPublicKey: KeyObject;
  /** the trust list now in use, to verify policy documents that arrive without a new trust list */
  currentTrust: () => TrustList | null;
  intervalMs?: number;
  /**
   * Between rounds, hold the server's feed doorbell open for up to this long (default 25 s; 0: poll
   * only), so a change reaches the station as it commits; the interval's poll stays the fallback.
   */
  pushWaitMs?: number;
  /** items per snapshot page (default 5000): big pages, few round trips, for the one-off bulk load */
  pageSize?: number;
  /**
   * items per delta page (default 1000). Each page is applied in one synchronous transaction on the
   * thread that decides scans, so a small page keeps a scan from waiting long behind a large delta.
   */
  deltaPageSize?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  clock?: () => number;
  log?: (msg: string) => void;
}

export interface SyncStatus {
  state: 'idle' | 'syncing' | 'snapshot' | 'retrying' | 'credential-rejected' | 'stopped';
  lastSuccessAt: number | null;
  lastError: string | null;
  snapshots: number;
  itemsApplied: number;
}

export class FeedRejected extends Error {
  readonly code = 'FEED_REJECTED';
}

/**
 * Pulls whitelist changes: a snapshot first (or when the server says the cursor is too old), then
 * deltas on an interval and on demand. Signed documents are verified before anything is applied.
 */
export class SyncClient extends BackgroundLoop {
  private readonly backoff: Backoff;
  private readonly clock: () => number;
  private readonly st: SyncStatus = { state: 'idle', lastSuccessAt: null, lastError: null, snapshots: 0, itemsApplied: 0 };
  private readonly roundListeners: (() => void)[] = [];
  /** the server has no doorbell (404): poll only, for this run */
  private pushUnsupported = false;

  constructor(private readonly opts: SyncClientOptions) {
    super();
    this.clock = opts.clock ?? Date.now;
    this.backoff = new Backoff(opts.backoffMinMs ?? 1000, opts.backoffMaxMs ?? 60_000);
  }

  status(): SyncStatus {
    return { ...this.st };
  }

  protected override onStop(): void {
    this.st.state = 'stopped';
  }

  /** Ask for a sync now (e.g. an officer pressed "sync"); resolves after the next round ends. */
  syncNow(): Promise<void> {
    const done = new Promise<void>((resolve) => this.roundListeners.push(resolve));
    this.waker.wake();
    return done;
  }

  /** One round: deltas from the cursor, or a full snapshot when there is none or it is too old. */
  async syncOnce(): Promise<void> {
    const { cursor } = this.opts.cache.syncState();
    if (cursor === null) return this.snapshot();
    try {
      await this.deltas(cursor);
    } catch (err) {
      if (!(err instanceof SnapshotRequired)) throw err;
      this.opts.log?.('sync: cursor too old, taking a new snapshot');
      await this.snapshot();
    }
  }

  private async deltas(from: number): Promise<void> {
    let cursor = from;
    for (;;) {
      const page = await this.opts.api.changes(cursor, this.opts.deltaPageSize ?? 1000);
      this.verify(page.items);
      // The ServerApi checked the page against its contract: the store need not check each item again.
      this.opts.cache.applyFeedItems(page.items, { cursor: page.cursor, syncedAt: this.clock(), validate: false });
      this.st.itemsApplied += page.items.length;
      cursor = page.cursor;
      if (!page.hasMore) return;
    }
  }

  private async snapshot(): Promise<void> {
    this.st.state = 'snapshot';
    const writer = this.opts.cache.beginSnapshot();
    try {
      let page = await this.opts.api.snapshotPage(null, this.opts.pageSize ?? 5000);
      const cursor = page.cursor;
      for (;;) {
        // Ask for the next page before writing this one, so the server builds it meanwhile.
        const next = page.nextPage === null ? null : this.opts.api.snapshotPage(page.nextPage, this.opts.pageSize ?? 5000);
        next?.catch(() => {}); // awaited below; do not let a failure here go unhandled if this page throws first
        this.verify(page.items);
        writer.addPage(page.items, { validate: false });
        this.st.itemsApplied += page.items.length;
        if (next === null) break;
        page = await next;
      }
      writer.commit({ cursor, syncedAt: this.clock() });
      this.st.snapshots++;
    } catch (err) {
      // The old cache stays in use until a complete snapshot replaces it.
      writer.abort();
      throw err;
    }
    // Changes made while the snapshot streamed arrive as deltas after its cursor.
    const { cursor } = this.opts.cache.syncState();
    if (cursor !== null) await this.deltas(cursor);
  }

  /** Trust lists must be signed by our root key; policies by a policy key of the (new or current) trust list. */
  private verify(items: FeedItem[]): void {
    try {
      verifyFeedDocuments(items, this.opts.rootPublicKey, this.opts.currentTrust()?.document ?? null, this.clock());
    } catch (err) {
      throw new FeedRejected(`feed refused: ${(err as Error).message}`);
    }
  }

  protected async run(): Promise<void> {
    while (this.running) {
      this.st.state = 'syncing';
      let wait = this.opts.intervalMs ?? 30_000;
      try {
        await this.syncOnce();
        this.backoff.reset();
        this.st.lastSuccessAt = this.clock();
        this.st.lastError = null;
        this.st.state = 'idle';
      } catch (err) {
        this.st.lastError = (err as Error).message;
        this.st.state = err instanceof CredentialRejected ? 'credential-rejected' : 'retrying';
        this.opts.log?.(`sync: ${this.st.lastError}`);
        wait = Math.min(wait, this.backoff.next());
      }
      for (const l of this.roundListeners.splice(0)) l();
      if (!this.running) break;
      if (this.st.state === 'idle') await this.idle(wait);
      else await this.stopper.sleep(wait);
    }
    for (const l of this.roundListeners.splice(0)) l();
  }

  /**
   * Until the next round: the interval's sleep (which `syncNow` and `stop` end early), raced by the
   * feed's doorbell when the server has one. A doorbell that rings starts the next round at once; one
   * that times out is rung again; one that fails leaves the sleep to run out (no hammering).
   */
  private async idle(intervalMs: number): Promise<void> {
    const waitMs = this.opts.pushWaitMs ?? 25_000;
    const api = this.opts.api;
    const cursor = this.opts.cache.syncState().cursor;
    if (waitMs <= 0 || this.pushUnsupported || !api.waitForChanges || cursor === null) return this.waker.sleep(intervalMs);
    const abort = new AbortController();
    const ring = () =>
      api.waitForChanges!(cursor, waitMs, abort.signal).then(
        (r) => (r.moved ? ('moved' as const) : ('quiet' as const)),
        (err: unknown) => {
          if (err instanceof RequestRejected && err.status === 404) this.pushUnsupported = true;
          return 'failed' as const;
        },
      );
    const slept = this.waker.sleep(intervalMs).then(() => 'slept' as const);
    try {
      for (let bell = ring(); ; ) {
        const r = await Promise.race([slept, bell]);
        if (r === 'slept' || !this.running) return;
        if (r === 'moved') {
          this.waker.cancel();
          return;
        }
        if (r === 'failed') {
          await slept;
          return;
        }
        bell = ring();
      }
    } finally {
      abort.abort();
    }
  }
}
