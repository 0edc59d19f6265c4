import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_POLICY, type Policy } from '../../shared/rules/policy.js';
import type { SignedDocument } from '../../shared/trust/signed-document.js';
import { makeTestApp, userWithRole, type TestCaller } from '../server/helpers.js';

/**
 * Each province's policy is its own (issue 12): stored per province, read and published only by that
 * province's people (or a national user naming it), and delivered to a station only when the station
 * stands in that province, in its snapshot and in its deltas.
 */
const { version: _v, issuedAt: _i, ...RULES } = DEFAULT_POLICY;

let app: FastifyInstance;
let admin79: TestCaller;
let admin80: TestCaller;
const stations = new Map<number, { authorization: string }>();

beforeEach(async () => {
  // the online-check emulation (benchmark only) is on: it too must decide with the station's province's policy
  app = await makeTestApp({ env: { ONLINE_CHECK_ROUTE: 'true' } });
  [admin79, admin80] = await Promise.all([userWithRole(app, 'admin', 79), userWithRole(app, 'admin', 80)]);
  for (const [province, checkpointId] of [[79, 1], [80, 2]] as const) {
    const { secret } = await app.stations.register(
      { id: admin79.id, username: admin79.username, role: 'admin', province },
      { stationId: `st-${province}`, checkpointId, name: `Chốt ${province}`, province, lanes: [{ id: 'L1', direction: 'entry' }] },
    );
    stations.set(province, { authorization: `Station st-${province}:${secret}` });
  }
});
afterEach(async () => app.close());

const publish = async (who: TestCaller, rules: Partial<typeof RULES>, query = '') =>
  app.inject({ method: 'POST', url: `/api/v1/policy${query}`, headers: who.headers, payload: { ...RULES, ...rules } });

/** The policies a station's snapshot carries, opened (the signature is the station's business, tested there). */
async function snapshotPolicies(province: number): Promise<{ cursor: number; policies: Policy[] }> {
  const res = await app.inject({ url: '/api/v1/feed/snapshot', query: { limit: '1000' }, headers: stations.get(province)! });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { cursor: number; items: { type: string; document?: SignedDocument }[] };
  return { cursor: body.cursor, policies: body.items.filter((i) => i.type === 'policy').map((i) => JSON.parse(i.document!.body) as Policy) };
}

async function deltaPolicies(province: number, since: number): Promise<Policy[]> {
  const res = await app.inject({ url: '/api/v1/feed/changes', query: { since: String(since), limit: '1000' }, headers: stations.get(province)! });
  expect(res.statusCode, res.body).toBe(200);
  const body = res.json() as { items: { type: string; document?: SignedDocument }[] };
  return body.items.filter((i) => i.type === 'policy').map((i) => JSON.parse(i.document!.body) as Policy);
}

describe('a province policy reaches only the stations of its province', () => {
  it('before any province publishes, both stations get the deployment\'s first policy, as before provinces', async () => {
    for (const p of [79, 80]) expect((await snapshotPolicies(p)).policies.map((x) => x.version)).toEqual([1]);
  });

  it('79 and 80 each publish: the snapshot and the deltas of each station carry its own province\'s, never the other\'s', async () => {
    const start = { 79: (await snapshotPolicies(79)).cursor, 80: (await snapshotPolicies(80)).cursor };
    expect((await publish(admin79, { antiPassback: 'hard', maxCacheStaleHours: 6 })).statusCode).toBe(201);
    expect((await publish(admin80, { antiPassback: 'hard', maxCacheStaleHours: 12 })).statusCode).toBe(201);

    const d79 = await deltaPolicies(79, start[79]);
    const d80 = await deltaPolicies(80, start[80]);
    expect(d79.map((p) => p.maxCacheStaleHours)).toEqual([6]);
    expect(d80.map((p) => p.maxCacheStaleHours)).toEqual([12]);

    // 79 publishes again after 80: still only 79's versions reach 79, and 80's snapshot keeps 80's
    expect((await publish(admin79, { antiPassback: 'hard', maxCacheStaleHours: 4 })).statusCode).toBe(201);
    const s79 = await snapshotPolicies(79);
    const s80 = await snapshotPolicies(80);
    expect(s79.policies.map((p) => p.maxCacheStaleHours)).toEqual([4]);
    expect(s80.policies.map((p) => p.maxCacheStaleHours)).toEqual([12]);
    expect(await deltaPolicies(80, start[80])).toEqual(d80);
    expect(s79.policies[0]!.version).toBeGreaterThan(s80.policies[0]!.version);
  });
});

describe('the online check decides with the asking station\'s province\'s policy', () => {
  it('a station of 80 is answered under 80\'s version, a station of 79 under 79\'s', async () => {
    const v79 = (await publish(admin79, { maxCacheStaleHours: 6 })).json() as { version: number };
    const v80 = (await publish(admin80, { maxCacheStaleHours: 12 })).json() as { version: number };
    const check = async (province: number, checkpointId: number) => (await app.inject({
      method: 'POST', url: '/api/v1/online/check', headers: stations.get(province)!,
      payload: { code: 'not a code', checkpointId, lane: 'L1', direction: 'entry' },
    })).json() as { verdict: string; policyVersion: number };
    expect(await check(79, 1)).toMatchObject({ verdict: 'DENY', policyVersion: v79.version });
    expect(await check(80, 2)).toMatchObject({ verdict: 'DENY', policyVersion: v80.version });
  });
});

describe("a province's people read and publish only its own policy", () => {
  it('80 publishing for 79 is refused (403) and nothing is stored; 80 reading 79\'s is refused', async () => {
    expect((await publish(admin80, { maxCacheStaleHours: 2 }, '?province=79')).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/policy?province=79', headers: admin80.headers })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/v1/policy/history?province=79', headers: admin80.headers })).statusCode).toBe(403);
    expect(await app.database.client.get('SELECT count(*) AS n FROM policies')).toEqual({ n: 1 });
  });

  it("each reads its own current policy and its own history, not the other's", async () => {
    await publish(admin79, { maxCacheStaleHours: 6 });
    await publish(admin80, { maxCacheStaleHours: 12 });
    const current = async (who: TestCaller) => (await app.inject({ url: '/api/v1/policy', headers: who.headers })).json() as { province: number; policy: Policy };
    expect(await current(admin79)).toMatchObject({ province: 79, policy: { maxCacheStaleHours: 6 } });
    expect(await current(admin80)).toMatchObject({ province: 80, policy: { maxCacheStaleHours: 12 } });
    const history = (await app.inject({ url: '/api/v1/policy/history', headers: admin80.headers })).json() as { province: number | null }[];
    expect(history.map((h) => h.province)).toEqual([80, null]);
  });
});
