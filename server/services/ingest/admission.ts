/**
 * Admission control for stations' uploads: an instance holds at most `maxRecords` records accepted
 * but not yet answered (queued in the group commit, being stored, or still being read), and refuses
 * the next upload at once past that bound, with how long to wait. After a national outage 2,000
 * stations reconnect with two 1,000-record uploads each: admitted all at once they would queue
 * millions of records in memory, wait past the stations' 15 s timeout, be re-sent and stored twice.
 * Refused, they cost a few microseconds and come back when the queue has room.
 *
 * An upload is counted from its first byte: its records are not known before its body is parsed, so
 * it reserves an estimate from its Content-Length (`estimateRecords`), settled to the real count once
 * parsed. Pure logic with the clock passed in; the ingest route wires it to requests.
 */

import { ServiceBusyError } from '../../domain-errors.js';

export interface AdmissionOptions {
  /** records held at most; an upload arriving at or past it is refused */
  maxRecords: number;
  clock: () => number;
  /** the drain rate assumed before one is measured (records/s) */
  nominalRecordsPerSec?: number;
  /** how far back the drain rate is measured */
  windowMs?: number;
  /** told the records held after each change (the metrics' gauge) */
  onChange?: (held: number) => void;
}

/**
 * Retry-After's range: at least a second (HTTP's unit); at most 10 s, since the estimate is rough and
 * a station told to wait longer than the queue takes to drain leaves the instance idle (with 30 s the
 * national load test's 640k backlog drained in 57 s instead of 25 s: a tail of stations asleep while
 * both instances' queues stood empty).
 */
export const RETRY_AFTER_MIN_S = 1;
export const RETRY_AFTER_MAX_S = 10;

/**
 * One instance stores about 25,000 records a second (the national load test's backlog drain, two
 * instances on one PostgreSQL), which is the rate assumed until one is measured.
 */
const NOMINAL_RECORDS_PER_SEC = 25_000;
/** a drain measured over less time than this says little: the nominal rate stands in */
const MIN_MEASURED_MS = 500;

const SLOT_MS = 100;

/** the fewest bytes a valid journal record takes in JSON (22 keys, two SHA-256 hex hashes) */
const MIN_RECORD_BYTES = 300;

/** An upload's records before its body is read: what its Content-Length can hold, at most a full batch. */
export function estimateRecords(contentLength: number | undefined, maxBatch: number): number {
  if (contentLength === undefined || !Number.isFinite(contentLength) || contentLength < 0) return maxBatch;
  return Math.max(1, Math.min(maxBatch, Math.ceil(contentLength / MIN_RECORD_BYTES)));
}

/** An admitted upload's hold on the queue; `done` releases it once, whatever calls it first. */
export interface AdmissionTicket {
  /** the real number of records, once the body is parsed */
  settle(records: number): void;
  /** the upload is answered: `stored` counts its records towards the measured drain rate */
  done(stored: boolean): void;
}

export class IngestAdmission {
  private heldRecords = 0;
  /** when the queue last became non-empty (null: empty): the drain rate is measured while busy only */
  private busySince: number | null = null;
  /**
   * answered records by 100 ms slot, oldest first, within the window: [slot, time of the slot's last
   * answer, records]. Slots, not one entry per upload, so that at 2,000 uploads a second the list
   * stays about 50 long and a storm of refusals, each asking for the rate, costs little.
   */
  private drained: [number, number, number][] = [];
  private readonly nominal: number;
  private readonly windowMs: number;

  constructor(private readonly opts: AdmissionOptions) {
    this.nominal = opts.nominalRecordsPerSec ?? NOMINAL_RECORDS_PER_SEC;
    this.windowMs = opts.windowMs ?? 5000;
  }

  /** records held now: reserved, queued and in flight */
  get held(): number {
    return this.heldRecords;
  }

  /**
   * Admit an upload of about `estimate` records, or null when the bound is reached. Past an empty
   * queue one upload always goes in, however large, so a bound below a batch cannot stop ingest.
   */
  admit(estimate: number): AdmissionTicket | null {
    if (this.heldRecords >= this.opts.maxRecords) return null;
    let holding = estimate;
    let open = true;
    this.add(holding);
    return {
      settle: (records) => {
        if (!open) return;
        this.add(records - holding);
        holding = records;
      },
      done: (stored) => {
        if (!open) return;
        open = false;
        this.add(-holding);
        if (stored) this.noteDrained(holding);
      },
    };
  }

  /** records per second the queue has drained at lately, while busy; the nominal rate until measured */
  drainRate(): number {
    const now = this.opts.clock();
    this.prune(now);
    const since = Math.max(now - this.windowMs, this.busySince ?? now);
    const span = now - since;
    if (span < MIN_MEASURED_MS) return this.nominal;
    const records = this.drained.reduce((n, [, t, r]) => (t >= since ? n + r : n), 0);
    return records > 0 ? (records * 1000) / span : this.nominal;
  }

  /**
   * How long a refused upload should wait, in whole seconds within range: until the queue has drained
   * to half its bound (its depth past that over the drain rate), not until it is empty, so the refused
   * stations come back while the instance still has work and find room, and it never stands idle
   * while they are on their way.
   */
  retryAfterSeconds(): number {
    const s = Math.ceil(Math.max(0, this.heldRecords - this.opts.maxRecords / 2) / this.drainRate());
    return Math.min(RETRY_AFTER_MAX_S, Math.max(RETRY_AFTER_MIN_S, s));
  }

  private add(records: number): void {
    const was = this.heldRecords;
    this.heldRecords += records;
    if (was <= 0 && this.heldRecords > 0) this.busySince = this.opts.clock();
    else if (this.heldRecords <= 0) this.busySince = null;
    this.opts.onChange?.(this.heldRecords);
  }

  private noteDrained(records: number): void {
    const now = this.opts.clock();
    const slot = Math.floor(now / SLOT_MS);
    const last = this.drained[this.drained.length - 1];
    if (last && last[0] === slot) {
      last[1] = now;
      last[2] += records;
    } else this.drained.push([slot, now, records]);
    this.prune(now);
  }

  private prune(now: number): void {
    let i = 0;
    while (i < this.drained.length && this.drained[i]![1] < now - this.windowMs) i++;
    if (i > 0) this.drained.splice(0, i);
  }
}

/** An upload refused because the instance holds as many records as it may: send it again after `retryAfterSeconds`. */
export class IngestBusyError extends ServiceBusyError {
  override readonly code: string = 'INGEST_BUSY';
  constructor(retryAfterSeconds: number) {
    super(
      `the server is busy storing other stations' records; send this batch again in ${retryAfterSeconds} s`,
      `Máy chủ đang bận lưu dữ liệu của các trạm khác; trạm sẽ tự gửi lại lô này sau ${retryAfterSeconds} giây`,
      { retryAfterSeconds },
    );
  }
}
