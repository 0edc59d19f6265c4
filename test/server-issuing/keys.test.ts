import type { SignedDocument } from '../../shared/trust/signed-document.js';
import { freshServerDatabaseUrl } from '../postgres/server-suite/server-database.js';
import { afterEach, describe, expect, it } from 'vitest';
import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { generateSigningKey, privateKeyPem } from '../../shared/codes/keys.js';
import { readCode } from '../../shared/codes/read-code.js';
import { DEFAULT_POLICY, PolicySchema } from '../../shared/rules/policy.js';
import { openDocument } from '../../shared/trust/signed-document.js';
import { createTransportKey, makeTestApp, testClock } from '../server/helpers.js';
import { fetchTrust, passInput } from './fixtures.js';
import type { TrustListBody } from '../../shared/trust/trust-list.js';

const seedActor = { username: 'seed', role: 'admin' as const, province: 79 };

describe('issuer keys and the trust list', () => {
  const dirs: string[] = [];
  let app: FastifyInstance | null = null;
  afterEach(async () => {
    await app?.close();
    app = null;
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  // a restart reopens the same database: the same file on SQLite, the same database on PostgreSQL
  const databases = new Map<string, string | null>();
  const open = async (dataDir: string, clock = testClock()) => {
    if (!databases.has(dataDir)) databases.set(dataDir, await freshServerDatabaseUrl());
    const url = databases.get(dataDir);
    return (app = await makeTestApp({ clock, env: { DATA_DIR: dataDir, DB_FILE: join(dataDir, 'server.sqlite'), ...(url ? { DATABASE_URL: url } : {}) } }));
  };

  it('creates private key files readable only by the server user, and keeps them across restarts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'issuing-keys-'));
    dirs.push(dir);
    let a = await open(dir);
    const keysDir = join(dir, 'keys');
    expect(statSync(keysDir).mode & 0o777).toBe(0o700);
    expect(readdirSync(keysDir).sort()).toEqual(['health.pem', 'policy.pem', 'root.pem']);
    const root = a.trust.rootPublic();
    const v1 = a.trust.current();
    expect(v1.version).toBe(1);
    expect((v1.document as SignedDocument).kid).toBe(root.kid);

    // Issuing never makes a key: the province's transport key is a key-management act, which republishes the trust list.
    await expect(a.passes.create(seedActor, passInput())).rejects.toThrow(/no transport signing key/);
    expect(readdirSync(keysDir)).not.toContain('transport-79.pem');
    await createTransportKey(a, 79);
    const pass = await a.passes.create(seedActor, passInput());
    expect(readdirSync(keysDir)).toContain('transport-79.pem');
    for (const f of readdirSync(keysDir)) expect(statSync(join(keysDir, f)).mode & 0o777).toBe(0o600);
    expect(a.trust.current().version).toBe(2);
    const seqBefore = await a.feed.head();

    chmodSync(join(keysDir, 'root.pem'), 0o644);
    await a.close();
    a = await open(dir);
    // Same keys, nothing republished, old codes still verify, loose modes tightened.
    expect(a.trust.rootPublic()).toEqual(root);
    expect(a.trust.current().version).toBe(2);
    expect((await a.policy.current()).version).toBe(1);
    expect(await a.feed.head()).toBe(seqBefore);
    expect(statSync(join(keysDir, 'root.pem')).mode & 0o777).toBe(0o600);
    expect(readCode(pass.code, await fetchTrust(a), Date.UTC(2021, 8, 2))).toMatchObject({ ok: true, kind: 'pass' });
  });

  it('publishes policy versions signed by the policy key named in the trust list', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'issuing-keys-'));
    dirs.push(dir);
    const a = await open(dir);
    const { version: _v, issuedAt: _i, ...rules } = DEFAULT_POLICY;
    const v2 = await a.policy.publish({ username: 'admin' }, { ...rules, testValidityHours: { RT_PCR: 120, RAPID_ANTIGEN: 72 } });
    expect(v2.version).toBe(2);
    const trust = await fetchTrust(a);
    const opened = trust.openSigned(v2.document, 'policy', a.clock(), (k) => openDocument(v2.document, k, PolicySchema));
    expect(opened).toMatchObject({ version: 2, testValidityHours: { RT_PCR: 120 } });
    // A policy document is not accepted as signed by a key of another role.
    expect(() => trust.openSigned(v2.document, 'health', a.clock(), (k) => k)).toThrow(/policy key, not health/);
    await expect(a.policy.publish({ username: 'admin' }, { ...rules, maxCacheStaleHours: -1 })).rejects.toThrow(/policy/);
  });

  it('registers a key file put in place by hand at the next start, never on a signing path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'issuing-keys-'));
    dirs.push(dir);
    const keysDir = join(dir, 'keys');
    let a = await open(dir);
    const hand = generateSigningKey();
    writeFileSync(join(keysDir, 'transport-79.pem'), privateKeyPem(hand), { mode: 0o600 });
    // While running, the file is not in the trust list stations hold: nothing is signed with it.
    expect(() => a.trust.transportKey(79)).toThrow(/not in the trust list yet/);
    await expect(a.passes.create(seedActor, passInput())).rejects.toThrow(/not in the trust list yet/);
    expect(a.trust.current().version).toBe(1);
    await a.close();
    a = await open(dir);
    // At start it is registered and published; passes are then signed with it and verify at a station.
    expect(a.trust.current().version).toBe(2);
    const keys = (JSON.parse((a.trust.current().document as SignedDocument).body) as TrustListBody).keys;
    expect(keys.find((k) => k.role === 'transport' && k.province === 79)?.kid).toBe(hand.kid);
    const pass = await a.passes.create(seedActor, passInput());
    expect(readCode(pass.code, await fetchTrust(a), Date.UTC(2021, 8, 2))).toMatchObject({ ok: true, kind: 'pass' });
  });
});
