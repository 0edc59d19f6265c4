import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNationalFixture, type NationalFixture } from '../../hardware-sim/fixtures/national.js';
import { generateSigningKey } from '../../shared/codes/keys.js';
import { readCode } from '../../shared/codes/read-code.js';
import { signAuthority, type TrustDocument } from '../../shared/trust/authority.js';
import { TrustList } from '../../shared/trust/trust-list.js';
import { verifyFeedDocuments } from '../../station/engine/trust-state.js';
import { makeTestApp, userWithRole, type TestCaller } from '../server/helpers.js';

/**
 * National mode: the server is given the national root's public key, never its private key, and
 * relays the authority documents the root signed offline. A document that does not verify is
 * refused with nothing applied; stations verify what the server relays on their own.
 */
const NOW = Date.UTC(2021, 8, 1, 8);
let nation: NationalFixture;
let app: FastifyInstance;
let admin: TestCaller;

async function post(doc: unknown, caller: TestCaller = admin) {
  return app.inject({ method: 'POST', url: '/api/v1/trust/authorities', headers: caller.headers, payload: doc as object });
}
async function trustDocument(): Promise<{ version: number; document: TrustDocument } | null> {
  const res = await app.inject({ url: '/api/v1/trust/list' });
  return res.statusCode === 200 ? (res.json() as { version: number; document: TrustDocument }) : null;
}

beforeEach(async () => {
  nation = createNationalFixture({ now: NOW, provinces: [79, 80] });
  app = await makeTestApp({ env: { NATIONAL_ROOT_PUBLIC_KEY: nation.root.publicKeyB64 }, clock: () => NOW });
  admin = await userWithRole(app, 'admin', 79);
});
afterEach(async () => app.close());

describe('national trust documents at the server', () => {
  it('imports documents signed by the national root and relays the chain, which a station verifies with that root alone', async () => {
    expect(await trustDocument()).toBeNull(); // nothing of its own root reaches stations in national mode
    expect((await post(nation.documents.get(79))).statusCode).toBe(201);
    const res = await post(nation.documents.get(80));
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ province: 80, version: 1, trustListVersion: 2 });

    const relayed = (await trustDocument())!;
    expect(relayed.version).toBe(2);
    expect(() => verifyFeedDocuments([{ type: 'trustList', document: relayed.document }], nation.root.publicKey, null, NOW)).not.toThrow();
    const trust = TrustList.open(relayed.document, nation.root.publicKey);
    const pass = nation.province(79).issuePass();
    expect(readCode(pass.code, trust, NOW)).toMatchObject({ ok: true, kind: 'pass' });
  });

  it('refuses a document not signed by the national root (400, Vietnamese and English) and applies nothing of it', async () => {
    await post(nation.documents.get(79));
    const before = await trustDocument();
    const rogue = signAuthority({ type: 'authority', province: 80, version: 1, issuedAt: NOW, keys: nation.entries(80) }, generateSigningKey());
    const res = await post(rogue);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/national root/), messageVi: expect.stringMatching(/khóa gốc quốc gia/) });
    expect(await trustDocument()).toEqual(before);
  });

  it('refuses a version that is not newer than the one held (a replay could bring back a revoked key)', async () => {
    const v1 = nation.documents.get(79)!;
    expect((await post(v1)).statusCode).toBe(201);
    nation.reissue(79, nation.entries(79).slice(1));
    expect((await post(nation.documents.get(79))).statusCode).toBe(201);
    const before = await trustDocument();
    expect((await post(v1)).statusCode).toBe(409);
    expect(await trustDocument()).toEqual(before);
  });

  it('only an admin imports; a server running one province alone has no chain to import into', async () => {
    const command = await userWithRole(app, 'command', 79);
    expect((await post(nation.documents.get(79), command)).statusCode).toBe(403);
    const alone = await makeTestApp();
    try {
      const a = await userWithRole(alone, 'admin', 79);
      const res = await alone.inject({ method: 'POST', url: '/api/v1/trust/authorities', headers: a.headers, payload: nation.documents.get(79)! });
      expect(res.statusCode).toBe(400);
    } finally {
      await alone.close();
    }
  });
});
