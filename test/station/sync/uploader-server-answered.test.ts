import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Heartbeat, HeartbeatAck } from '../../../shared/contracts/heartbeat.js';
import { TransientServerError, type ServerApi } from '../../../station/net/server-api.js';
import { HeartbeatSender } from '../../../station/sync/heartbeat.js';
import { Uploader } from '../../../station/sync/uploader.js';
import { FlakyServer, MemoryOutbox, records } from './upload-fakes.js';

const api = (s: FlakyServer) => ({ upload: s.upload.bind(s) }) as unknown as ServerApi;

/**
 * A server back after an outage: the uploader's backoff (up to a minute) ends when another request of
 * the station (its heartbeat) has the server's answer, so the backlog goes then, not a minute later.
 */
describe('uploader: the server answered another request', () => {
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => void vi.useRealTimers());

  it('ends a failure\'s backoff at once and sends, keeping the backoff\'s count', async () => {
    const server = new FlakyServer();
    server.failNext = ['network', 'network'];
    const outbox = new MemoryOutbox(records(10));
    // every backoff at least 30 s (half the minimum), so only serverAnswered() can end one early
    const up = new Uploader({ api: api(server), outbox, batchSize: 10, maxDelayMs: 1, backoffMinMs: 60_000, backoffMaxMs: 60_000 });
    up.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toBe(1);
    expect(up.status().state).toBe('retrying');

    await vi.advanceTimersByTimeAsync(10_000);
    expect(server.calls).toBe(1);
    up.serverAnswered();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toBe(2); // the second failure: a new backoff, not a retry loop
    expect(server.callTimes[1]! - server.callTimes[0]!).toBe(10_000);

    await vi.advanceTimersByTimeAsync(5_000);
    expect(server.calls).toBe(2);
    up.serverAnswered();
    await vi.advanceTimersByTimeAsync(0);
    expect(server.calls).toBe(3);
    expect(outbox.outboxBacklog()).toBe(0);
    expect(up.status()).toMatchObject({ lastError: null, uploaded: 10 });
    await up.stop();
  });

  it('does nothing while idle or sending, and keeps a busy server\'s Retry-After', async () => {
    const server = new FlakyServer();
    server.failNext = [{ busyMs: 20_000 }];
    const outbox = new MemoryOutbox(records(10));
    const up = new Uploader({ api: api(server), outbox, batchSize: 10, maxDelayMs: 1, random: () => 0 });
    up.serverAnswered(); // not started: nothing to end
    up.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(up.status().state).toBe('server-busy');
    up.serverAnswered();
    await vi.advanceTimersByTimeAsync(19_999);
    expect(server.calls).toBe(1); // the server asked for 20 s and gets them
    await vi.advanceTimersByTimeAsync(1);
    expect(server.calls).toBe(2);
    expect(outbox.outboxBacklog()).toBe(0);
    await up.stop();
  });
});

describe('heartbeat: the answer is passed on', () => {
  it('calls onAnswer after an answered heartbeat only', async () => {
    let fail = true;
    const hbApi = {
      heartbeat: async (_hb: Heartbeat): Promise<HeartbeatAck> => {
        if (fail) throw new TransientServerError('POST /api/v1/stations/heartbeat: connect ECONNREFUSED');
        return { serverTime: 1_000, clockSkewMs: 0 };
      },
    } as unknown as ServerApi;
    let answers = 0;
    const hb = new HeartbeatSender(hbApi, () => ({}) as Heartbeat, 15_000, () => 1_000, () => answers++);
    await hb.beat();
    expect(answers).toBe(0);
    expect(hb.lastError).toMatch(/ECONNREFUSED/);
    fail = false;
    await hb.beat();
    expect(answers).toBe(1);
    expect(hb.lastError).toBeNull();
  });
});
