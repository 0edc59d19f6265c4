import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { HttpServerApi, SnapshotRequired, type ServerApi } from '../../station/net/server-api.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { TestStation, world, type World } from './harness.js';

const transportActor = { username: 'transport.demo', role: 'transport' as const, province: 79 };
let w: World | null = null;
let st: TestStation | null = null;
let proxy: FaultProxy | null = null;

afterEach(async () => {
  await st?.stop();
  await proxy?.stop();
  await w?.central.stop();
  w?.cleanup();
  w = st = proxy = null;
});

const healthyVehicle = (x: World) => x.seed.vehicles.find((v) => v.sample.case === 'healthy')!;

async function drained(s: TestStation, central: World['central']): Promise<void> {
  await vi.waitFor(() => expect(s.station.store.outboxBacklog()).toBe(0), { timeout: 15_000, interval: 20 });
  // Every record the station journaled is at the server exactly once, with the same hash.
  expect(central.stored(s.station.config.stationId)).toEqual(s.journal());
}

describe('stations and server together', () => {
  it('a revocation at the server is denied by the station within two sync intervals', async () => {
    w = await world();
    st = new TestStation(join(w.dir, 'station'), w.seed);
    const interval = 1000;
    await st.start({ url: w.central.url, credential: w.seed.station.secret }, { syncIntervalMs: interval });
    await st.link!.syncNow();
    const v = healthyVehicle(w);
    expect((await st.scan(v.passCode)).verdict).toBe('ALLOW');

    const revokedAt = Date.now();
    await w.central.app!.passes.revoke(transportActor, v.passId, 'Phát hiện sao chép mã');
    await vi.waitFor(() => expect(st!.station.store.getPass(v)?.status).toBe('REVOKED'), { timeout: 2 * interval, interval: 10 });
    const propagationMs = Date.now() - revokedAt;
    await st.scan(w.seed.vehicles.find((x) => x.sample.case === 'extended')!.passCode); // another vehicle between
    const after = await st.scan(v.passCode);
    expect(after).toMatchObject({ verdict: 'DENY', reasons: ['REVOKED'] });
    expect(propagationMs).toBeLessThanOrEqual(2 * interval);
  });

  it('server stopped: the station keeps deciding and queues; server back: every record arrives exactly once', async () => {
    w = await world();
    st = new TestStation(join(w.dir, 'station'), w.seed);
    await st.start({ url: w.central.url, credential: w.seed.station.secret });
    await st.link!.syncNow();
    await w.central.stop();

    const verdicts = [];
    for (const v of w.seed.vehicles) verdicts.push(await st.scan(v.passCode), ...(await Promise.all(v.crewCodes.map((c) => st!.scan(c)))));
    for (const p of w.seed.walkIns) verdicts.push(await st.scan(p.code));
    expect(verdicts.length).toBe(w.seed.vehicles.length * 3 + w.seed.walkIns.length);
    expect(verdicts.filter((v) => v.verdict === 'ALLOW').length).toBeGreaterThan(0);
    expect(st.station.store.outboxBacklog()).toBeGreaterThanOrEqual(verdicts.length);
    await vi.waitFor(() => expect(st!.link!.status().serverReachable).toBe(false), { timeout: 5000, interval: 10 });

    await w.central.start();
    await drained(st, w.central);
  });

  it('a lost acknowledgement (stored, never heard) causes no duplicate', async () => {
    w = await world();
    proxy = new FaultProxy({ host: '127.0.0.1', port: w.central.port });
    await proxy.start();
    st = new TestStation(join(w.dir, 'station'), w.seed);
    await st.start({ url: proxy.url, credential: w.seed.station.secret });
    await st.link!.syncNow();
    for (const p of w.seed.walkIns) await st.scan(p.code);
    await drained(st, w.central); // the uploader batches for up to a second: wait for it, not on its timing

    const before = w.central.stored(st.station.config.stationId).length;
    proxy.plan = { ...proxy.plan, lostAnswerRate: 1 };
    await st.scan(healthyVehicle(w).passCode);
    // The server stored it, and its answer was lost: the station still holds the record to send again.
    // (The server stores before the proxy drops its answer: wait for both.)
    await vi.waitFor(() => {
      expect(w!.central.stored(st!.station.config.stationId).length).toBeGreaterThan(before);
      expect(proxy!.stats.lostAnswers).toBeGreaterThan(0);
    }, { timeout: 10_000, interval: 10 });
    expect(st.station.store.outboxBacklog()).toBeGreaterThan(0);
    proxy.plan = { ...proxy.plan, lostAnswerRate: 0 };
    await drained(st, w.central);
    const conflicts = w.central.app!.database.sqlite.prepare('SELECT count(*) AS n FROM journal_conflicts').get() as { n: number };
    expect(conflicts.n).toBe(0);
  });

  it('a snapshot replaced while scans continue: no scan is decided on a half-applied cache', async () => {
    w = await world();
    const inner = new HttpServerApi({ baseUrl: w.central.url, stationId: w.seed.station.stationId, secret: w.seed.station.secret });
    let forceSnapshot = false;
    let midway: (() => Promise<void>) | null = null;
    const gated: ServerApi = {
      changes: (since, limit) => {
        if (forceSnapshot) {
          forceSnapshot = false;
          return Promise.reject(new SnapshotRequired('test: cursor too old'));
        }
        return inner.changes(since, limit);
      },
      snapshotPage: async (page, limit) => {
        const result = await inner.snapshotPage(page, limit);
        if (page !== null && midway) {
          const hook = midway;
          midway = null;
          await hook();
        }
        return result;
      },
      upload: (r) => inner.upload(r),
      heartbeat: (h) => inner.heartbeat(h),
    };
    st = new TestStation(join(w.dir, 'station'), w.seed);
    await st.start({ api: gated }, { syncIntervalMs: 60_000, syncPageSize: 20 });
    await st.link!.syncNow();

    const x = healthyVehicle(w);
    const app = w.central.app!;
    await app.passes.revoke(transportActor, x.passId, 'Thu hồi để kiểm tra');
    const y = await app.passes.create(transportActor, {
      plate: '43C-555.55', goods: 0, crew: [{ citizenId: '079555000001', name: 'Đinh Văn Mới' }], originZone: '79-760', destinationZone: '75',
      routeCheckpoints: [w.seed.station.checkpointId], routeProvinces: [], validTo: null,
    });

    const during: string[] = [];
    midway = async () => {
      // Part of the new snapshot is staged; the cache in use must still be the old one, whole.
      during.push((await st!.scan(x.passCode)).verdict, (await st!.scan(y.code)).reasons.join(','));
    };
    forceSnapshot = true;
    await st.link!.syncNow();
    expect(st.link!.status().sync.snapshots).toBe(2);
    expect(during).toEqual(['ALLOW', 'NOT_IN_WHITELIST']);

    expect((await st.scan(x.passCode)).reasons).toEqual(['REVOKED']);
    expect((await st.scan(y.code)).verdict).toBe('ALLOW');
  });
});
