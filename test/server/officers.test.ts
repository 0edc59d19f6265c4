import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPin } from '../../shared/auth/pin-hash.js';
import { makeTestApp, registerStation, userWithRole, type TestCaller, type TestStation } from './helpers.js';

/** Checkpoint officers: a province admin manages them; only the province's stations receive them, as PIN hashes. */
let app: FastifyInstance;
let admin: TestCaller;
let station: TestStation;
let otherStation: TestStation;

beforeAll(async () => {
  app = await makeTestApp();
  admin = await userWithRole(app, 'admin', 79);
  station = await registerStation(app, admin);
  otherStation = await registerStation(app, await userWithRole(app, 'admin', 80));
});
afterAll(async () => {
  await app?.close();
});

const pull = async (s: TestStation, since: number) =>
  (await app.inject({ method: 'GET', url: `/api/v1/station/officers?since=${since}`, headers: s.headers })).json() as { version: number; officers: { id: string; pinHash: string; disabled: boolean }[] | null };

describe('checkpoint officers', () => {
  it("reach the province's stations as PIN hashes only, with nothing sent again until something changes", async () => {
    const created = await app.inject({ method: 'POST', url: '/api/v1/officers', headers: admin.headers, payload: { officerId: 'CB-100', name: 'Phan Văn Tâm', pin: '1357' } });
    expect(created.statusCode).toBe(201);
    expect(created.body).not.toContain('scrypt');
    const first = await pull(station, 0);
    expect(first.officers).toHaveLength(1);
    expect(first.officers![0]).toMatchObject({ id: 'CB-100', disabled: false });
    expect(JSON.stringify(first)).not.toContain('1357');
    expect(await verifyPin('1357', first.officers![0]!.pinHash)).toBe(true);
    expect(await pull(station, first.version)).toEqual({ version: first.version, officers: null });
    // Another province's station does not see them.
    expect((await pull(otherStation, 0)).officers ?? []).toEqual([]);

    const disabled = await app.inject({ method: 'PATCH', url: '/api/v1/officers/CB-100', headers: admin.headers, payload: { disabled: true } });
    expect(disabled.statusCode).toBe(200);
    const after = await pull(station, first.version);
    expect(after.version).toBeGreaterThan(first.version);
    expect(after.officers![0]).toMatchObject({ id: 'CB-100', disabled: true });
  });

  it('refuses a PIN that is not 4-12 digits in Vietnamese, a duplicate id, and any role but admin', async () => {
    const bad = await app.inject({ method: 'POST', url: '/api/v1/officers', headers: admin.headers, payload: { officerId: 'CB-101', name: 'A', pin: '12' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Mã PIN gồm 4 đến 12 chữ số');
    const dup = await app.inject({ method: 'POST', url: '/api/v1/officers', headers: admin.headers, payload: { officerId: 'CB-100', name: 'B', pin: '2468' } });
    expect(dup.statusCode).toBe(409);
    for (const role of ['officer', 'command', 'transport'] as const) {
      const caller = await userWithRole(app, role, 79);
      const res = await app.inject({ method: 'POST', url: '/api/v1/officers', headers: caller.headers, payload: { officerId: 'CB-102', name: 'C', pin: '2468' } });
      expect(res.statusCode).toBe(403);
    }
  });
});
