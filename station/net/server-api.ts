import { TypeCompiler } from '@sinclair/typebox/compiler';
import type { TSchema, Static } from '@sinclair/typebox';
import { DeltaPageSchema, FeedWaitSchema, SnapshotPageSchema, type DeltaPage, type FeedWait, type SnapshotPage } from '../../shared/contracts/feed.js';
import { BatchAckSchema, type BatchAck, type JournalRecord } from '../../shared/contracts/journal.js';
import { HeartbeatAckSchema, type Heartbeat, type HeartbeatAck } from '../../shared/contracts/heartbeat.js';
import { StationOfficersSchema, type StationOfficers } from '../../shared/contracts/officers.js';
import { retryAfterMs } from './retry-after.js';

/**
 * The central server as the station sees it. Decisions never call this; sync and upload do. Every
 * answer is checked against its wire contract (shared/contracts) before it is returned, so callers
 * (the sync client) may skip checking the items again.
 */
export interface ServerApi {
  snapshotPage(page: string | null, limit: number): Promise<SnapshotPage>;
  changes(since: number, limit: number): Promise<DeltaPage>;
  /**
   * The feed's doorbell: resolves when the server's feed has changes after `since` (moved) or after
   * `waitMs` without any; `signal` ends the wait early. Optional: a server without it answers 404.
   */
  waitForChanges?(since: number, waitMs: number, signal: AbortSignal): Promise<FeedWait>;
  upload(records: JournalRecord[]): Promise<BatchAck>;
  heartbeat(hb: Heartbeat): Promise<HeartbeatAck>;
}

/** The server refused our credential: say so clearly, keep deciding offline. */
export class CredentialRejected extends Error {
  readonly code = 'CREDENTIAL_REJECTED';
}
/** Our cursor is older than the changes the server keeps: take a new snapshot. */
export class SnapshotRequired extends Error {
  readonly code = 'SNAPSHOT_REQUIRED';
}
/**
 * Worth retrying later: network down, timeout, 5xx, a cut-off or ill-formed answer. `retryAfterMs`:
 * the server is up but busy (503 or 429 with Retry-After) and said when to come back.
 */
export class TransientServerError extends Error {
  readonly code = 'TRANSIENT';
  constructor(message: string, readonly retryAfterMs: number | null = null) {
    super(message);
  }
}
/** The server rejected the request itself (4xx): retrying the same request will not help. */
export class RequestRejected extends Error {
  readonly code = 'REJECTED';
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

/** The part of `fetch` the client uses; another transport may stand in (the national load test's 2,000 stations in one process). */
export type FetchLike = (url: URL, init: { method: string; headers: Record<string, string>; body: string | undefined; signal: AbortSignal }) => Promise<FetchLikeResponse>;
/** `headers` may be left out by a transport: a busy server's wait is then read from its error body */
export interface FetchLikeResponse {
  status: number;
  headers?: { get(name: string): string | null };
  text(): Promise<string>;
}

export interface HttpServerApiOptions {
  baseUrl: string;
  stationId: string;
  secret: string;
  timeoutMs?: number;
  /** default: the global fetch */
  fetch?: FetchLike;
  /** wall clock, for a Retry-After given as a date (default Date.now) */
  clock?: () => number;
}

const checkers = new Map<TSchema, ReturnType<typeof TypeCompiler.Compile>>();
function check<S extends TSchema>(schema: S, value: unknown, what: string): Static<S> {
  let c = checkers.get(schema);
  if (!c) checkers.set(schema, (c = TypeCompiler.Compile(schema)));
  if (!c.Check(value)) {
    const e = c.Errors(value).First();
    throw new TransientServerError(`${what}: answer does not match the contract at ${e?.path ?? '/'}: ${e?.message ?? ''}`);
  }
  return value as Static<S>;
}

export class HttpServerApi implements ServerApi {
  private readonly auth: string;
  private readonly timeoutMs: number;
  private readonly fetch: FetchLike;

  constructor(private readonly opts: HttpServerApiOptions) {
    this.auth = `Station ${opts.stationId}:${opts.secret}`;
    this.timeoutMs = opts.timeoutMs ?? 15_000;
    this.fetch = opts.fetch ?? fetch;
  }

  /**
   * `body`: the request's JSON, already serialized (see upload). The request and the reading of its
   * answer are given `timeoutMs` (plus the wait asked for); the timer ends with the answer. An
   * `AbortSignal.timeout` would not: its timer runs its full course after the answer and then aborts
   * a finished request, one live timer for each request of the last 15 s (a load generator's 2,000
   * stations kept tens of thousands, and built an error object for each as it fired).
   */
  private async call(method: 'GET' | 'POST', path: string, body?: string, wait?: { ms: number; signal: AbortSignal }): Promise<unknown> {
    const deadline = new AbortController();
    const ms = this.timeoutMs + (wait?.ms ?? 0);
    const timer = setTimeout(() => deadline.abort(new DOMException(`timeout: no answer within ${ms} ms`, 'TimeoutError')), ms);
    timer.unref(); // as AbortSignal.timeout's: a request in flight does not hold a stopping station open by its timer
    try {
      return await this.answer(method, path, body, wait ? AbortSignal.any([deadline.signal, wait.signal]) : deadline.signal);
    } finally {
      clearTimeout(timer);
    }
  }

  private async answer(method: 'GET' | 'POST', path: string, body: string | undefined, signal: AbortSignal): Promise<unknown> {
    let res: FetchLikeResponse;
    try {
      res = await this.fetch(new URL(path, this.opts.baseUrl), {
        method,
        headers: { authorization: this.auth, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        body,
        signal,
      });
    } catch (err) {
      throw new TransientServerError(`${method} ${path}: ${(err as Error).message}`);
    }
    let text: string;
    try {
      text = await res.text();
    } catch (err) {
      throw new TransientServerError(`${method} ${path}: answer cut off: ${(err as Error).message}`);
    }
    if (res.status === 401 || res.status === 403) throw new CredentialRejected(`server refused station credential (${res.status})`);
    if (res.status === 410) throw new SnapshotRequired('cursor too old: take a new snapshot');
    if (res.status === 503 || res.status === 429) {
      const wait = retryAfterMs(res.headers?.get('retry-after'), text, (this.opts.clock ?? Date.now)());
      // the wait goes in its own field, not the message, so that logs and tallies group these answers as one kind
      throw new TransientServerError(`${method} ${path}: HTTP ${res.status}${wait === null ? '' : ' (server busy: retry later)'}`, wait);
    }
    if (res.status >= 500 || res.status === 408) throw new TransientServerError(`${method} ${path}: HTTP ${res.status}`);
    if (res.status >= 400) throw new RequestRejected(res.status, `${method} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    try {
      return JSON.parse(text);
    } catch {
      throw new TransientServerError(`${method} ${path}: answer is not JSON (cut off?)`);
    }
  }

  async snapshotPage(page: string | null, limit: number): Promise<SnapshotPage> {
    const q = new URLSearchParams({ limit: String(limit), ...(page ? { page } : {}) });
    return check(SnapshotPageSchema, await this.call('GET', `/api/v1/feed/snapshot?${q}`), 'snapshot');
  }

  async changes(since: number, limit: number): Promise<DeltaPage> {
    const q = new URLSearchParams({ since: String(since), limit: String(limit) });
    return check(DeltaPageSchema, await this.call('GET', `/api/v1/feed/changes?${q}`), 'changes');
  }

  async waitForChanges(since: number, waitMs: number, signal: AbortSignal): Promise<FeedWait> {
    const q = new URLSearchParams({ since: String(since), waitMs: String(waitMs) });
    return check(FeedWaitSchema, await this.call('GET', `/api/v1/feed/wait?${q}`, undefined, { ms: waitMs, signal }), 'wait');
  }

  /**
   * Not async itself: the records are serialized here and only the body is awaited with, so the
   * records can be collected while the answer is awaited (an async function keeps its arguments
   * until it returns; a load generator's thousands of batches in flight came to gigabytes).
   */
  upload(records: JournalRecord[]): Promise<BatchAck> {
    return this.post('/api/v1/ingest/batches', BatchAckSchema, 'ack', JSON.stringify({ stationId: this.opts.stationId, records }));
  }

  private async post<T extends TSchema>(path: string, schema: T, what: string, body: string): Promise<Static<T>> {
    return check(schema, await this.call('POST', path, body), what);
  }

  /** The province's officers (PIN hashes only) when they changed since `since`; the officer screen's sync asks. */
  async officers(since: number): Promise<StationOfficers> {
    return check(StationOfficersSchema, await this.call('GET', `/api/v1/station/officers?since=${since}`), 'officers');
  }

  async heartbeat(hb: Heartbeat): Promise<HeartbeatAck> {
    return this.post('/api/v1/stations/heartbeat', HeartbeatAckSchema, 'heartbeat', JSON.stringify(hb));
  }
}
