import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopeLevel } from '../../server/auth/scope.js';
import type { Role } from '../../server/auth/access.js';
import { journalChain } from '../server/journal-fixtures.js';
import { makeTestApp, testClock } from '../server/helpers.js';

/**
 * District and commune command centers ("đến tận xã, phường"): each sees only its own area's
 * checkpoints (stations), the crossings recorded there, their alerts and notices; the province sees
 * them all; the nation sees every province. Creating users follows the duty.
 */
const clock = testClock();
let app: FastifyInstance;
type Who = { headers: { authorization: string } };
const people: Record<string, Who> = {};
let n = 0;

async function user(name: string, role: Role, province: number, scopeLevel: ScopeLevel, district?: string, commune?: string): Promise<Who> {
  const username = `${name}-${++n}`;
  const u = await app.users.create(null, { username, password: 'correct horse battery', role, province, scopeLevel, ...(district ? { district } : {}), ...(commune ? { commune } : {}) });
  const { token } = await app.users.createApiToken({ id: u.id, username, role, province }, 'area');
  return { headers: { authorization: `Bearer ${token}` } };
}

const STATIONS = [
  { stationId: 'q1-ben-nghe', checkpointId: 7601, district: '760', commune: '26734' },
  { stationId: 'q1-da-kao', checkpointId: 7602, district: '760', commune: '26737' },
  { stationId: 'thu-duc', checkpointId: 7691, district: '769' },
  { stationId: 'province-only', checkpointId: 7900 },
] as const;

const get = async (who: Who, url: string) => {
  const res = await app.inject({ url, headers: who.headers });
  expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
  return res.json() as unknown;
};
const stationIds = async (who: Who) => ((await get(who, '/api/v1/stations')) as { stationId: string }[]).map((s) => s.stationId).sort();
const crossingStations = async (who: Who) =>
  [...new Set(((await get(who, '/api/v1/crossings?limit=500')) as { items: { stationId: string }[] }).items.map((c) => c.stationId))].sort();
const alertStations = async (who: Who) => [...new Set(((await get(who, '/api/v1/alerts')) as { stationId: string }[]).map((a) => a.stationId))].sort();

beforeAll(async () => {
  app = await makeTestApp({ env: { DEPLOYMENT: 'national', NATIONAL_ROOT_PUBLIC_KEY: 'A'.repeat(43) }, clock });
  people.nationAdmin = await user('quoc-gia', 'admin', 1, 'national');
  people.nationCommand = await user('ttch-quoc-gia', 'command', 1, 'national');
  people.province = await user('ttch-79', 'command', 79, 'province');
  people.district760 = await user('ttch-q1', 'command', 79, 'district', '760');
  people.commune = await user('ttch-ben-nghe', 'command', 79, 'commune', '760', '26734');
  people.district769 = await user('ttch-thu-duc', 'command', 79, 'district', '769');
  people.other = await user('ttch-80', 'command', 80, 'province');
  const secrets = new Map<string, string>();
  for (const s of STATIONS) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/stations', headers: people.nationAdmin!.headers, payload: {
      stationId: s.stationId, checkpointId: s.checkpointId, name: `Chốt ${s.stationId}`, province: 79, lanes: [{ id: 'L1', direction: 'entry' }],
      ...('district' in s ? { district: s.district } : {}), ...('commune' in s ? { commune: s.commune } : {}),
    } });
    expect(res.statusCode, res.body).toBe(201);
    secrets.set(s.stationId, (res.json() as { secret: string }).secret);
  }
  // two crossings at every checkpoint, and an alert at each
  for (const s of STATIONS) {
    const records = journalChain(s.stationId, 2, () => ({ kind: 'crossing', plate: `51C-${String(s.checkpointId).slice(1)}.00` }));
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: { authorization: `Station ${s.stationId}:${secrets.get(s.stationId)}` }, payload: { stationId: s.stationId, records } });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json(), res.body).toMatchObject({ rejected: [], chainBreaks: [] });
    await app.database.client.run("INSERT INTO station_alerts (station_id, kind, message, created_at) VALUES (?, 'CHAIN_BREAK', 'test', 0)", [s.stationId]);
  }
});
afterAll(async () => app?.close());

describe('what each level of command center sees', () => {
  it('stations: the nation and the province all of 79; a district its own; a commune its own; another province none', async () => {
    const all = STATIONS.map((s) => s.stationId).sort();
    expect(await stationIds(people.nationCommand!)).toEqual(all);
    expect(await stationIds(people.province!)).toEqual(all);
    expect(await stationIds(people.district760!)).toEqual(['q1-ben-nghe', 'q1-da-kao']);
    expect(await stationIds(people.commune!)).toEqual(['q1-ben-nghe']);
    expect(await stationIds(people.district769!)).toEqual(['thu-duc']);
    expect(await stationIds(people.other!)).toEqual([]);
    // one of another district's stations by id answers as missing
    expect((await app.inject({ url: '/api/v1/stations/thu-duc', headers: people.district760!.headers })).statusCode).toBe(404);
  });

  it('crossings and alerts: only those recorded at checkpoints of the reader\'s area', async () => {
    expect(await crossingStations(people.province!)).toEqual(STATIONS.map((s) => s.stationId).sort());
    expect(await crossingStations(people.district760!)).toEqual(['q1-ben-nghe', 'q1-da-kao']);
    expect(await crossingStations(people.commune!)).toEqual(['q1-ben-nghe']);
    expect(await crossingStations(people.other!)).toEqual([]);
    expect(await alertStations(people.district769!)).toEqual(['thu-duc']);
    expect(await alertStations(people.commune!)).toEqual(['q1-ben-nghe']);
    expect(await alertStations(people.nationCommand!)).toEqual(STATIONS.map((s) => s.stationId).sort());
    // a district's reader cannot acknowledge another district's alert
    const thuDuc = (await get(people.district769!, '/api/v1/alerts')) as { id: number }[];
    expect((await app.inject({ method: 'POST', url: `/api/v1/alerts/${thuDuc[0]!.id}/acknowledge`, headers: people.district760!.headers })).statusCode).toBe(404);
  });

  it('the province-wide registers refuse district and commune readers', async () => {
    for (const url of ['/api/v1/passes', '/api/v1/reports/daily', '/api/v1/people/079555000001']) {
      const res = await app.inject({ url, headers: people.commune!.headers });
      expect(res.statusCode, url).toBe(403);
      expect(res.json()).toMatchObject({ messageVi: expect.stringContaining('Phạm vi') });
    }
  });
});

describe('who creates whom follows the duty', () => {
  const payload = (over: Record<string, unknown>) => ({ username: `user-${++n}`, password: 'correct horse battery', role: 'command', province: 79, ...over });
  it('a province admin creates its districts\' and communes\' users, never a national one nor another province\'s', async () => {
    const admin79 = await user('qt-79', 'admin', 79, 'province');
    const post = (over: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/users', headers: admin79.headers, payload: payload(over) });
    const district = await post({ scopeLevel: 'district', district: '760' });
    expect(district.statusCode, district.body).toBe(201);
    expect(district.json()).toMatchObject({ scopeLevel: 'district', district: '760', commune: null });
    expect((await post({ scopeLevel: 'commune', district: '760', commune: '26734' })).statusCode).toBe(201);
    const national = await post({ scopeLevel: 'national' });
    expect(national.statusCode).toBe(403);
    expect(national.json()).toMatchObject({ messageVi: expect.stringContaining('cấp Trung ương') });
    expect((await post({ province: 80 })).statusCode).toBe(403);
    // a district that is not 79's, a commune without its district, transport below province level: 400 naming the field
    expect((await post({ scopeLevel: 'district', district: '794' })).json()).toMatchObject({ statusCode: 400, field: 'district' });
    expect((await post({ scopeLevel: 'commune', commune: '26734' })).json()).toMatchObject({ statusCode: 400, field: 'district' });
    expect((await post({ role: 'transport', scopeLevel: 'district', district: '760' })).json()).toMatchObject({ statusCode: 400, field: 'scopeLevel' });
  });

  it('a district admin creates only inside its district; a national admin creates national users', async () => {
    const admin760 = await user('qt-q1', 'admin', 79, 'district', '760');
    const post = (who: Who, over: Record<string, unknown>) => app.inject({ method: 'POST', url: '/api/v1/users', headers: who.headers, payload: payload(over) });
    expect((await post(admin760, { scopeLevel: 'commune', district: '760', commune: '26737' })).statusCode).toBe(201);
    expect((await post(admin760, { scopeLevel: 'district', district: '769' })).statusCode).toBe(403);
    expect((await post(admin760, { scopeLevel: 'province' })).statusCode).toBe(403);
    const listed = (await get(admin760, '/api/v1/users')) as { scopeLevel: string; district: string | null }[];
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.every((u) => u.district === '760')).toBe(true);
    expect((await post(people.nationAdmin!, { scopeLevel: 'national' })).statusCode).toBe(201);
  });

  it('a province\'s own server has no national users, and with PROVINCE set no other province', async () => {
    const alone = await makeTestApp({ env: { PROVINCE: '79' } });
    try {
      await expect(alone.users.create(null, { username: 'quoc-gia', password: 'correct horse battery', role: 'admin', province: 79, scopeLevel: 'national' }))
        .rejects.toThrow(/only in a national deployment/);
      await expect(alone.users.create(null, { username: 'long-an', password: 'correct horse battery', role: 'admin', province: 80 }))
        .rejects.toThrow(/serves province 79 only/);
    } finally {
      await alone.close();
    }
  });
});
