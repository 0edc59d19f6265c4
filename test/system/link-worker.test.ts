import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WorkerLink } from '../../station/sync/worker-link.js';
import { fromWireError, toWireError } from '../../station/sync/link-messages.js';
import { CredentialRejected, RequestRejected, SnapshotRequired, TransientServerError } from '../../station/net/server-api.js';
import { TestStation, world, type World } from './harness.js';

let w: World | null = null;
let st: TestStation | null = null;

afterEach(async () => {
  await st?.stop();
  await w?.central.stop();
  w?.cleanup();
  w = st = null;
});

describe('the link in its worker thread', () => {
  it('runs beside the deciding thread, which leaves the journal\'s checkpoints to it', async () => {
    w = await world();
    st = new TestStation(join(w.dir, 'station'), w.seed);
    await st.start({ url: w.central.url, credential: w.seed.station.secret });
    expect(st.link).toBeInstanceOf(WorkerLink);
    expect(st.station.store.pragmas().walAutocheckpoint).toBe(0);
    await st.link!.syncNow();
    expect(st.link!.status().sync).toMatchObject({ snapshots: 1, lastError: null });
    // What the worker applied is what the deciding thread reads.
    expect(st.station.store.syncState().cursor).toBe(st.link!.status().cacheCursor);
    const v = w.seed.vehicles.find((x) => x.sample.case === 'healthy')!;
    expect((await st.scan(v.passCode)).verdict).toBe('ALLOW');
    await vi.waitFor(() => expect(st!.station.store.outboxBacklog()).toBe(0), { timeout: 15_000, interval: 20 });
    expect(w.central.stored(st.station.config.stationId)).toEqual(st.journal());
  });

  it('a crashed worker is reported and restarted; scans are decided meanwhile and every record still arrives once', async () => {
    w = await world();
    st = new TestStation(join(w.dir, 'station'), w.seed);
    const entry = new URL('./fixtures/crash-once-link-worker.ts', import.meta.url);
    await st.start({ url: w.central.url, credential: w.seed.station.secret }, { worker: { entry, restartDelayMs: 1_500 } });
    await vi.waitFor(() => expect(st!.link!.status().crashes).toBe(1), { timeout: 15_000, interval: 10 });
    const crashed = st.link!.status();
    expect(crashed.serverReachable).toBe(false);
    expect(crashed.sync.lastError).toMatch(/link worker stopped \(Error: simulated crash in the link\)/);

    // The deciding thread does not depend on the link: scans go on and are journaled.
    const verdicts = [];
    for (const p of w.seed.walkIns) verdicts.push(await st.scan(p.code));
    expect(verdicts.length).toBe(w.seed.walkIns.length);
    expect(st.station.store.outboxBacklog()).toBeGreaterThanOrEqual(verdicts.length);

    // Restarted, it picks up from the watermark: every record at the server exactly once.
    await vi.waitFor(() => expect(st!.station.store.outboxBacklog()).toBe(0), { timeout: 20_000, interval: 20 });
    expect(w.central.stored(st.station.config.stationId)).toEqual(st.journal());
    await vi.waitFor(() => expect(st!.link!.status()).toMatchObject({ crashes: 1, serverReachable: true }), { timeout: 10_000, interval: 20 });
  });
});

describe('errors crossing from the station thread\'s ServerApi to the worker', () => {
  it('keep their class, so the sync client and uploader still tell a snapshot request from a refusal', () => {
    const cross = (e: Error) => fromWireError(JSON.parse(JSON.stringify(toWireError(e))));
    expect(cross(new SnapshotRequired('cursor too old'))).toBeInstanceOf(SnapshotRequired);
    expect(cross(new CredentialRejected('bad secret'))).toBeInstanceOf(CredentialRejected);
    expect(cross(new TransientServerError('502'))).toBeInstanceOf(TransientServerError);
    const rejected = cross(new RequestRejected(422, 'no'));
    expect(rejected).toBeInstanceOf(RequestRejected);
    expect((rejected as RequestRejected).status).toBe(422);
    expect(cross(new TypeError('boom')).message).toBe('boom');
  });
});
