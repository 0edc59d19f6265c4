import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { HttpServerApi, RequestRejected, TransientServerError, type FetchLike } from '../../../station/net/server-api.js';
import { makeTestApp, registerStation, userWithRole } from '../../server/helpers.js';
import { journalChain } from '../../server/journal-fixtures.js';

const now = Date.UTC(2021, 8, 1, 8, 0, 0);

/** A client whose every request is answered with this status, headers and body. */
function answering(status: number, headers: Record<string, string> | null, body: string): HttpServerApi {
  const fetch: FetchLike = async () => ({ status, ...(headers ? { headers: new Headers(headers) } : {}), text: async () => body });
  return new HttpServerApi({ baseUrl: 'http://server.test', stationId: 'st-1', secret: 's', fetch, clock: () => now });
}

const failure = (p: Promise<unknown>) => p.then(() => { throw new Error('expected a failure'); }, (e: unknown) => e);

describe('HttpServerApi: a busy server', () => {
  it('turns a 503 with Retry-After into a TransientServerError that carries retryAfterMs', async () => {
    const err = await failure(answering(503, { 'retry-after': '7' }, '{"code":"INGEST_BUSY"}').upload(journalChain('st-1', 1)));
    expect(err).toBeInstanceOf(TransientServerError);
    expect(err).toMatchObject({ code: 'TRANSIENT', retryAfterMs: 7000 });
  });

  it('does the same for a 429, with the wait as an HTTP date', async () => {
    const err = await failure(answering(429, { 'retry-after': new Date(now + 3000).toUTCString() }, '').heartbeat({} as never));
    expect(err).toMatchObject({ code: 'TRANSIENT', retryAfterMs: 3000 });
  });

  it('reads the wait from the error body when the transport passes no headers', async () => {
    const err = await failure(answering(503, null, JSON.stringify({ code: 'INGEST_BUSY', retryAfterSeconds: 2 })).upload(journalChain('st-1', 1)));
    expect(err).toMatchObject({ code: 'TRANSIENT', retryAfterMs: 2000 });
  });

  it('leaves retryAfterMs null for a 503 without a wait and for other 5xx', async () => {
    expect(await failure(answering(503, {}, 'Service Unavailable').upload(journalChain('st-1', 1)))).toMatchObject({ code: 'TRANSIENT', retryAfterMs: null });
    expect(await failure(answering(500, { 'retry-after': '5' }, '{}').upload(journalChain('st-1', 1)))).toMatchObject({ code: 'TRANSIENT', retryAfterMs: null });
    expect(await failure(answering(400, { 'retry-after': '5' }, '{}').upload(journalChain('st-1', 1)))).toBeInstanceOf(RequestRejected);
  });

  describe('against the real server', () => {
    let app: FastifyInstance | null = null;
    afterEach(async () => app?.close());

    it('maps a saturated server\'s INGEST_BUSY refusal to retryAfterMs, and uploads once it has room', async () => {
      app = await makeTestApp({ env: { INGEST_QUEUE_MAX_RECORDS: '10' } });
      const st = await registerStation(app, await userWithRole(app, 'admin', 1));
      await app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = app.server.address() as AddressInfo;
      const client = new HttpServerApi({ baseUrl: `http://127.0.0.1:${port}`, stationId: st.stationId, secret: st.secret });
      const busy = app.ingestAdmission.admit(10)!;
      const err = await failure(client.upload(journalChain(st.stationId, 5)));
      expect(err).toBeInstanceOf(TransientServerError);
      const ms = (err as TransientServerError).retryAfterMs;
      expect(ms !== null && ms >= 1000 && ms <= 30_000).toBe(true);
      busy.done(true);
      expect(await client.upload(journalChain(st.stationId, 5))).toMatchObject({ ackedSeq: 5, stored: 5 });
    });
  });
});

describe('HttpServerApi: a request\'s time limit', () => {
  afterEach(() => vi.useRealTimers());

  /** A transport that never answers until the signal it was given aborts; the signals it saw. */
  function silent(): { fetch: FetchLike; signals: AbortSignal[] } {
    const signals: AbortSignal[] = [];
    const fetch: FetchLike = (_url, init) => new Promise((_resolve, reject) => {
      signals.push(init.signal);
      init.signal.addEventListener('abort', () => reject(init.signal.reason as Error), { once: true });
    });
    return { fetch, signals };
  }

  it('gives up on a server that does not answer after timeoutMs, as a transient failure to retry later', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fetch, signals } = silent();
    const client = new HttpServerApi({ baseUrl: 'http://server.test', stationId: 'st-1', secret: 's', fetch, timeoutMs: 5000 });
    const pending = failure(client.upload(journalChain('st-1', 1)));
    vi.advanceTimersByTime(4999);
    expect(signals[0]!.aborted).toBe(false);
    vi.advanceTimersByTime(1);
    const err = await pending;
    expect(err).toBeInstanceOf(TransientServerError);
    expect((err as Error).message).toContain('no answer within 5000 ms');
    // the word the link's status, the logs and the network fault run recognise a time-out by
    expect((err as Error).message).toMatch(/\btimeout\b/i);
  });

  it('gives a doorbell wait its wait on top of timeoutMs, and ends it early when the station hangs up', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { fetch, signals } = silent();
    const client = new HttpServerApi({ baseUrl: 'http://server.test', stationId: 'st-1', secret: 's', fetch, timeoutMs: 5000 });
    const hangUp = new AbortController();
    const pending = failure(client.waitForChanges(0, 25_000, hangUp.signal));
    vi.advanceTimersByTime(29_999);
    expect(signals[0]!.aborted).toBe(false);
    hangUp.abort();
    expect(await pending).toBeInstanceOf(TransientServerError);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer running once the server has answered', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const signals: AbortSignal[] = [];
    const fetch: FetchLike = async (_url, init) => {
      signals.push(init.signal);
      return { status: 200, text: async () => JSON.stringify({ ackedSeq: 1, stored: 1, duplicates: 0, rejected: [], chainBreaks: [] }) };
    };
    const client = new HttpServerApi({ baseUrl: 'http://server.test', stationId: 'st-1', secret: 's', fetch, timeoutMs: 5000 });
    await client.upload(journalChain('st-1', 1));
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(signals[0]!.aborted).toBe(false);
  });
});
