import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateSigningKey } from '../../shared/codes/keys.js';
import { TestStation, world, type World } from './harness.js';
import { certifyBeforeSeed } from './national-certify.js';

/**
 * What a station of Long An (80) holds of a national deployment: the passes of any province whose
 * route crosses it, the national list of passes not ACTIVE, the flags; never the population.
 */
const nationalRoot = generateSigningKey();
const transport79 = { username: 'transport.demo', role: 'transport' as const, province: 79 };
const HOUR = 3_600_000;
let w: World | null = null;
let st: TestStation | null = null;

afterEach(async () => {
  await st?.stop();
  await w?.central.stop();
  w?.cleanup();
  w = st = null;
});

/** Rows of every cache table and pages of the cache file, read beside the station (WAL: readers never block it). */
function storeSize(path: string): { rows: number; pages: number } {
  const db = new Database(path, { readonly: true });
  try {
    const rows = ['passes', 'health_flags', 'pass_status', 'zones', 'documents']
      .reduce((n, t) => n + (db.prepare(`SELECT count(*) AS n FROM ${t}`).get() as { n: number }).n, 0);
    return { rows, pages: db.pragma('page_count', { simple: true }) as number };
  } finally {
    db.close();
  }
}

describe('a station of province 80 in a national deployment', () => {
  it('holds the passes of 79 whose route crosses it and not the others, as routes change; a revocation of any pass and an F0 flag reach it; the population does not', async () => {
    w = await world({ env: { NATIONAL_ROOT_PUBLIC_KEY: nationalRoot.publicKeyB64 }, beforeSeed: certifyBeforeSeed(nationalRoot) });
    const app = w.central.app!;
    const admin80 = await app.users.create(null, { username: 'admin.tanan', password: 'long-an-2021-admin', role: 'admin', province: 80 });
    const station80 = await app.stations.register({ id: admin80.id, username: admin80.username, role: 'admin', province: 80 }, {
      stationId: 'chot-8002-tan-an', checkpointId: 8002, name: 'Chốt Tân An (QL1A)', province: 80,
      lanes: [{ id: 'L1-vao', direction: 'entry' }, { id: 'L2-ra', direction: 'exit' }],
    } as Parameters<typeof app.stations.register>[1]);

    const crew = w.seed.vehicles.find((v) => v.sample.case === 'healthy')!.sample.crew.map((c) => ({ citizenId: c.citizenId, name: c.name, phone: c.phone }));
    const now = Date.now();
    let plate = 800;
    const issue = (routeCheckpoints: number[], routeProvinces: number[]) => app.passes.create(transport79, {
      plate: `51C-${plate++}.79`, company: 'Công ty Vận tải Sài Gòn', goods: 0, crew, originZone: '79-760', destinationZone: '80',
      routeCheckpoints, routeProvinces, validFrom: now - HOUR, validTo: now + 7 * 24 * HOUR, permittedStops: null,
    });
    const byProvince = await issue([], [79, 80]);
    const byCheckpoint = await issue([8002], [79]);
    const elsewhere = await issue([7901], [79, 75]);

    st = new TestStation(join(w.dir, 'station-80'), w.seed, { stationId: 'chot-8002-tan-an', checkpointId: 8002, province: 80, rootPublicKey: nationalRoot.publicKeyB64 });
    const interval = 1000;
    await st.start({ url: w.central.url, credential: station80.secret }, { syncIntervalMs: interval });
    await st.link!.syncNow();
    const store = st.station.store;
    const id = (p: { passId: number }) => ({ issuingProvince: 79, passId: p.passId });
    expect(store.getPass(id(byProvince))?.plate).toBe(byProvince.plate);
    expect(store.getPass(id(byCheckpoint))?.plate).toBe(byCheckpoint.plate);
    expect(store.getPass(id(elsewhere))).toBeNull();
    // A walker the station does not hold is decided by their signed code.
    const walker = w.seed.walkIns.find((x) => x.sample.case === 'walk-in-healthy')!;
    expect(store.healthFlag(walker.sample.person.citizenId)).toBeNull();
    expect((await st.scan(walker.code)).verdict).toBe('ALLOW');

    // The server's population grows by 3,000 people none of whom is flagged: nothing reaches the station.
    const before = storeSize(store.cachePath);
    const cursorBefore = store.syncState().cursor;
    await app.healthData.apply({ username: 'health.demo' }, Array.from({ length: 3000 }, (_, i) => ({
      kind: 'declaration' as const, citizenId: `0800${String(i).padStart(8, '0')}`, name: 'Lê Văn Dân', phone: null,
      declaredAt: Date.now(), originZone: '80', doses: 2,
    })), 'Khai báo y tế');
    await st.link!.syncNow();
    expect(storeSize(store.cachePath)).toEqual(before);
    expect(store.syncState().cursor).toBe(cursorBefore);

    // 79 revokes the pass that never crosses 80, reroutes one that did, flags the walker F0.
    await app.passes.revoke(transport79, elsewhere.passId, 'Phát hiện sao chép mã');
    await app.passes.amend(transport79, byCheckpoint.passId, { routeCheckpoints: [7901] }, 'thêm chốt 7901');
    await app.healthData.apply({ username: 'health.demo' }, [{ kind: 'flag', citizenId: walker.sample.person.citizenId, name: walker.sample.person.name, phone: null, status: 'F0', statusAsOf: Date.now() }], 'Xét nghiệm dương tính');
    await vi.waitFor(() => {
      expect(store.passStatus(id(elsewhere))?.status).toBe('REVOKED');
      expect(store.getPass(id(byCheckpoint))).toBeNull();
      expect(store.healthFlag(walker.sample.person.citizenId)?.status).toBe('F0');
    }, { timeout: 2 * interval, interval: 10 }); // within two sync intervals
    expect(store.getPass(id(elsewhere))).toBeNull();
    const denied = await st.scan(elsewhere.code);
    expect(denied.verdict).toBe('DENY');
    expect(denied.reasons).toContain('REVOKED');
    const f0 = await st.scan(walker.code, 'exit');
    expect(f0.verdict).toBe('DENY');
    expect(f0.reasons).toContain('POSITIVE_OR_CONTACT');

    // A route changed to include this checkpoint: the pass appears here.
    const rerouted = await issue([7901], [79]);
    await st.link!.syncNow();
    expect(store.getPass(id(rerouted))).toBeNull();
    await app.passes.amend(transport79, rerouted.passId, { routeCheckpoints: [7901, 8002] }, 'thêm chốt 8002');
    await st.link!.syncNow();
    expect(store.getPass(id(rerouted))?.routeCheckpoints).toEqual([7901, 8002]);
  });
});
