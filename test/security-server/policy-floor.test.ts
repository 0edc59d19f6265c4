import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { generateSigningKey } from '../../shared/codes/keys.js';
import { signPassCode } from '../../shared/codes/pass-code.js';
import { INTEGRITY_REASONS } from '../../shared/rules/policy-floor.js';
import { severityOf, type Policy } from '../../shared/rules/policy.js';
import { ScanEngine } from '../../station/engine/engine.js';
import { TrustState } from '../../station/engine/trust-state.js';
import { openStationStore } from '../../station/store/store.js';
import { makeTestApp, testClock, userWithRole } from '../server/helpers.js';

const NOW = Date.UTC(2021, 8, 1, 8);
let app: FastifyInstance | null = null;
const cleanups: (() => void)[] = [];
afterEach(async () => {
  await app?.close();
  app = null;
  for (const c of cleanups.splice(0)) c();
});

describe('the integrity floor: no policy switches off signature checking', () => {
  it('finding 2: the server refuses a policy that makes an integrity reason softer than DENY, naming the reason', async () => {
    app = await makeTestApp({ clock: testClock() });
    const admin = await userWithRole(app, 'admin', 79);
    const { policy: current } = (await app.inject({ url: '/api/v1/policy', headers: admin.headers })).json() as { policy: Policy };
    const { version: _v, issuedAt: _i, ...rules } = current;
    for (const reason of INTEGRITY_REASONS) {
      for (const softer of ['INFO', 'REVIEW', 'ALLOW'] as const) {
        const res = await app.inject({ method: 'POST', url: '/api/v1/policy', headers: admin.headers, payload: { ...rules, severity: { [reason]: softer } } });
        expect(res.statusCode, `${reason} → ${softer}`).toBe(400);
        expect(res.json()).toMatchObject({ code: 'VALIDATION', field: 'severity', reasons: [reason] });
        expect(res.json().message).toContain(`${reason}: ${softer}`);
        expect(res.json().messageVi).toMatch(/^Mức xử lý: .*không được đặt nhẹ hơn TỪ CHỐI/);
      }
    }
    expect((await app.inject({ url: '/api/v1/policy', headers: admin.headers })).json().version).toBe(current.version);
    // Stricter is allowed, for integrity reasons (DENY itself) and others alike.
    const stricter = await app.inject({ method: 'POST', url: '/api/v1/policy', headers: admin.headers, payload: { ...rules, severity: { BAD_SIGNATURE: 'DENY', HEALTH_DECLARATION_STALE: 'DENY' } } });
    expect(stricter.statusCode).toBe(201);
  });

  it('finding 2: a station that receives a signed policy softening BAD_SIGNATURE or UNTRUSTED_KEY ignores the softening and still DENYs forgeries', () => {
    const authority = createTestAuthority({ now: NOW, checkpointIds: [1] });
    const dir = mkdtempSync(join(tmpdir(), 'sec-floor-'));
    const store = openStationStore(join(dir, 'station.db'));
    cleanups.push(() => { store.close(); rmSync(dir, { recursive: true, force: true }); });
    // A policy the server would refuse, signed with the genuine policy key (a stolen key, an old server).
    const hostile: Policy = { ...authority.policy, version: 2, severity: { BAD_SIGNATURE: 'ALLOW', UNTRUSTED_KEY: 'INFO', REVOKED: 'REVIEW', HEALTH_DECLARATION_STALE: 'DENY' } };
    const pass = authority.issuePass();
    store.applyFeedItems([{ type: 'trustList', document: authority.trustDocument }, { type: 'policy', document: authority.signPolicy(hostile) }, pass.facts], { cursor: 1, syncedAt: NOW });

    const logged: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
    const rules = new TrustState(store, authority.keys.root.publicKey, (level, message, fields) => logged.push({ level, message, ...(fields ? { fields } : {}) })).current(NOW);
    expect(rules.policyVersion).toBe(2);
    expect(rules.policy.severity).toEqual({ HEALTH_DECLARATION_STALE: 'DENY' });
    expect(logged).toContainEqual(expect.objectContaining({ level: 'error', fields: { version: 2, reasons: ['BAD_SIGNATURE', 'UNTRUSTED_KEY', 'REVOKED'] } }));
    // The pure rule holds even for a policy object that never went through the trust state.
    for (const reason of INTEGRITY_REASONS) expect(severityOf(reason, hostile)).toBe('DENY');

    const engine = new ScanEngine({ stationId: 'st-1', checkpointId: 1, province: 79, rootPublicKey: authority.keys.root.publicKey, store, clock: () => NOW });
    engine.start();
    cleanups.unshift(() => engine.stop());
    const scan = (payload: string) => engine.handleScan({ scannerId: 'sc-L1', lane: 'L1', direction: 'entry', kind: 'payload', payload, symbology: 'Q', receivedAt: NOW });
    const foreign = signPassCode(pass.body, 'deadbeef', generateSigningKey().privateKey);
    expect(scan(foreign)).toMatchObject({ verdict: 'DENY', reasons: expect.arrayContaining(['UNTRUSTED_KEY']) });
    const forged = signPassCode(pass.body, authority.keys.transport.kid, generateSigningKey().privateKey);
    expect(scan(forged)).toMatchObject({ verdict: 'DENY', reasons: expect.arrayContaining(['BAD_SIGNATURE']) });
  });
});
