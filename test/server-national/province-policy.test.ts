import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNationalFixture, type NationalFixture } from '../../hardware-sim/fixtures/national.js';
import type { Role } from '../../server/auth/access.js';
import type { ScopeLevel } from '../../server/auth/scope.js';
import { DEFAULT_POLICY, PolicySchema, type Policy } from '../../shared/rules/policy.js';
import type { TrustDocument } from '../../shared/trust/authority.js';
import { openDocument, type SignedDocument } from '../../shared/trust/signed-document.js';
import { TrustList } from '../../shared/trust/trust-list.js';
import type { TrustedKey } from '../../shared/trust/trusted-key.js';
import { makeTestApp } from '../server/helpers.js';

/**
 * A national deployment: a national admin publishes a province's policy only by naming the province, it
 * is signed with the key the chain certifies for that province, and it reaches that province's stations
 * only; the other province's stations keep what they had (the deployment's first policy), and a station
 * of another province could not take it for its own (its signer is not that province's policy key).
 */
const NOW = Date.UTC(2021, 8, 1, 8);
const YEAR = 365 * 86_400_000;
const { version: _v, issuedAt: _i, ...RULES } = DEFAULT_POLICY;

let nation: NationalFixture;
let app: FastifyInstance;
let nationAdmin: { authorization: string };
const stations = new Map<number, { authorization: string }>();
let n = 0;

async function user(role: Role, province: number, scopeLevel: ScopeLevel): Promise<{ authorization: string }> {
  const username = `${role}-${scopeLevel}-${++n}`;
  const u = await app.users.create(null, { username, password: 'correct horse battery', role, province, scopeLevel });
  return { authorization: `Bearer ${(await app.users.createApiToken({ id: u.id, username, role, province }, "policy")).token}` };
}

async function serverPolicyKey(): Promise<TrustedKey> {
  return (await app.database.client.get<TrustedKey>(`SELECT kid, role, province, public_key AS "publicKey", valid_from AS "validFrom", valid_to AS "validTo" FROM issuer_keys WHERE role = 'policy'`))!;
}

async function importAuthority(doc: SignedDocument) {
  const res = await app.inject({ method: 'POST', url: '/api/v1/trust/authorities', headers: nationAdmin, payload: doc });
  expect(res.statusCode, res.body).toBe(201);
}

async function snapshotPolicy(province: number): Promise<SignedDocument[]> {
  const res = await app.inject({ url: '/api/v1/feed/snapshot', query: { limit: '1000' }, headers: stations.get(province)! });
  expect(res.statusCode, res.body).toBe(200);
  return (res.json() as { items: { type: string; document: SignedDocument }[] }).items.filter((i) => i.type === 'policy').map((i) => i.document);
}

beforeEach(async () => {
  nation = createNationalFixture({ now: NOW, provinces: [79, 80] });
  app = await makeTestApp({ env: { DEPLOYMENT: 'national', NATIONAL_ROOT_PUBLIC_KEY: nation.root.publicKeyB64 }, clock: () => NOW });
  nationAdmin = await user('admin', 1, 'national');
  for (const p of [null, 79, 80]) await importAuthority(nation.documents.get(p)!);
  // Long An's authority certifies the server's policy key as 80's
  await importAuthority(nation.reissue(80, [...nation.entries(80), { ...(await serverPolicyKey()), province: 80, validFrom: NOW - YEAR }]));
  for (const [province, checkpointId] of [[79, 7901], [80, 8001]] as const) {
    const { secret } = await app.stations.register(
      { id: 1, username: 'system', role: 'admin', province },
      { stationId: `st-${province}`, checkpointId, name: `Chốt ${province}`, province, lanes: [{ id: 'L1', direction: 'entry' }] },
    );
    stations.set(province, { authorization: `Station st-${province}:${secret}` });
  }
});
afterEach(async () => app.close());

describe("a national admin publishes a province's policy", () => {
  it('must name the province (400 naming the field); nothing is stored', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/policy', headers: nationAdmin, payload: { ...RULES, antiPassback: 'hard' } });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ message: expect.stringContaining('province') });
    expect(await app.database.client.get('SELECT count(*) AS n FROM policies')).toEqual({ n: 1 });
  });

  it("80's policy reaches 80's station, signed by 80's certified key; 79's station keeps the deployment's first policy", async () => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/policy?province=80', headers: nationAdmin, payload: { ...RULES, antiPassback: 'hard', maxCacheStaleHours: 12 } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ province: 80 });

    const [at80] = await snapshotPolicy(80);
    const [at79] = await snapshotPolicy(79);
    expect((JSON.parse(at80!.body) as Policy).maxCacheStaleHours).toBe(12);
    expect((JSON.parse(at79!.body) as Policy).version).toBe(1);

    const { document } = (await app.inject({ url: '/api/v1/trust/list' })).json() as { document: TrustDocument };
    const chain = TrustList.open(document, nation.root.publicKey);
    const open = (doc: SignedDocument, province: number) => chain.openSigned(doc, 'policy', NOW, (key) => openDocument(doc, key, PolicySchema), province);
    expect(open(at80!, 80).maxCacheStaleHours).toBe(12);
    // were it delivered to 79, a station there would refuse it as not its province's
    expect(() => open(at80!, 79)).toThrow(/may not sign for province 79/);

    // reads: the national admin names the province; 79's current is still the deployment's
    const read = async (p: number) => (await app.inject({ url: `/api/v1/policy?province=${p}`, headers: nationAdmin })).json() as { province: number | null };
    expect(await read(80)).toMatchObject({ province: 80 });
    expect(await read(79)).toMatchObject({ province: null });
  });

  it("79 and 80 both publish in one deployment, each signed with its own province's policy key", async () => {
    // 80's authority already certifies the server's shared policy key; 79 gets a key of its own.
    const made = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: nationAdmin, payload: { role: 'policy', province: 79 } });
    expect(made.statusCode, made.body).toBe(201);
    const kid = (made.json() as { kid: string }).kid;
    const own = (await app.database.client.get<TrustedKey>('SELECT kid, role, province, public_key AS "publicKey", valid_from AS "validFrom", valid_to AS "validTo" FROM issuer_keys WHERE kid = ?', [kid]))!;
    // until the centre certifies it for 79, nothing is signed with it
    const early = await app.inject({ method: 'POST', url: '/api/v1/policy?province=79', headers: nationAdmin, payload: { ...RULES, maxCacheStaleHours: 6 } });
    expect(early.statusCode, early.body).toBe(409);
    await importAuthority(nation.reissue(79, [...nation.entries(79), { ...own, province: 79, validFrom: NOW - YEAR }]));

    for (const [p, hours] of [[79, 6], [80, 12]] as const) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/policy?province=${p}`, headers: nationAdmin, payload: { ...RULES, maxCacheStaleHours: hours } });
      expect(res.statusCode, res.body).toBe(201);
    }
    const { document } = (await app.inject({ url: '/api/v1/trust/list' })).json() as { document: TrustDocument };
    const chain = TrustList.open(document, nation.root.publicKey);
    for (const [p, hours] of [[79, 6], [80, 12]] as const) {
      const [doc] = await snapshotPolicy(p);
      expect(doc!.kid).toBe(p === 79 ? kid : (await serverPolicyKey()).kid);
      expect(chain.openSigned(doc!, 'policy', NOW, (key) => openDocument(doc!, key, PolicySchema), p).maxCacheStaleHours).toBe(hours);
    }
  });
});
