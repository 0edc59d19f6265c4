import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadServerConfig } from '../../server/config.js';
import type { TrustListBody } from '../../shared/trust/trust-list.js';
import { passInput } from '../server-issuing/fixtures.js';
import { makeTestApp, testClock, userWithRole } from '../server/helpers.js';

const run = promisify(execFile);
const dirs: string[] = [];
let app: FastifyInstance | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'sec-keys-'));
  dirs.push(d);
  return d;
};
const configFor = (dataDir: string) => loadServerConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, undefined);
const trustKeys = async (a: FastifyInstance) => {
  const { version, document } = (await a.inject({ url: '/api/v1/trust/list' })).json() as { version: number; document: { body: string } };
  return { version, keys: (JSON.parse(document.body) as TrustListBody).keys.map((k) => `${k.role}/${k.province ?? '-'}`) };
};

describe('signing keys are made only by an explicit, logged act', () => {
  it('finding 1: an admin of province 79 cannot issue passes of province 80, and no request ever creates a signing key', async () => {
    app = await makeTestApp({ clock: testClock() });
    const admin79 = await userWithRole(app, 'admin', 79);
    const before = await trustKeys(app);
    expect(before.keys).toContain('transport/79');

    const other = await app.inject({ method: 'POST', url: '/api/v1/passes', headers: admin79.headers, payload: passInput({ issuingProvince: 80 }) });
    expect(other.statusCode).toBe(403);
    expect(other.json().messageVi).toContain('tỉnh 80');
    expect(await trustKeys(app)).toEqual(before);

    // Province 80's own issuer, before any key exists for 80: refused with the reason, still no key.
    const transport80 = await app.users.create(null, { username: 'gtvt80', password: 'correct horse battery', role: 'transport', province: 80 });
    const token80 = (await app.users.createApiToken({ id: transport80.id, username: 'gtvt80', role: 'transport', province: 80 }, "t")).token;
    const noKey = await app.inject({ method: 'POST', url: '/api/v1/passes', headers: { authorization: `Bearer ${token80}` }, payload: passInput() });
    expect(noKey.statusCode).toBe(409);
    expect(noKey.json()).toMatchObject({ code: 'NO_SIGNING_KEY', messageVi: expect.stringContaining('chưa có khóa ký') });
    expect(await trustKeys(app)).toEqual(before);

    // The key route: an admin of another province is refused; the province's own admin makes it, logged.
    expect((await app.inject({ method: 'POST', url: '/api/v1/keys', headers: admin79.headers, payload: { role: 'transport', province: 80 } })).statusCode).toBe(403);
    const admin80 = await app.users.create(null, { username: 'admin80', password: 'correct horse battery', role: 'admin', province: 80 });
    const adminToken80 = (await app.users.createApiToken({ id: admin80.id, username: 'admin80', role: 'admin', province: 80 }, "t")).token;
    const made = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: { authorization: `Bearer ${adminToken80}` }, payload: { role: 'transport', province: 80 } });
    expect(made.statusCode).toBe(201);
    expect(made.json()).toMatchObject({ role: 'transport', province: 80, trustListVersion: before.version + 1 });
    expect((await trustKeys(app)).keys).toContain('transport/80');
    const log = (await app.inject({ url: '/api/v1/access-log?limit=50', headers: { authorization: `Bearer ${adminToken80}` } })).json() as { items: { action: string; username: string; subjectId: string }[] };
    expect(log.items).toContainEqual(expect.objectContaining({ action: 'key.create', username: 'admin80', subjectId: `transport/80 ${made.json().kid}` }));
    const again = await app.inject({ method: 'POST', url: '/api/v1/keys', headers: { authorization: `Bearer ${adminToken80}` }, payload: { role: 'transport', province: 80 } });
    expect(again.statusCode).toBe(409);
    const issued = await app.inject({ method: 'POST', url: '/api/v1/passes', headers: { authorization: `Bearer ${token80}` }, payload: passInput() });
    expect(issued.statusCode, issued.body).toBe(201);
  });

  it('finding 1: `npm run keys -- create` makes a province key, publishes it and logs who did it', async () => {
    const dir = tempDir();
    app = await buildApp(configFor(dir), { logger: false });
    await app.ready();
    const v1 = app.trust.current().version;
    await app.close();
    app = null;
    const env = { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent' };
    const { stdout } = await run('npx', ['tsx', 'server/main.ts', 'keys', 'create', '--role', 'transport', '--province', '79'], { env });
    expect(stdout).toMatch(/created transport key [0-9a-f]{8} for province 79; trust list version 2/);
    expect(readdirSync(join(dir, 'keys'))).toContain('transport-79.pem');
    const db = new Database(join(dir, 'server.sqlite'), { readonly: true });
    try {
      expect(db.prepare('SELECT max(version) FROM trust_lists').pluck().get()).toBe(v1 + 1);
      expect(db.prepare("SELECT username, role, method, url FROM access_log WHERE action = 'key.create' AND subject_id LIKE 'transport/79 %'").get())
        .toMatchObject({ username: expect.stringMatching(/^system:cli:/), role: 'system', method: 'CLI', url: 'keys create --role transport --province 79' });
    } finally {
      db.close();
    }
    // A second create is refused with a clear message, the key kept.
    const second = await run('npx', ['tsx', 'server/main.ts', 'keys', 'create', '--role', 'transport', '--province', '79'], { env }).catch((e: { code: number; stderr: string }) => e);
    expect(second).toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });
  }, 120_000); // two processes started through npx tsx
});

describe('a missing key file is never silently replaced', () => {
  it('finding 14: with trust data present, a missing root or issuer key file stops the start with a clear error and no new key', async () => {
    const dir = tempDir();
    app = await buildApp(configFor(dir), { logger: false });
    await app.ready();
    await app.trust.createKey('transport', 79, { system: 'test' }, { method: 'CLI', url: 'test' });
    const root = app.trust.rootPublic().kid;
    await app.close();
    app = null;
    const keys = join(dir, 'keys');

    unlinkSync(join(keys, 'root.pem'));
    await expect(buildApp(configFor(dir), { logger: false })).rejects.toThrow(/key files missing .*root\.pem.*restore them from backup/);
    expect(existsSync(join(keys, 'root.pem'))).toBe(false);
    // The server's command line says the same and exits non-zero.
    const started = await run('npx', ['tsx', 'server/main.ts'], { env: { ...process.env, DATA_DIR: dir, LOG_LEVEL: 'silent', PORT: '0' } })
      .catch((e: { code: number; stderr: string }) => e);
    expect(started).toMatchObject({ code: 1, stderr: expect.stringMatching(/^error: key files missing/) });
    expect(existsSync(join(keys, 'root.pem'))).toBe(false);

    // An issuer key the trust list names is just as required.
    const other = tempDir();
    app = await buildApp(configFor(other), { logger: false });
    await app.ready();
    await app.trust.createKey('transport', 79, { system: 'test' }, { method: 'CLI', url: 'test' });
    expect(app.trust.rootPublic().kid).not.toBe(root);
    await app.close();
    app = null;
    unlinkSync(join(other, 'keys', 'transport-79.pem'));
    await expect(buildApp(configFor(other), { logger: false })).rejects.toThrow(/transport-79\.pem/);
    expect(existsSync(join(other, 'keys', 'transport-79.pem'))).toBe(false);
  }, 120_000); // one process started through npx tsx
});
