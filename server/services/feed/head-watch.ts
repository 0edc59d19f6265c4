/**
 * Waits for the feed's head to move past a cursor, for the long-poll on /api/v1/feed/changes (issue
 * 13 item 9: a revocation or an F0 flag reaches a connected station in about a second, not a sync
 * interval). One watcher per server instance serves every waiting station: while anyone waits it
 * reads the head (one indexed query) every `pollMs`, and at once when woken (PostgreSQL:
 * LISTEN feed_change, which a trigger on `changes` notifies at each commit, so a commit on any
 * instance wakes the stations waiting on every instance). The poll stays as the fallback when the
 * notification connection is down, and is all SQLite (one process) needs.
 */
export interface HeadSource {
  head(): Promise<number>;
}

/** Calls `wake` whenever the database says the feed may have moved; resolves to a stop function. */
export type WakeSubscription = (wake: () => void) => Promise<() => Promise<void>>;

interface Waiter {
  since: number;
  resolve(moved: boolean): void;
  timer: NodeJS.Timeout;
}

export class FeedHeadWatch {
  private readonly waiters = new Set<Waiter>();
  private timer: NodeJS.Timeout | null = null;
  private reading = false;
  private again = false;
  private unsubscribe: (() => Promise<void>) | null = null;
  private known = 0;

  constructor(
    private readonly source: HeadSource,
    private readonly pollMs: number,
    private readonly onError: (err: unknown) => void = () => undefined,
  ) {}

  /** Start listening for wake-ups (optional: without, the poll alone finds every change). */
  async listen(subscribe: WakeSubscription): Promise<void> {
    this.unsubscribe = await subscribe(() => this.check());
  }

  /**
   * Resolves true once the head is past `since`, false after `timeoutMs` (or when stopped). A head
   * already past `since` resolves at the next read, not from a stale memory.
   */
  waitBeyond(since: number, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const waiter: Waiter = {
        since,
        resolve: (moved) => {
          clearTimeout(waiter.timer);
          this.waiters.delete(waiter);
          if (this.waiters.size === 0) this.idle();
          resolve(moved);
        },
        timer: setTimeout(() => waiter.resolve(false), timeoutMs),
      };
      this.waiters.add(waiter);
      this.busy();
      this.check();
    });
  }

  /** how many requests are waiting (metrics, tests) */
  waiting(): number {
    return this.waiters.size;
  }

  /** the head as last read */
  lastHead(): number {
    return this.known;
  }

  async stop(): Promise<void> {
    for (const w of [...this.waiters]) w.resolve(false);
    this.idle();
    const u = this.unsubscribe;
    this.unsubscribe = null;
    await u?.();
  }

  private busy(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.check(), this.pollMs);
    this.timer.unref();
  }

  private idle(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Read the head once (coalescing calls that arrive during a read) and release the waiters it passes. */
  private check(): void {
    if (this.waiters.size === 0) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = true;
    this.source
      .head()
      .then((head) => {
        this.known = head;
        for (const w of [...this.waiters]) if (head > w.since) w.resolve(true);
      })
      .catch(this.onError)
      .finally(() => {
        this.reading = false;
        if (this.again) {
          this.again = false;
          this.check();
        }
      });
  }
}
