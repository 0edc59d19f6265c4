import { ValidationError } from '../../domain-errors.js';
import type { ChangeLog } from './change-log.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import type { SnapshotReader } from './snapshot.js';
import type { FeedScope } from './station-scope.js';

/** A feed answer, already serialised: items are stored as JSON text and streamed without re-encoding. */
export type FeedAnswer =
  | { kind: 'page'; json: string }
  | { kind: 'snapshotRequired'; body: { code: 'SNAPSHOT_REQUIRED'; message: string; oldestCursor: number } };

export interface FeedServiceOptions {
  /** how long changes are kept for deltas; older `since` cursors must take a new snapshot */
  retentionMs: number;
  /** how often compaction runs */
  compactEveryMs: number;
  maxLimit: number;
}

export const DEFAULT_FEED_OPTIONS: FeedServiceOptions = { retentionMs: 14 * 86_400_000, compactEveryMs: 3_600_000, maxLimit: 10_000 };

/**
 * The station feed: snapshot pages (cursor fixed by the first page, keyset walk of current state)
 * and deltas since a cursor from the one server change sequence. See snapshot.ts for consistency.
 * Each station receives what its checkpoint needs (`scope`, see station-scope.ts), not the whole country.
 */
export class FeedService {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly log: ChangeLog,
    private readonly snapshots: SnapshotReader,
    private readonly clock: () => number,
    /** where a failed background compaction is reported */
    private readonly onError: (err: unknown) => void,
    private readonly opts: FeedServiceOptions = DEFAULT_FEED_OPTIONS,
  ) {}

  async snapshot(scope: FeedScope, pageToken: string | undefined, limit: number): Promise<FeedAnswer> {
    const n = this.limit(limit);
    let pos;
    if (pageToken === undefined || pageToken === '') {
      pos = { cursor: await this.log.head(), entity: 0, after: null };
    } else {
      pos = decodePageToken(pageToken);
      if (!pos) throw new ValidationError('invalid snapshot page token', 'Mã trang ảnh chụp dữ liệu không hợp lệ');
    }
    // A snapshot that took longer than the retention window cannot be continued by deltas.
    const compacted = await this.log.compactedThrough();
    if (pos.cursor < compacted) return this.required(compacted, 'the snapshot is older than the retained changes; start a new one');
    const { items, next } = await this.snapshots.page(scope, pos, n);
    const nextPage = next ? JSON.stringify(encodePageToken(next)) : 'null';
    return { kind: 'page', json: `{"cursor":${pos.cursor},"items":[${items.join(',')}],"nextPage":${nextPage}}` };
  }

  async changes(scope: FeedScope, since: number, limit: number): Promise<FeedAnswer> {
    const compacted = await this.log.compactedThrough();
    if (since < compacted) return this.required(compacted, `changes before ${compacted} are no longer kept; take a new snapshot`);
    const head = await this.log.head();
    // A cursor ahead of the server (e.g. the server's database was replaced) can never catch up.
    if (since > head) return this.required(compacted, `cursor ${since} is ahead of the server (${head}); take a new snapshot`);
    const d = await this.log.deltas(scope, since, this.limit(limit));
    return { kind: 'page', json: `{"items":[${d.items.join(',')}],"cursor":${d.cursor},"hasMore":${d.hasMore}}` };
  }

  /** Drop changes older than the retention window. */
  compact(): Promise<number> {
    return this.log.compact(this.clock() - this.opts.retentionMs);
  }

  head(): Promise<number> {
    return this.log.head();
  }

  start(): void {
    if (this.timer) return;
    // A failed compaction (database briefly unavailable) is retried at the next tick; it must not crash the server.
    this.timer = setInterval(() => void this.compact().catch((err: unknown) => this.onError(err)), this.opts.compactEveryMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private limit(limit: number): number {
    return Math.max(1, Math.min(this.opts.maxLimit, Math.floor(limit)));
  }

  private required(oldestCursor: number, message: string): FeedAnswer {
    return { kind: 'snapshotRequired', body: { code: 'SNAPSHOT_REQUIRED', message, oldestCursor } };
  }
}
