import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generateSigningKey } from '../../shared/codes/keys.js';
import { TestStation, world, type World } from './harness.js';
import { certifyBeforeSeed } from './national-certify.js';

/**
 * One national deployment, two provinces on one corridor: Hồ Chí Minh (79) issues a pass for a
 * vehicle going to Long An (80); Long An's station, installed with the national root's public key
 * only, decides it offline. A revocation and an F0 flag made in 79 reach it within two sync intervals.
 */
const nationalRoot = generateSigningKey();
const transport79 = { username: 'transport.demo', role: 'transport' as const, province: 79 };
let w: World | null = null;
let st: TestStation | null = null;

afterEach(async () => {
  await st?.stop();
  await w?.central.stop();
  w?.cleanup();
  w = st = null;
});

describe('a pass of province 79 at a station of province 80', () => {
  it('is ALLOW offline; revoked in 79, DENY at 80 within two sync intervals; an F0 flag set in 79 likewise', async () => {
    w = await world({ env: { NATIONAL_ROOT_PUBLIC_KEY: nationalRoot.publicKeyB64 }, beforeSeed: certifyBeforeSeed(nationalRoot) });
    const app = w.central.app!;
    const admin80 = await app.users.create(null, { username: 'admin.tanan', password: 'long-an-2021-admin', role: 'admin', province: 80 });
    const station80 = await app.stations.register({ id: admin80.id, username: admin80.username, role: 'admin', province: 80 }, {
      stationId: 'chot-8002-tan-an', checkpointId: 8002, name: 'Chốt Tân An (QL1A)', province: 80,
      lanes: [{ id: 'L1-vao', direction: 'entry' }, { id: 'L2-ra', direction: 'exit' }],
    } as Parameters<typeof app.stations.register>[1]);

    // a vehicle of 79 whose route goes through Long An; its crew's health codes come from the seed
    const healthy = w.seed.vehicles.find((v) => v.sample.case === 'healthy')!;
    const now = Date.now();
    const pass = await app.passes.create(transport79, {
      plate: '51C-801.79', company: 'Công ty Vận tải Sài Gòn', goods: 0,
      crew: healthy.sample.crew.map((c) => ({ citizenId: c.citizenId, name: c.name, phone: c.phone })),
      originZone: healthy.sample.originZone, destinationZone: '80', routeCheckpoints: [], routeProvinces: [79, 80],
      validFrom: now - 3_600_000, validTo: now + 7 * 86_400_000, permittedStops: 'Chợ đầu mối Long An',
    });

    st = new TestStation(join(w.dir, 'station-80'), w.seed, { stationId: 'chot-8002-tan-an', checkpointId: 8002, province: 80, rootPublicKey: nationalRoot.publicKeyB64 });
    const interval = 1000;
    await st.start({ url: w.central.url, credential: station80.secret }, { syncIntervalMs: interval });
    await st.link!.syncNow();

    // offline: the server is down, the station decides from what it holds
    await w.central.stop();
    expect((await st.scan(pass.code)).verdict).toBe('ALLOW');
    const crossing = await Promise.all(healthy.crewCodes.map((c) => st!.scan(c)));
    expect(crossing.at(-1)!.crossing).toMatchObject({ state: 'closed', verdict: 'ALLOW' });
    const walker = w.seed.walkIns.find((x) => x.sample.case === 'walk-in-healthy')!;
    expect((await st.scan(walker.code)).verdict).toBe('ALLOW');

    // back online: 79 revokes the pass and confirms the walker F0
    const back = await w.central.start();
    await back.passes.revoke(transport79, pass.passId, 'Phát hiện sao chép mã');
    await back.healthData.apply({ username: 'health.demo' }, [{ kind: 'flag', citizenId: walker.sample.person.citizenId, name: walker.sample.person.name, phone: null, status: 'F0', statusAsOf: Date.now() }], 'Xét nghiệm dương tính');
    await vi.waitFor(() => {
      expect(st!.station.store.getPass({ issuingProvince: 79, passId: pass.passId })?.status).toBe('REVOKED');
      expect(st!.station.store.healthFlag(walker.sample.person.citizenId)?.status).toBe('F0');
    }, { timeout: 2 * interval, interval: 10 }); // within two sync intervals of the revocation and the flag
    const denied = await st.scan(pass.code, 'exit');
    expect(denied.verdict).toBe('DENY');
    expect(denied.reasons).toContain('REVOKED');
    const f0 = await st.scan(walker.code, 'exit');
    expect(f0.verdict).toBe('DENY');
    expect(f0.reasons).toContain('POSITIVE_OR_CONTACT');
  });
});
