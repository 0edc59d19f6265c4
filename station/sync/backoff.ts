/** Exponential backoff with full jitter, so a province's stations do not retry in lockstep after an outage. */
export class Backoff {
  private attempt = 0;

  constructor(private readonly minMs: number, private readonly maxMs: number, private readonly random: () => number = Math.random) {}

  next(): number {
    const ceiling = Math.min(this.maxMs, this.minMs * 2 ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    return Math.max(this.minMs / 2, Math.floor(this.random() * ceiling));
  }

  reset(): void {
    this.attempt = 0;
  }

  get failures(): number {
    return this.attempt;
  }
}

/**
 * The wait after a busy server's answer: at least what it asked for, plus jitter of up to a quarter
 * of it (at least a second's spread), so 2,000 stations told the same Retry-After do not all come
 * back in the same instant and fill its queue again at once.
 */
export function busyWait(retryAfterMs: number, random: () => number = Math.random): number {
  return retryAfterMs + Math.floor(random() * Math.max(1000, retryAfterMs / 4));
}

/** A sleep that `wake()` ends early; `stop()` ends it for good. Used by the sync, upload and heartbeat loops. */
export class Waker {
  private pending: { resolve: () => void; timer: NodeJS.Timeout } | null = null;
  private woken = false;

  sleep(ms: number): Promise<void> {
    if (this.woken) {
      this.woken = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.fire(), ms);
      this.pending = { resolve, timer };
    });
  }

  wake(): void {
    if (this.pending) this.fire();
    else this.woken = true;
  }

  /** End a sleep in progress, if any, without making the next one return at once. */
  cancel(): void {
    this.fire();
  }

  private fire(): void {
    const p = this.pending;
    this.pending = null;
    if (p) {
      clearTimeout(p.timer);
      p.resolve();
    }
  }
}

/**
 * A loop that runs beside the decisions (sync, upload, heartbeat): `start()` once; `stop()` ends any
 * sleep and waits for the loop to finish its current step.
 */
export abstract class BackgroundLoop {
  /** a sleep that new work (`wake()`) ends early */
  protected readonly waker = new Waker();
  /** a sleep only `stop()` ends: backoff after a failure, so an outage is not hammered */
  protected readonly stopper = new Waker();
  protected running = false;
  private loop: Promise<void> | null = null;

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.onStop();
    this.waker.wake();
    this.stopper.wake();
    await this.loop;
  }

  protected onStop(): void {}

  protected abstract run(): Promise<void>;
}
