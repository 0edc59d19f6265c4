import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServerApi } from '../../station/net/server-api.js';
import { world, type World } from './harness.js';

let w: World;
beforeAll(async () => {
  w = await world({ vehicles: 1, walkIns: 1 });
});
afterAll(async () => {
  await w.central.stop();
  w.cleanup();
});

describe('heartbeat of a station that never synced', () => {
  it('null cache cursor and age stay null at the server (not coerced to 0 = "fresh")', async () => {
    const api = new HttpServerApi({ baseUrl: w.central.url, stationId: w.seed.station.stationId, secret: w.seed.station.secret });
    await api.heartbeat({
      stationId: w.seed.station.stationId, softwareVersion: '0.1.0', clock: Date.now(), cacheCursor: null, cacheAgeMs: null,
      outboxBacklog: 0, lastSeq: 0, scanners: [{ id: 's1', lane: 'L1-vao', direction: 'entry', state: 'connected', path: '/dev/x', lastReadAt: null }],
    });
    const admin = { id: 1, username: 'admin.demo', role: 'admin' as const, province: 79 };
    const status = (await w.central.app!.stations.fleet(admin)).find((s) => s.stationId === w.seed.station.stationId)!;
    expect(status.cacheCursor).toBeNull();
    expect(status.cacheAgeMs).toBeNull();
  });
});
