import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNationalFixture, type NationalFixture } from '../../hardware-sim/fixtures/national.js';
import { readCode } from '../../shared/codes/read-code.js';
import { DEFAULT_POLICY } from '../../shared/rules/policy.js';
import type { TrustDocument } from '../../shared/trust/authority.js';
import { TrustList } from '../../shared/trust/trust-list.js';
import type { TrustedKey } from '../../shared/trust/trusted-key.js';
import { passInput } from '../server-issuing/fixtures.js';
import { makeTestApp, userWithRole, type TestCaller } from '../server/helpers.js';

/**
 * National mode: the server signs passes, health codes and a province's policy only with keys that the
 * imported authority documents certify for that province and role (stations would deny anything else);
 * otherwise it refuses clearly (409 KEY_NOT_CERTIFIED) and signs nothing.
 */
const NOW = Date.UTC(2021, 8, 1, 8);
const YEAR = 365 * 86_400_000;
const CITIZEN = '079555000001';
const { version: _v, issuedAt: _i, ...RULES } = DEFAULT_POLICY;

let nation: NationalFixture;
let app: FastifyInstance;
let admin79: TestCaller;
let transport79: TestCaller;
let health79: TestCaller;
/** the fixture's own keys of 79, before any test adds the server's */
let base79: TrustedKey[];

/** The public halves of the keys this server holds, as registered (issuer_keys). */
async function serverKey(role: 'transport' | 'health' | 'policy'): Promise<TrustedKey> {
  const row = await app.database.client.get<TrustedKey>('SELECT kid, role, province, public_key AS "publicKey", valid_from AS "validFrom", valid_to AS "validTo" FROM issuer_keys WHERE role = ?', [role]);
  if (!row) throw new Error(`the server holds no ${role} key`);
  return row;
}

/** A new version of province 79's authority: the fixture's own keys plus these. */
async function certifyFor79(...extra: TrustedKey[]) {
  const res = await app.inject({
    method: 'POST', url: '/api/v1/trust/authorities', headers: admin79.headers,
    payload: nation.reissue(79, [...base79, ...extra]),
  });
  expect(res.statusCode, res.body).toBe(201);
}

async function chainList(): Promise<TrustList> {
  const { document } = (await app.inject({ url: '/api/v1/trust/list' })).json() as { document: TrustDocument };
  return TrustList.open(document, nation.root.publicKey);
}

const issue = () => app.inject({ method: 'POST', url: '/api/v1/passes', headers: transport79.headers, payload: passInput({ validFrom: NOW - 3_600_000 }) });
const healthCode = () => app.inject({ url: `/api/v1/people/${CITIZEN}/health-code`, headers: health79.headers });
const publishPolicy = () => app.inject({ method: 'POST', url: '/api/v1/policy', headers: admin79.headers, payload: { ...RULES, antiPassback: 'hard' } });

beforeEach(async () => {
  nation = createNationalFixture({ now: NOW, provinces: [79] });
  base79 = nation.entries(79);
  app = await makeTestApp({ env: { NATIONAL_ROOT_PUBLIC_KEY: nation.root.publicKeyB64 }, clock: () => NOW });
  admin79 = await userWithRole(app, 'admin', 79);
  transport79 = await userWithRole(app, 'transport', 79);
  health79 = await userWithRole(app, 'health', 79);
  await app.healthData.apply({ username: 'yte' }, [{ kind: 'flag', citizenId: CITIZEN, name: 'Phạm Văn Một', phone: null, status: 'F0', statusAsOf: NOW - 3_600_000 }]);
  for (const p of [null, 79]) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/trust/authorities', headers: admin79.headers, payload: nation.documents.get(p)! });
    expect(res.statusCode, res.body).toBe(201);
  }
});
afterEach(async () => app.close());

describe('passes and health codes are signed only with keys certified for the province and role', () => {
  it('refuses with KEY_NOT_CERTIFIED while the chain certifies only other keys, and signs once 79 certifies the server\'s keys', async () => {
    for (const res of [await issue(), await healthCode()]) {
      expect(res.statusCode, res.body).toBe(409);
      expect(res.json()).toMatchObject({ code: 'KEY_NOT_CERTIFIED', messageVi: expect.stringContaining('chưa được Trung ương chứng nhận cho tỉnh 79') });
    }
    expect(await app.database.client.get('SELECT count(*) AS n FROM passes')).toEqual({ n: 0 });

    await certifyFor79({ ...(await serverKey('transport')), validFrom: NOW - YEAR }, { ...(await serverKey('health')), province: 79, validFrom: NOW - YEAR });
    const issued = await issue();
    expect(issued.statusCode, issued.body).toBe(201);
    const code = await healthCode();
    expect(code.statusCode, code.body).toBe(200);
    // what it signed verifies with the chain alone, as at any station
    const list = await chainList();
    expect(readCode((issued.json() as { code: string }).code, list, NOW)).toMatchObject({ ok: true, kind: 'pass' });
    expect(readCode((code.json() as { code: string }).code, list, NOW)).toMatchObject({ ok: true, kind: 'health' });
  });

  it('a key certified for another role, or retired, signs nothing', async () => {
    // the server's transport key certified as a health key of 79: not a transport key of 79
    await certifyFor79({ ...(await serverKey('transport')), role: 'health', validFrom: NOW - YEAR });
    expect((await issue()).json()).toMatchObject({ code: 'KEY_NOT_CERTIFIED' });
    // certified as 79's transport key but retired an hour ago
    await certifyFor79({ ...(await serverKey('transport')), validFrom: NOW - YEAR, retiredAt: NOW - 3_600_000 });
    const retired = await issue();
    expect(retired.statusCode).toBe(409);
    expect(retired.json()).toMatchObject({ code: 'KEY_NOT_CERTIFIED', message: expect.stringContaining('or is retired') });
  });
});

describe("a province's policy is signed only with that province's certified policy key", () => {
  it('refuses while the server\'s policy key is not certified for 79 (the centre\'s certification is not 79\'s), publishes once it is', async () => {
    // the centre certifies the server's policy key: still not province 79's policy key
    const centre = await app.inject({
      method: 'POST', url: '/api/v1/trust/authorities', headers: admin79.headers,
      payload: nation.reissue(null, [...nation.entries(null), { ...(await serverKey('policy')), province: null, validFrom: NOW - YEAR }]),
    });
    expect(centre.statusCode, centre.body).toBe(201);
    const before = (await app.inject({ url: '/api/v1/policy', headers: admin79.headers })).json() as { version: number };
    const refused = await publishPolicy();
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'KEY_NOT_CERTIFIED', message: expect.stringContaining('policy key') });
    expect(((await app.inject({ url: '/api/v1/policy', headers: admin79.headers })).json() as { version: number }).version).toBe(before.version);
  });

  it('publishes with a policy key certified in 79\'s authority, and the station-side check opens it with 79\'s key', async () => {
    await certifyFor79({ ...(await serverKey('policy')), province: 79, validFrom: NOW - YEAR });
    const res = await publishPolicy();
    expect(res.statusCode, res.body).toBe(201);
    const { document } = res.json() as { document: { kid: string } };
    expect(document.kid).toBe((await serverKey('policy')).kid);
    expect((await chainList()).keyFor(document.kid, { role: 'policy', province: 79 }, NOW)).toBeDefined();
  });
});
