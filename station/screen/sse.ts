import type { ServerResponse } from 'node:http';

/** One open `GET /events` stream. `personal` streams belong to a signed-in officer and get names and ids. */
interface Client {
  res: ServerResponse;
  token: string | null;
  personal: boolean;
}

/** A stream that stops reading (a tablet gone to sleep) must not hold more than this in memory. */
const MAX_BUFFERED = 1 << 20;

/**
 * Server-sent events to the officer's screens. Each event is built once in two versions, full and
 * redacted, and each stream gets the one it may see.
 */
export class SseHub {
  private readonly clients = new Set<Client>();
  private readonly pinger: NodeJS.Timeout;

  constructor(pingMs = 15_000) {
    // A comment line now and then keeps proxies and idle timers from cutting a quiet stream.
    this.pinger = setInterval(() => {
      for (const c of this.clients) this.write(c, ': ping\n\n');
    }, pingMs);
    this.pinger.unref();
  }

  get size(): number {
    return this.clients.size;
  }

  /** Take over a response as an event stream; returns a function that sends to this stream only. */
  open(res: ServerResponse, token: string | null, personal: boolean): (event: string, data: unknown) => void {
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 1000\n\n');
    const client: Client = { res, token, personal };
    this.clients.add(client);
    res.on('close', () => this.clients.delete(client));
    return (event, data) => this.write(client, frame(event, data));
  }

  /** Send to every stream: `full` to signed-in ones, `redacted` to the others. */
  broadcast(event: string, full: unknown, redacted: unknown = full): void {
    const fullFrame = frame(event, full);
    const redactedFrame = redacted === full ? fullFrame : frame(event, redacted);
    for (const c of this.clients) this.write(c, c.personal ? fullFrame : redactedFrame);
  }

  /** A session ended: tell its screens and close their streams (they reconnect without personal data). */
  endSession(token: string): void {
    for (const c of this.clients) {
      if (c.token !== token) continue;
      this.write(c, frame('signedout', {}));
      this.drop(c);
    }
  }

  /** The session keys of the open personal streams. */
  sessionKeys(): string[] {
    return [...new Set([...this.clients].flatMap((c) => (c.token ? [c.token] : [])))];
  }

  closeAll(): void {
    clearInterval(this.pinger);
    for (const c of this.clients) this.drop(c);
  }

  private write(c: Client, text: string): void {
    if (c.res.writableLength > MAX_BUFFERED) {
      this.drop(c);
      return;
    }
    c.res.write(text);
  }

  private drop(c: Client): void {
    this.clients.delete(c);
    c.res.end();
  }
}

function frame(event: string, data: unknown): string {
  // JSON has no raw newlines, so one data line carries the whole event.
  return `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}
