import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { Heartbeat } from '../../shared/contracts/heartbeat.js';
import { makeTestApp, registerStation, testClock, userWithRole, type TestCaller, type TestStation } from './helpers.js';

const HOUR = 3_600_000;

describe('stations: registration, credentials, heartbeats and the fleet view', () => {
  let app: FastifyInstance;
  let admin: TestCaller;
  let st: TestStation;
  const clock = testClock();

  beforeEach(async () => {
    clock.set(Date.UTC(2021, 8, 1, 8));
    app = await makeTestApp({ clock, env: { HEARTBEAT_STALE_SECONDS: '120', CLOCK_SKEW_WARN_SECONDS: '300' } });
    admin = await userWithRole(app, 'admin', 1);
    st = await registerStation(app, admin, { stationId: 'chot-01', checkpointId: 11 });
  });
  afterEach(async () => app.close());

  const heartbeat = (over: Partial<Heartbeat> = {}, headers = st.headers): Promise<{ statusCode: number; json(): unknown }> =>
    app.inject({
      method: 'POST',
      url: '/api/v1/stations/heartbeat',
      headers,
      payload: {
        stationId: st.stationId, softwareVersion: '0.1.0', clock: clock(), cacheCursor: 42, cacheAgeMs: 5000, outboxBacklog: 3, lastSeq: 10,
        scanners: [{ id: 'sc1', lane: 'L1', direction: 'entry', state: 'connected', path: '/dev/ttyUSB0', lastReadAt: null }],
        ...over,
      } satisfies Heartbeat,
    });

  it('shows the secret once, stores only its hash, and authenticates with it', async () => {
    const stored = (await app.database.client.get<{ secret_hash: string }>('SELECT secret_hash FROM stations WHERE station_id = ?', [st.stationId]))!.secret_hash;
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(stored).not.toContain(st.secret);
    expect((await heartbeat()).statusCode).toBe(200);
    expect((await heartbeat({}, { authorization: `Station ${st.stationId}:wrong` })).statusCode).toBe(401);
    expect((await heartbeat({}, { authorization: `Station nobody:${st.secret}` })).statusCode).toBe(401);
    // a rotated secret replaces the old one
    const rotated = await app.inject({ method: 'POST', url: `/api/v1/stations/${st.stationId}/secret`, headers: admin.headers });
    const { secret } = rotated.json() as { secret: string };
    expect((await heartbeat()).statusCode).toBe(401);
    expect((await heartbeat({}, { authorization: `Station ${st.stationId}:${secret}` })).statusCode).toBe(200);
  });

  it('refuses a heartbeat sent in another station\'s name', async () => {
    const other = await registerStation(app, admin, { stationId: 'chot-02' });
    expect((await heartbeat({ stationId: other.stationId })).statusCode).toBe(403);
  });

  it('a station credential cannot act as a person', async () => {
    expect((await app.inject({ url: '/api/v1/stations', headers: st.headers })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/crossings', headers: st.headers })).statusCode).toBe(403);
  });

  it('answers the skew and flags a station whose clock is hours off', async () => {
    const res = await heartbeat({ clock: clock() - 3 * HOUR });
    expect(res.json()).toEqual({ serverTime: clock(), clockSkewMs: 3 * HOUR });
    const command = await userWithRole(app, 'command', 1);
    const fleet = (await app.inject({ url: '/api/v1/stations', headers: command.headers })).json() as { stationId: string; clockSkewMs: number; warnings: { code: string }[] }[];
    const s = fleet.find((x) => x.stationId === st.stationId)!;
    expect(s.clockSkewMs).toBe(3 * HOUR);
    expect(s.warnings.map((w) => w.code)).toContain('CLOCK_SKEW');
  });

  it('reports heartbeat age, cache age, backlog and warns on a stale heartbeat and an unplugged scanner', async () => {
    await heartbeat({ scanners: [{ id: 'sc2', lane: 'L2', direction: 'exit', state: 'unplugged', path: '/dev/ttyUSB1', lastReadAt: null }] });
    clock.advance(10 * 60_000);
    const fleet = (await app.inject({ url: '/api/v1/stations', headers: admin.headers })).json() as Record<string, unknown>[];
    const s = fleet.find((x) => x.stationId === st.stationId)!;
    expect(s).toMatchObject({ heartbeatAgeMs: 600_000, cacheAgeMs: 605_000, outboxBacklog: 3, cacheCursor: 42, softwareVersion: '0.1.0', clockSkewMs: 0 });
    expect((s.warnings as { code: string }[]).map((w) => w.code).sort()).toEqual(['HEARTBEAT_STALE', 'SCANNER_UNPLUGGED']);
  });

  it('stores every heartbeat of stations reporting at once, each with its own skew and minute', async () => {
    const others = [await registerStation(app, admin, { stationId: 'chot-02' }), await registerStation(app, admin, { stationId: 'chot-03' })];
    const all = [st, ...others];
    const answers = await Promise.all(all.map((s, k) => heartbeat({ stationId: s.stationId, clock: clock() - k * 1000, lastSeq: 100 + k }, s.headers)));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200]);
    expect(answers.map((a) => (a.json() as { clockSkewMs: number }).clockSkewMs)).toEqual([0, 1000, 2000]);
    const fleet = (await app.inject({ url: '/api/v1/stations', headers: admin.headers })).json() as { stationId: string; lastSeq: number; lastHeartbeatAt: number }[];
    expect(fleet.map((f) => [f.stationId, f.lastSeq, f.lastHeartbeatAt])).toEqual(all.map((s, k) => [s.stationId, 100 + k, clock()]));
    const minutes = await app.database.client.all('SELECT station_id AS "stationId" FROM heartbeat_minutes ORDER BY station_id');
    expect(minutes).toEqual(all.map((s) => ({ stationId: s.stationId })));
  });

  it('only an admin of the station\'s province registers it; ids are unique', async () => {
    const admin2 = await userWithRole(app, 'admin', 2);
    const body = { stationId: 'chot-99', checkpointId: 99, name: 'x', province: 1, lanes: [{ id: 'L1', direction: 'entry' }] };
    expect((await app.inject({ method: 'POST', url: '/api/v1/stations', headers: admin2.headers, payload: body })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: '/api/v1/stations', headers: admin.headers, payload: { ...body, stationId: st.stationId } })).statusCode).toBe(409);
    const dupLanes = { ...body, lanes: [{ id: 'L1', direction: 'entry' }, { id: 'L1', direction: 'exit' }] };
    expect((await app.inject({ method: 'POST', url: '/api/v1/stations', headers: admin.headers, payload: dupLanes })).statusCode).toBe(400);
  });

  it('a disabled station is refused', async () => {
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/stations/${st.stationId}`, headers: admin.headers, payload: { disabled: true } })).statusCode).toBe(200);
    expect((await heartbeat()).statusCode).toBe(401);
  });
});
