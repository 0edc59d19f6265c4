import { createHmac } from 'node:crypto';
import type { Notice } from './notices.js';

/**
 * Delivery of notices to an outside channel (the stand-in for the steering committee's chat groups):
 * one POST per notice, the JSON body signed with HMAC-SHA256 over `timestamp.body`
 * (`X-Signature: sha256=<hex>`, `X-Timestamp`, `X-Alert-Id` to drop repeats). A receiver that is down
 * or answers non-2xx is retried with exponential backoff (1 s doubling to 60 s), in order, until it
 * takes the notice; the queue is bounded and the oldest are dropped (and logged) beyond it.
 */
export interface WebhookOptions {
  url: string;
  secret: string;
  clock: () => number;
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxQueue?: number;
  log?: { warn(obj: object, msg: string): void };
}

export function signature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export class WebhookSender {
  private readonly queue: { notice: Notice; attempts: number; nextAt: number }[] = [];
  private sending = false;
  delivered = 0;
  /** attempts that did not reach the receiver (down, timeout, non-2xx) */
  failures = 0;

  constructor(private readonly o: WebhookOptions) {}

  get backlog(): number {
    return this.queue.length;
  }

  enqueue(notices: Notice[]): void {
    for (const notice of notices) this.queue.push({ notice, attempts: 0, nextAt: 0 });
    const max = this.o.maxQueue ?? 10_000;
    if (this.queue.length > max) {
      const dropped = this.queue.splice(0, this.queue.length - max);
      this.o.log?.warn({ dropped: dropped.length }, 'alert webhook queue full: oldest notices dropped');
    }
  }

  /** Send what is due, in order; stops at the first failure so notices arrive in order. */
  async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      while (this.queue.length > 0) {
        const head = this.queue[0]!;
        if (head.nextAt > this.o.clock()) return;
        if (await this.post(head.notice)) {
          this.queue.shift();
          this.delivered++;
        } else {
          head.attempts++;
          this.failures++;
          head.nextAt = this.o.clock() + Math.min(60_000, 1000 * 2 ** (head.attempts - 1));
          return;
        }
      }
    } finally {
      this.sending = false;
    }
  }

  private async post(notice: Notice): Promise<boolean> {
    const body = JSON.stringify(notice);
    const timestamp = String(this.o.clock());
    try {
      const res = await (this.o.fetch ?? fetch)(this.o.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8', 'x-timestamp': timestamp, 'x-signature': signature(this.o.secret, timestamp, body), 'x-alert-id': notice.key },
        body,
        signal: AbortSignal.timeout(this.o.timeoutMs ?? 5000),
      });
      await res.arrayBuffer().catch(() => undefined);
      return res.ok;
    } catch (err) {
      this.o.log?.warn({ err: (err as Error).message, key: notice.key }, 'alert webhook not delivered; will retry');
      return false;
    }
  }
}
