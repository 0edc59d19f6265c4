import { MAX_BATCH_RECORDS, type BatchAck, type JournalRecord } from '../../shared/contracts/journal.js';
import { CredentialRejected, RequestRejected, TransientServerError, type ServerApi } from '../net/server-api.js';
import { Backoff, BackgroundLoop, busyWait } from './backoff.js';

/** What the uploader needs from the station's store. */
export interface OutboxSource {
  /** the oldest records not yet acknowledged with a seq above `afterSeq` (default 0), in seq order */
  outboxBatch(limit: number, afterSeq?: number): JournalRecord[];
  /** the server holds every record up to this seq: they may leave the outbox */
  ackOutbox(uptoSeq: number): void;
  /** the upload watermark: the highest seq acknowledged so far */
  ackedSeq(): number;
  /** the server no longer holds what it acknowledged above `toSeq`: those records re-enter the outbox; returns how many */
  rewindOutbox(toSeq: number): number;
  outboxBacklog(): number;
}

export interface UploaderOptions {
  api: ServerApi;
  outbox: OutboxSource;
  batchSize?: number;
  /** how long to wait for a batch to fill before sending what there is */
  maxDelayMs?: number;
  backoffMinMs?: number;
  backoffMaxMs?: number;
  clock?: () => number;
  /** the jitter added to a busy server's Retry-After (default Math.random) */
  random?: () => number;
  log?: (msg: string) => void;
}

export interface UploaderStatus {
  /** `server-busy`: the server refused an upload for now (503 with Retry-After); the link itself works */
  state: 'idle' | 'sending' | 'retrying' | 'server-busy' | 'credential-rejected' | 'stopped';
  lastAckAt: number | null;
  lastAckedSeq: number;
  lastError: string | null;
  uploaded: number;
}

/**
 * Store-and-forward: sends the outbox in order, in batches by size and time, and removes records only
 * after the server acknowledged them. Runs beside the decisions; a scan never waits for it.
 */
export class Uploader extends BackgroundLoop {
  private readonly backoff: Backoff;
  private readonly st: UploaderStatus = { state: 'idle', lastAckAt: null, lastAckedSeq: 0, lastError: null, uploaded: 0 };
  private readonly batchSize: number;
  private readonly maxDelayMs: number;
  private readonly clock: () => number;

  constructor(private readonly opts: UploaderOptions) {
    super();
    this.batchSize = opts.batchSize ?? MAX_BATCH_RECORDS;
    this.maxDelayMs = opts.maxDelayMs ?? 1000;
    this.backoff = new Backoff(opts.backoffMinMs ?? 500, opts.backoffMaxMs ?? 60_000);
    this.clock = opts.clock ?? Date.now;
  }

  status(): UploaderStatus & { backlog: number } {
    return { ...this.st, backlog: this.opts.outbox.outboxBacklog() };
  }

  /** New records were journaled. */
  notify(): void {
    this.waker.wake();
  }

  /**
   * Another request of this station just had the server's answer (a heartbeat): an upload waiting
   * out its backoff after a failure goes now instead of sleeping on, up to a minute after the server
   * came back. The backoff's count stays, so a server that answers heartbeats but fails uploads is
   * tried at most once a heartbeat more. A busy server's Retry-After is kept: it answered, and asked
   * for the wait.
   */
  serverAnswered(): void {
    if (this.st.state === 'retrying') this.stopper.cancel();
  }

  protected override onStop(): void {
    this.st.state = 'stopped';
  }

  /**
   * Send until the outbox is empty or a send fails; returns the number of records acknowledged.
   * Once a batch is acknowledged, two are in flight at once, so the server stores one while the next
   * is on the wire and being read here. Safe in any arrival order: the server acknowledges the highest contiguous seq
   * it holds, and records leave the outbox only once acknowledged.
   *
   * The server's acknowledged seq only moves up, so an answer below the watermark this station held
   * when it sent the request means the server lost records it had acknowledged: it failed over to a
   * standby that had not replayed them yet (or was restored from a backup). Those records are still in
   * the journal: the watermark goes back to what the server holds and they are sent again, so the
   * server ends up with every record exactly once (its ingest is idempotent by station and seq).
   */
  async drain(): Promise<number> {
    let total = 0;
    let acked = 0;
    let after = 0;
    // a batch in flight is remembered by its seqs only (sendNext): its records are in the request body
    // already, and held here they would stay in memory until the answer (a load generator's 2,000
    // stations' two batches each came to gigabytes)
    const inFlight: { seqs: number[]; reply: Promise<BatchAck>; heldAtSend: number }[] = [];
    /** true when the server's acknowledgement went back and the outbox was rewound to it */
    const settle = async (): Promise<boolean> => {
      const { seqs, reply, heldAtSend } = inFlight.shift()!;
      const ack = await reply;
      this.st.lastAckAt = this.clock();
      if (ack.ackedSeq < heldAtSend) {
        const again = this.opts.outbox.rewindOutbox(ack.ackedSeq);
        this.opts.log?.(`the server acknowledges seq ${ack.ackedSeq}, below the ${heldAtSend} it acknowledged before (a failover?): sending ${again} record(s) again from the journal`);
        this.st.lastAckedSeq = ack.ackedSeq;
        acked = ack.ackedSeq;
        return true;
      }
      if (ack.ackedSeq > acked) {
        this.opts.outbox.ackOutbox(ack.ackedSeq);
        const done = [seqs, ...inFlight.map((f) => f.seqs)].reduce((n, b) => n + b.filter((seq) => seq > acked && seq <= ack.ackedSeq).length, 0);
        acked = ack.ackedSeq;
        total += done;
        this.st.uploaded += done;
        // Progress: on a flaky link the next failure starts a short backoff again, not a doubled one.
        this.backoff.reset();
      }
      this.st.lastAckedSeq = Math.max(this.st.lastAckedSeq, ack.ackedSeq);
      if (ack.rejected.length > 0) this.opts.log?.(`server rejected ${ack.rejected.length} record(s): ${ack.rejected[0]!.message}`);
      // Whatever order the server took the two batches in, this batch is acknowledged by its own
      // reply unless something before it is missing there: stop instead of sending on forever.
      if (acked < seqs[0]!) throw new Error(`server acknowledged nothing of a batch starting at seq ${seqs[0]!}`);
      return false;
    };
    try {
      for (;;) {
        const sent = this.sendNext(after);
        if (!sent) break;
        after = sent.seqs[sent.seqs.length - 1]!;
        inFlight.push(sent);
        // The first batch of a drain goes alone: a link that just failed is probed with one request,
        // not two, and the pipeline starts once it has acknowledged something.
        if (inFlight.length >= (total > 0 ? 2 : 1) && (await settle())) {
          // Rewound: the other request's answer says nothing new; start again from the watermark.
          await Promise.allSettled(inFlight.splice(0).map((f) => f.reply));
          after = 0;
        }
      }
      while (inFlight.length > 0) {
        if (await settle()) {
          await Promise.allSettled(inFlight.splice(0).map((f) => f.reply));
          return total + (await this.drain());
        }
      }
      return total;
    } finally {
      // On a failure, let the other request finish before retrying; its records stay in the outbox.
      await Promise.allSettled(inFlight.map((f) => f.reply));
    }
  }

  /**
   * The next batch after seq `after` handed to the server, remembered by its seqs only. In a function
   * of its own so that its records are not held by `drain`'s frame, which keeps its locals across
   * each await while the answer is awaited.
   */
  private sendNext(after: number): { seqs: number[]; reply: Promise<BatchAck>; heldAtSend: number } | null {
    const batch = this.opts.outbox.outboxBatch(this.batchSize, after);
    if (batch.length === 0) return null;
    this.st.state = 'sending';
    const heldAtSend = this.opts.outbox.ackedSeq();
    const reply = this.opts.api.upload(batch);
    reply.catch(() => {}); // observed by settle(); a failure while the other is awaited is not unhandled
    return { seqs: batch.map((r) => r.seq), reply, heldAtSend };
  }

  protected async run(): Promise<void> {
    while (this.running) {
      const backlog = this.opts.outbox.outboxBacklog();
      if (backlog === 0) {
        this.st.state = 'idle';
        await this.waker.sleep(60_000);
        continue;
      }
      // Let a small batch fill for a moment; a full one (a backlog after an outage) goes at once.
      if (backlog < this.batchSize) await this.waker.sleep(this.maxDelayMs);
      if (!this.running) break;
      try {
        await this.drain();
        this.backoff.reset();
        this.st.lastError = null;
      } catch (err) {
        this.st.lastError = (err as Error).message;
        this.st.state = err instanceof CredentialRejected ? 'credential-rejected' : 'retrying';
        if (err instanceof CredentialRejected || err instanceof RequestRejected) this.opts.log?.(`upload: ${this.st.lastError}`);
        if (err instanceof TransientServerError && err.retryAfterMs !== null) {
          // A busy server answered: the link works (the officer's screen must not say the server is
          // unreachable), so the backoff does not grow towards its ceiling; the server's own estimate
          // of its queue says when to come back.
          this.st.state = 'server-busy';
          this.st.lastError = null;
          this.backoff.reset();
          await this.stopper.sleep(busyWait(err.retryAfterMs, this.opts.random));
        } else await this.stopper.sleep(this.backoff.next());
      }
    }
  }
}
