import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNationalFixture, type NationalFixture } from '../../hardware-sim/fixtures/national.js';
import { looserThanBaseline, type PolicyRules } from '../../shared/rules/policy-layers.js';
import { DEFAULT_POLICY } from '../../shared/rules/policy.js';
import type { TrustedKey } from '../../shared/trust/trusted-key.js';
import { makeTestApp, userWithRole, type TestCaller } from '../server/helpers.js';

/**
 * A province may be stricter than the national baseline, never looser: a looser policy is refused at
 * publication with a 400 that names the field, in Vietnamese and English.
 */
const NOW = Date.UTC(2021, 8, 1, 8);
const { version: _v, issuedAt: _i, ...RULES } = DEFAULT_POLICY;
const BASELINE: PolicyRules = { ...RULES, testValidityHours: { RT_PCR: 72, RAPID_ANTIGEN: 72 }, testRequiredZoneLevels: [3, 4], antiPassback: 'soft' };

let nation: NationalFixture;
let app: FastifyInstance;
let admin: TestCaller;

const publish = (rules: PolicyRules) => app.inject({ method: 'POST', url: '/api/v1/policy', headers: admin.headers, payload: rules });

beforeEach(async () => {
  nation = createNationalFixture({ now: NOW, provinces: [79] });
  app = await makeTestApp({ env: { NATIONAL_ROOT_PUBLIC_KEY: nation.root.publicKeyB64 }, clock: () => NOW });
  admin = await userWithRole(app, 'admin', 79);
  for (const p of [null, 79]) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/trust/authorities', headers: admin.headers, payload: nation.documents.get(p)! });
    expect(res.statusCode).toBe(201);
  }
  const res = await app.inject({ method: 'POST', url: '/api/v1/trust/baseline', headers: admin.headers, payload: nation.signBaseline({ ...BASELINE, version: 1, issuedAt: NOW }) });
  expect(res.statusCode, res.body).toBe(201);
});
afterEach(async () => app.close());

describe('province policy against the national baseline', () => {
  it('refuses a looser policy with a 400 naming the field, in Vietnamese and English', async () => {
    const res = await publish({ ...BASELINE, testValidityHours: { RT_PCR: 168, RAPID_ANTIGEN: 72 } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      field: 'testValidityHours.RT_PCR',
      message: expect.stringMatching(/^testValidityHours\.RT_PCR: .*never looser/),
      messageVi: expect.stringMatching(/RT-PCR.*chặt hơn Trung ương, không được lỏng hơn/),
    });
    for (const looser of [{ testRequiredZoneLevels: [4] }, { antiPassback: 'off' as const }, { severity: { TEST_EXPIRED: 'REVIEW' as const } }]) {
      expect((await publish({ ...BASELINE, ...looser })).statusCode).toBe(400);
    }
  });

  it('publishes a stricter one (with the server\'s policy key certified as 79\'s: test/server-national/certified-signing-keys.test.ts)', async () => {
    const key = (await app.database.client.get<Omit<TrustedKey, 'province' | 'validFrom'>>(`SELECT kid, role, public_key AS "publicKey", valid_to AS "validTo" FROM issuer_keys WHERE role = 'policy'`))!;
    const certified = await app.inject({
      method: 'POST', url: '/api/v1/trust/authorities', headers: admin.headers,
      payload: nation.reissue(79, [...nation.entries(79), { ...key, province: 79, validFrom: NOW - 86_400_000 }]),
    });
    expect(certified.statusCode, certified.body).toBe(201);
    const res = await publish({ ...BASELINE, testValidityHours: { RT_PCR: 48, RAPID_ANTIGEN: 24 }, testRequiredZoneLevels: [2, 3, 4], antiPassback: 'hard' });
    expect(res.statusCode, res.body).toBe(201);
  });

  it('refuses a baseline not signed by the centre\'s policy key', async () => {
    const forged = nation.province(79).signPolicy({ ...BASELINE, version: 2, issuedAt: NOW, testValidityHours: { RT_PCR: 720, RAPID_ANTIGEN: 720 } });
    const res = await app.inject({ method: 'POST', url: '/api/v1/trust/baseline', headers: admin.headers, payload: forged });
    expect(res.statusCode).toBe(400);
    expect((await publish({ ...BASELINE, testValidityHours: { RT_PCR: 100, RAPID_ANTIGEN: 72 } })).statusCode).toBe(400);
  });
});

describe('looserThanBaseline', () => {
  it('names every loosened field and nothing for an equal or stricter policy', () => {
    expect(looserThanBaseline(BASELINE, BASELINE)).toEqual([]);
    expect(looserThanBaseline(BASELINE, { ...BASELINE, maxDeclarationAgeHours: 24, blockedZoneLevels: [4] })).toEqual([]);
    const fields = looserThanBaseline(BASELINE, {
      ...BASELINE, maxDeclarationAgeHours: BASELINE.maxDeclarationAgeHours + 1, testRequiredForCrew: false, vaccinationReplacesTest: true, maxCacheStaleHours: 999,
    }).map((l) => l.field);
    expect(fields).toEqual(['maxDeclarationAgeHours', 'maxCacheStaleHours', 'testRequiredForCrew', 'vaccinationReplacesTest']);
  });
});
