import type { Heartbeat, HeartbeatAck } from '../../shared/contracts/heartbeat.js';
import type { ServerApi } from '../net/server-api.js';
import { BackgroundLoop } from './backoff.js';

/** Sends the station's status on an interval; the server's answer gives the clock skew. */
export class HeartbeatSender extends BackgroundLoop {
  lastAck: (HeartbeatAck & { at: number }) | null = null;
  lastError: string | null = null;

  constructor(
    private readonly api: ServerApi,
    private readonly status: () => Heartbeat,
    private readonly intervalMs = 15_000,
    private readonly clock: () => number = Date.now,
    /** called after each answered heartbeat: the server is reachable (the uploader ends its backoff) */
    private readonly onAnswer: () => void = () => {},
  ) {
    super();
  }

  async beat(): Promise<void> {
    try {
      this.lastAck = { ...(await this.api.heartbeat(this.status())), at: this.clock() };
      this.lastError = null;
    } catch (err) {
      this.lastError = (err as Error).message;
      return;
    }
    this.onAnswer();
  }

  protected async run(): Promise<void> {
    while (this.running) {
      await this.beat();
      await this.waker.sleep(this.intervalMs);
    }
  }
}
