import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { JournalRecord } from '../../../shared/contracts/journal.js';
import { HttpServerApi, type FetchLike, type ServerApi } from '../../../station/net/server-api.js';
import { busyWait } from '../../../station/sync/backoff.js';
import { Uploader } from '../../../station/sync/uploader.js';
import { FlakyServer, MemoryOutbox, records } from './upload-fakes.js';

const api = (s: FlakyServer) => ({ upload: s.upload.bind(s) }) as unknown as ServerApi;

/**
 * The real client over a fetch that answers from a FlakyServer: a busy fault is a 503 with
 * Retry-After (in seconds, as the server sends it) and the server's error body.
 */
function httpTo(server: FlakyServer, retryAfterSeconds: number): HttpServerApi {
  const fetch: FetchLike = async (_url, init) => {
    const { records: batch } = JSON.parse(init.body!) as { records: JournalRecord[] };
    try {
      const ack = await server.upload(batch);
      return { status: 200, text: async () => JSON.stringify(ack) };
    } catch {
      const body = { statusCode: 503, code: 'INGEST_BUSY', message: 'busy', messageVi: 'bận', retryAfterSeconds };
      return { status: 503, headers: new Headers({ 'retry-after': String(retryAfterSeconds) }), text: async () => JSON.stringify(body) };
    }
  };
  return new HttpServerApi({ baseUrl: 'http://server.test', stationId: 'st-1', secret: 's', fetch });
}

describe('uploader and a busy server (503 with Retry-After)', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('waits at least the Retry-After the server asked for, then sends, losing nothing', async () => {
    const server = new FlakyServer();
    server.failNext = [{ busyMs: 0 }]; // the busy answer; its wait comes from the 503's header
    const outbox = new MemoryOutbox(records(30));
    // the largest jitter: 0.999 of a second's spread
    const up = new Uploader({ api: httpTo(server, 5), outbox, batchSize: 10, maxDelayMs: 1, random: () => 0.999 });
    up.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toBe(1);
    expect(outbox.outboxBacklog()).toBe(30);
    // busy, not failing: the link's status (and the officer's screen) keeps the server reachable
    expect(up.status()).toMatchObject({ state: 'server-busy', lastError: null, backlog: 30 });

    await vi.advanceTimersByTimeAsync(4999);
    expect(server.calls).toBe(1); // not before Retry-After
    await vi.advanceTimersByTimeAsync(1248); // the wait is 5 s + ⌊0.999 × 1,250⌋ = 6,248 ms: one short of it
    expect(server.calls).toBe(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toBeGreaterThan(1);
    expect(server.callTimes[1]! - server.callTimes[0]!).toBe(6248);
    await vi.waitFor(() => expect(outbox.outboxBacklog()).toBe(0));
    expect([...server.stored.keys()].sort((a, b) => a - b)).toEqual(records(30).map((r) => r.seq));
    expect([...server.stored.values()].every((n) => n === 1)).toBe(true);
    await up.stop();
  });

  it('does not escalate its backoff after many busy answers: each wait stays the Retry-After plus jitter', async () => {
    const server = new FlakyServer();
    server.failNext = Array.from({ length: 6 }, () => ({ busyMs: 1000 }));
    const outbox = new MemoryOutbox(records(10));
    const up = new Uploader({ api: api(server), outbox, batchSize: 10, maxDelayMs: 1, backoffMinMs: 500, backoffMaxMs: 60_000, random: () => 0.5 });
    up.start();
    await vi.advanceTimersByTimeAsync(6 * 1500);
    await vi.waitFor(() => expect(outbox.outboxBacklog()).toBe(0));
    await up.stop();
    const gaps = server.callTimes.slice(1).map((t, i) => t - server.callTimes[i]!);
    // a failing link's backoff would have doubled towards 60 s by the sixth failure
    expect(gaps).toEqual([1500, 1500, 1500, 1500, 1500, 1500]);
    expect(server.stored.size).toBe(10);
  });

  it('keeps in the outbox what a busy answer refused while the other batch in flight was acknowledged', async () => {
    const server = new FlakyServer();
    const outbox = new MemoryOutbox(records(40));
    // the first batch goes alone and is acknowledged; then two in flight, and the first of them is refused
    server.failNext = ['ok', { busyMs: 2000 }];
    const sent: number[] = [];
    const watching = { upload: (b: JournalRecord[]) => (sent.push(b[0]!.seq), server.upload(b)) } as unknown as ServerApi;
    const up = new Uploader({ api: watching, outbox, batchSize: 10, maxDelayMs: 1, random: () => 0 });
    up.start();
    await vi.advanceTimersByTimeAsync(0);
    // 1..10 acknowledged; 11..20 refused; 21..30 stored but not acknowledged past the gap
    expect(outbox.ackedSeq()).toBe(10);
    expect(outbox.outboxBacklog()).toBe(30);
    expect(sent).toEqual([1, 11, 21]);
    await vi.advanceTimersByTimeAsync(1999);
    expect(sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1);
    await vi.waitFor(() => expect(outbox.outboxBacklog()).toBe(0));
    await up.stop();
    expect(sent[3]).toBe(11);
    expect([...server.stored.keys()].sort((a, b) => a - b)).toEqual(records(40).map((r) => r.seq));
  });
});

describe('busyWait', () => {
  it('is at least the Retry-After, with up to a quarter of it (at least a second) of jitter', () => {
    expect(busyWait(5000, () => 0)).toBe(5000);
    expect(busyWait(1000, () => 0.999)).toBe(1999);
    expect(busyWait(20_000, () => 0.999)).toBe(24_995);
    expect(busyWait(20_000, () => 0.5)).toBe(22_500);
  });
});
