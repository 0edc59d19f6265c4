import { describe, expect, it, vi } from 'vitest';
import type { BatchAck, JournalRecord } from '../../../shared/contracts/journal.js';
import { TransientServerError, type ServerApi } from '../../../station/net/server-api.js';
import { Uploader, type OutboxSource } from '../../../station/sync/uploader.js';
import { FlakyServer, MemoryOutbox, records } from './upload-fakes.js';

const api = (s: FlakyServer) => ({ upload: s.upload.bind(s) }) as unknown as ServerApi;

describe('uploader (store-and-forward)', () => {
  it('drains a backlog in order in full batches and removes only acknowledged records', async () => {
    const server = new FlakyServer();
    const outbox = new MemoryOutbox(records(2345));
    const up = new Uploader({ api: api(server), outbox, batchSize: 500 });
    expect(await up.drain()).toBe(2345);
    expect(outbox.outboxBacklog()).toBe(0);
    expect(server.calls).toBe(5);
    expect([...server.stored.keys()].length).toBe(2345);
  });

  it('keeps two batches in flight once one is acknowledged, and drains even when the server takes them out of order', async () => {
    const server = new FlakyServer();
    const outbox = new MemoryOutbox(records(1000));
    let inFlight = 0;
    let most = 0;
    let calls = 0;
    // every second request is stored late, after the next one has been: the server sees them swapped
    const order: number[] = [];
    const swapping = {
      upload: async (b: JournalRecord[]) => {
        inFlight++;
        most = Math.max(most, inFlight);
        const n = ++calls;
        if (n % 2 === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        order.push(b[0]!.seq);
        const ack = await server.upload(b);
        inFlight--;
        return ack;
      },
    } as unknown as ServerApi;
    const up = new Uploader({ api: swapping, outbox, batchSize: 100 });
    expect(await up.drain()).toBe(1000);
    expect(outbox.outboxBacklog()).toBe(0);
    expect(most).toBe(2);
    expect(order.slice(0, 3)).toEqual([1, 201, 101]);
    expect([...server.stored.values()].every((n) => n === 1)).toBe(true);
  });

  it('a failed send keeps the records; a lost acknowledgement is re-sent and the server sees a duplicate, not a gap', async () => {
    const server = new FlakyServer();
    const outbox = new MemoryOutbox(records(100));
    const up = new Uploader({ api: api(server), outbox, batchSize: 50 });
    server.failNext = ['network'];
    await expect(up.drain()).rejects.toThrow(/reset/);
    expect(outbox.outboxBacklog()).toBe(100);
    server.failNext = ['lost-ack'];
    await expect(up.drain()).rejects.toThrow(/lost/);
    expect(outbox.outboxBacklog()).toBe(100);
    await up.drain();
    expect(outbox.outboxBacklog()).toBe(0);
    expect(server.stored.get(1)).toBe(2); // sent twice; the real server's idempotent ingest stores it once
    expect(server.stored.size).toBe(100);
  });

  it('the background loop retries with backoff until the server comes back', async () => {
    const server = new FlakyServer();
    const outbox = new MemoryOutbox(records(10));
    server.failNext = ['network', 'network'];
    const up = new Uploader({ api: api(server), outbox, batchSize: 10, backoffMinMs: 5, backoffMaxMs: 20, maxDelayMs: 1 });
    up.start();
    await vi.waitFor(() => expect(outbox.outboxBacklog()).toBe(0), { timeout: 5000, interval: 5 });
    await up.stop();
    expect(server.calls).toBe(3);
    expect(up.status()).toMatchObject({ state: 'stopped', uploaded: 10, lastError: null });
  });

  it('an acknowledged batch resets the backoff, so a flaky link still drains a backlog quickly', async () => {
    const server = new FlakyServer();
    const outbox = new MemoryOutbox(records(200));
    // Every other send fails, each after a batch went through: ten failures in all. Without the reset
    // the waits would double each time (about 25 s in all); with it each stays under backoffMinMs.
    let sends = 0;
    const flaky = { upload: (b: JournalRecord[]) => (++sends % 2 === 0 ? Promise.reject(new TransientServerError('connection reset')) : server.upload(b)) } as unknown as ServerApi;
    const up = new Uploader({ api: flaky, outbox, batchSize: 20, backoffMinMs: 50, backoffMaxMs: 60_000, maxDelayMs: 1 });
    up.start();
    await vi.waitFor(() => expect(outbox.outboxBacklog()).toBe(0), { timeout: 8000, interval: 10 });
    await up.stop();
    expect(server.stored.size).toBe(200);
  });

  it('a server whose acknowledged seq went back (failed over to a lagging standby) is sent the lost records again from the journal', async () => {
    const server = new FlakyServer();
    const outbox = new MemoryOutbox(records(100));
    const logs: string[] = [];
    const up = new Uploader({ api: api(server), outbox, batchSize: 50, log: (m) => logs.push(m) });
    expect(await up.drain()).toBe(100);
    expect(outbox.ackedSeq()).toBe(100);
    // The standby had replayed the primary up to seq 60 when it was promoted.
    for (let seq = 61; seq <= 100; seq++) server.stored.delete(seq);
    outbox.rows.push(...records(120).slice(100));
    await up.drain();
    expect(outbox.ackedSeq()).toBe(120);
    expect(outbox.outboxBacklog()).toBe(0);
    expect([...server.stored.keys()].sort((a, b) => a - b)).toEqual(records(120).map((r) => r.seq));
    // 61..100 were sent once to the promoted server; only the batch that revealed the gap went twice.
    expect([...server.stored.entries()].filter(([seq, n]) => seq > 60 && seq <= 100 && n !== 1)).toEqual([]);
    expect(logs.some((m) => /acknowledges seq 60, below the 100/.test(m))).toBe(true);
  });

  it('an answer that is late, not lower than what was held when its request left, moves nothing back', async () => {
    const server = new FlakyServer();
    const outbox = new MemoryOutbox(records(400));
    let calls = 0;
    // The second request is stored after the third: the third's answer (ack 100) is lower than the
    // second's (ack 300) when it is read, but not lower than the watermark held when it was sent.
    const swapping = {
      upload: async (b: JournalRecord[]) => {
        if (++calls === 2) await new Promise((resolve) => setTimeout(resolve, 30));
        return server.upload(b);
      },
    } as unknown as ServerApi;
    const rewinds: number[] = [];
    const watched: OutboxSource = { ...bind(outbox), rewindOutbox: (to) => (rewinds.push(to), outbox.rewindOutbox(to)) };
    const up = new Uploader({ api: swapping, outbox: watched, batchSize: 100 });
    expect(await up.drain()).toBe(400);
    expect(rewinds).toEqual([]);
    expect([...server.stored.values()].every((n) => n === 1)).toBe(true);
  });
});

function bind(o: MemoryOutbox): OutboxSource {
  return {
    outboxBatch: (l, a) => o.outboxBatch(l, a),
    ackOutbox: (u) => o.ackOutbox(u),
    ackedSeq: () => o.ackedSeq(),
    rewindOutbox: (t) => o.rewindOutbox(t),
    outboxBacklog: () => o.outboxBacklog(),
  };
}
