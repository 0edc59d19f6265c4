import type { Heartbeat } from '../../../shared/contracts/heartbeat.js';
import type { BatchAck, JournalRecord } from '../../../shared/contracts/journal.js';
import { chainRecord, GENESIS_HASH, sealNext } from '../../../shared/journal/hash-chain.js';
import { HttpServerApi, TransientServerError, type FetchLike, type ServerApi } from '../../../station/net/server-api.js';
import { HeartbeatSender } from '../../../station/sync/heartbeat.js';
import { Uploader, type OutboxSource } from '../../../station/sync/uploader.js';
import { vehicleDraft } from '../lib/records.js';

/** Errors by kind counted between two `errorKinds()` snapshots (kinds that did not grow left out). */
export function errorsBetween(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(after).map(([k, n]) => [k, n - (before[k] ?? 0)] as const).filter(([, n]) => n > 0));
}

/** What every simulated station records, shared: latencies of the timed window and errors by kind. */
export class Tally {
  recording = false;
  readonly ackMs: number[] = [];
  readonly feedMs: number[] = [];
  readonly heartbeatMs: number[] = [];
  /** doorbell rings heard while a change is being timed: the head each announced, and when */
  readonly rings: { head: number; at: number }[] = [];
  readonly errors = new Map<string, number>();
  /** doorbell waits now held open at the server */
  held = 0;
  /** a change is being timed: record the rings */
  timing = false;
  /** requests answered, by kind (upload, heartbeat, feed, doorbell), and records uploaded */
  private readonly answered: Record<string, number> = { upload: 0, records: 0, heartbeat: 0, feed: 0, doorbell: 0 };

  answer(what: string): void {
    this.answered[what] = (this.answered[what] ?? 0) + 1;
  }

  uploaded(records: number): void {
    this.answered.records! += records;
  }

  /** requests answered so far, or since `before` */
  counts(before?: Record<string, number>): Record<string, number> {
    return Object.fromEntries(Object.entries(this.answered).map(([k, v]) => [k, v - (before?.[k] ?? 0)]));
  }

  /** uploads a busy server refused with a Retry-After (admission control): the station waits and sends again */
  busy = 0;

  error(what: string, err: unknown): void {
    if (err instanceof TransientServerError && err.retryAfterMs !== null) {
      this.busy++;
      return;
    }
    const key = `${what}: ${(err as Error).constructor.name}: ${(err as Error).message.slice(0, 120)}`;
    this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
  }

  errorCount(): number {
    return [...this.errors.values()].reduce((a, b) => a + b, 0);
  }

  /** errors by kind so far */
  errorKinds(): Record<string, number> {
    return Object.fromEntries(this.errors);
  }

  /** `fn` timed into `into` while recording; a failure is counted and rethrown, as the station sees it */
  timed<T>(what: string, into: number[], fn: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    let started: Promise<T>;
    try {
      started = fn();
    } catch (err) {
      started = Promise.reject(err);
    }
    return this.settled(what, into, t0, started);
  }

  /** a request `started` at `t0` timed as `timed` does (holding no closure over what it was sent) */
  async settled<T>(what: string, into: number[], t0: number, started: Promise<T>): Promise<T> {
    try {
      const r = await started;
      if (this.recording) into.push(performance.now() - t0);
      this.answer(what);
      return r;
    } catch (err) {
      this.error(what, err);
      throw err;
    }
  }
}

/**
 * A station's journal as the uploader sees it, without a database: a hash chain sealed with the
 * shared code (shared/journal). Only the chain's hashes are kept (32 bytes a record, so a backlog of
 * millions fits): a record read for upload is rebuilt from its draft, which is a function of its seq,
 * and the stored hashes, as a station reads its sealed rows back. `sealAhead` seals what was decided
 * offline before the link returns, as a station seals each record when it decides it, so the drain
 * measures the upload and not the load generator's hashing (13 s of the 640k backlog's 28 s before).
 */
export class LightJournal implements OutboxSource {
  private journaled = 0;
  private watermark = 0;
  /** hashes of seq 1..sealedTo, 32 bytes each */
  private hashes = Buffer.alloc(32 * 256);
  private sealedTo = 0;
  private readonly at = Date.now();

  constructor(readonly stationId: string) {}

  /** `n` more records were decided at the station */
  journal(n: number): void {
    this.journaled += n;
  }

  /** seal every record decided so far (a station seals at decision time) */
  sealAhead(): void {
    this.sealTo(this.journaled);
  }

  lastSeq(): number {
    return this.journaled;
  }

  private hashOf(seq: number): string {
    return seq === 0 ? GENESIS_HASH : this.hashes.toString('hex', (seq - 1) * 32, seq * 32);
  }

  private sealTo(seq: number): void {
    if (seq <= this.sealedTo) return;
    if (seq * 32 > this.hashes.length) {
      const grown = Buffer.alloc(Math.max(seq * 32, this.hashes.length * 2));
      this.hashes.copy(grown);
      this.hashes = grown;
    }
    let prev = this.hashOf(this.sealedTo);
    for (let k = this.sealedTo + 1; k <= seq; k++) {
      prev = sealNext(vehicleDraft(this.stationId, k, this.at + k), k, prev).hash;
      this.hashes.write(prev, (k - 1) * 32, 'hex');
    }
    this.sealedTo = seq;
  }

  outboxBatch(limit: number, afterSeq = 0): JournalRecord[] {
    const from = Math.max(afterSeq, this.watermark);
    const to = Math.min(this.journaled, from + limit);
    this.sealTo(to);
    const out: JournalRecord[] = [];
    for (let seq = from + 1; seq <= to; seq++) {
      out.push(chainRecord(vehicleDraft(this.stationId, seq, this.at + seq), seq, this.hashOf(seq - 1), this.hashOf(seq)));
    }
    return out;
  }

  ackOutbox(uptoSeq: number): void {
    const upto = Math.min(uptoSeq, this.sealedTo);
    if (upto > this.watermark) this.watermark = upto;
  }

  ackedSeq(): number {
    return this.watermark;
  }

  rewindOutbox(toSeq: number): number {
    // Acknowledged records are not re-sent here: a server that loses them is an error of the run.
    throw new Error(`the server's acknowledged seq went back to ${toSeq} from ${this.watermark}`);
  }

  outboxBacklog(): number {
    return this.journaled - this.watermark;
  }
}

/**
 * An upload timed into the tally. A function of its own, so that no closure that lives until the
 * answer holds the batch's records: with 2,000 stations' batches in flight they came to gigabytes of
 * this process's heap (the uploader and the HTTP client hold only the body while they wait).
 */
function timedUpload(tally: Tally, http: HttpServerApi, records: JournalRecord[]): Promise<BatchAck> {
  const n = records.length;
  const t0 = performance.now();
  return tally.settled('upload', tally.ackMs, t0, http.upload(records)).then((ack) => (tally.uploaded(n), ack));
}

/**
 * One light station: the real HTTP client (answers checked against the shared contracts), the real
 * uploader over a LightJournal, the real heartbeat sender every 15 s, a feed poll every 30 s
 * (`changes` from its cursor, as the sync client does once it has a snapshot), and the feed's
 * doorbell held open between polls, as a station's sync client holds it.
 */
export class SimStation {
  readonly journal: LightJournal;
  private uploader: Uploader;
  private readonly heartbeat: HeartbeatSender;
  private readonly api: ServerApi;
  private cursor: number;
  private feedTimer: NodeJS.Timeout | null = null;
  private readonly http: HttpServerApi;
  private doorbell: AbortController | null = null;

  constructor(
    private readonly cred: { stationId: string; secret: string },
    baseUrl: string,
    private readonly tally: Tally,
    feedHead: number,
    transport: FetchLike,
    private readonly intervals = { heartbeatMs: 15_000, feedMs: 30_000 },
  ) {
    const http = new HttpServerApi({ baseUrl, stationId: cred.stationId, secret: cred.secret, fetch: transport });
    this.http = http;
    this.api = {
      snapshotPage: (p, l) => http.snapshotPage(p, l),
      changes: (s, l) => tally.timed('feed', tally.feedMs, () => http.changes(s, l)),
      upload: (r) => timedUpload(tally, http, r),
      heartbeat: (h) => tally.timed('heartbeat', tally.heartbeatMs, () => http.heartbeat(h)),
    };
    this.cursor = feedHead;
    this.journal = new LightJournal(cred.stationId);
    this.uploader = this.newUploader();
    // as the station's link wires them: an answered heartbeat ends the uploader's backoff
    this.heartbeat = new HeartbeatSender(this.api, () => this.heartbeatBody(), this.intervals.heartbeatMs, Date.now, () => this.uploader.serverAnswered());
  }

  private newUploader(): Uploader {
    return new Uploader({ api: this.api, outbox: this.journal });
  }

  start(): void {
    this.uploader.start();
    this.heartbeat.start();
    const poll = async () => {
      await this.pull();
      if (this.feedTimer) this.feedTimer = setTimeout(() => void poll(), this.intervals.feedMs);
    };
    this.feedTimer = setTimeout(() => void poll(), Math.random() * this.intervals.feedMs);
    void this.ring();
  }

  /** the changes after the cursor, as the sync client takes them */
  private async pull(): Promise<void> {
    try {
      for (;;) {
        const page = await this.api.changes(this.cursor, 1000);
        this.cursor = page.cursor;
        if (page.items.length < 1000) break;
      }
    } catch {
      // counted by the tally; the next poll tries again, as the sync client does
    }
  }

  /** The feed's doorbell held open, as a station's sync client does between rounds (station/sync/sync-client.ts). */
  private async ring(): Promise<void> {
    const abort = new AbortController();
    this.doorbell = abort;
    while (!abort.signal.aborted) {
      this.tally.held++;
      let moved = false;
      let head = 0;
      try {
        ({ moved, head } = await this.http.waitForChanges(this.cursor, 25_000, abort.signal));
      } catch (err) {
        this.tally.held--;
        if (abort.signal.aborted) return;
        this.tally.error('doorbell', err);
        await new Promise((r) => setTimeout(r, 1000 + Math.random() * 1000));
        continue;
      }
      this.tally.held--;
      this.tally.answer('doorbell');
      if (moved && this.tally.timing) this.tally.rings.push({ head, at: performance.now() });
      if (moved) await this.pull();
    }
  }

  /** `n` records decided: the uploader batches them as a station's does (up to a second's wait) */
  decide(n: number): void {
    this.journal.journal(n);
    this.uploader.notify();
  }

  /** the link goes down: the uploader stops; records decided meanwhile wait in the journal */
  async disconnectUploads(): Promise<void> {
    await this.uploader.stop();
    this.uploader = this.newUploader();
  }

  reconnectUploads(): void {
    this.uploader.start();
  }

  async stop(): Promise<void> {
    this.doorbell?.abort();
    if (this.feedTimer) clearTimeout(this.feedTimer);
    this.feedTimer = null;
    await Promise.all([this.uploader.stop(), this.heartbeat.stop()]);
  }

  private heartbeatBody(): Heartbeat {
    return {
      stationId: this.cred.stationId,
      softwareVersion: 'bench-national',
      clock: Date.now(),
      cacheCursor: this.cursor,
      cacheAgeMs: 0,
      outboxBacklog: this.journal.outboxBacklog(),
      lastSeq: this.journal.lastSeq(),
      scanners: [{ id: 's1', kind: 'serial', lane: 'L1', direction: 'entry', state: 'connected', path: '/dev/serial/by-id/sim', lastReadAt: null }],
    };
  }
}
