import { EventEmitter } from 'node:events';

/** Why this instance re-read the trust state: another instance's publication, or the fallback timer. */
export type RefreshCause = 'notified' | 'timer';

/** Calls `wake` whenever the database says the trust state may have changed; resolves to a stop function. */
export type TrustWakeSubscription = (wake: () => void) => Promise<() => Promise<void>>;

/**
 * Keeps an instance's in-memory copy of the trust state (TrustService: the registered keys and the
 * current list) in step with the other instances on one PostgreSQL database. Each publication notifies
 * `trust_change` at commit (trust/repository.ts), so every instance re-reads at once: a key made on A a
 * moment ago signs on B. The timer stays as the fallback for a notification connection that is down
 * (the listener also wakes once after each reconnect, for what it may have missed).
 *
 * Refreshes never overlap; a request during one runs one more after it, since the running read may
 * have begun before the change committed. Emits `refreshed` with its cause after each one.
 */
export class TrustRefresher extends EventEmitter<{ refreshed: [cause: RefreshCause] }> {
  private running: Promise<void> | null = null;
  private pending: RefreshCause | null = null;
  private timer: NodeJS.Timeout | null = null;
  private unsubscribe: (() => Promise<void>) | null = null;

  constructor(
    private readonly refresh: () => Promise<void>,
    private readonly onError: (err: unknown) => void,
  ) {
    super();
  }

  /** Refresh on every wake of `subscribe`, and every `fallbackMs` whatever happens. */
  async start(fallbackMs: number, subscribe: TrustWakeSubscription): Promise<void> {
    this.timer ??= setInterval(() => this.request('timer'), fallbackMs);
    this.timer.unref();
    this.unsubscribe = await subscribe(() => this.request('notified'));
  }

  request(cause: RefreshCause): void {
    if (this.running) {
      // a notification outranks the timer: whoever waits on one is told it was heard
      if (this.pending !== 'notified') this.pending = cause;
      return;
    }
    this.running = this.refresh()
      .then(() => void this.emit('refreshed', cause))
      .catch(this.onError)
      .finally(() => {
        this.running = null;
        const next = this.pending;
        this.pending = null;
        if (next) this.request(next);
      });
  }

  /** Resolves once no refresh is running or queued. */
  async settled(): Promise<void> {
    while (this.running) await this.running;
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const u = this.unsubscribe;
    this.unsubscribe = null;
    await u?.();
    this.pending = null;
    await this.settled();
  }
}
