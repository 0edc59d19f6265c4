import { chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadServerConfig } from '../../server/config.js';
import { makeTestApp, registerStation, userWithRole } from '../server/helpers.js';

/** Findings 6 and 13 of the outside probe (issue 11): what a default deployment exposes. */
let app: FastifyInstance | null = null;
const dirs: string[] = [];
afterEach(async () => {
  await app?.close();
  app = null;
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('files on the server disk', () => {
  it('finding 6: the database files are 0600 in a 0700 data folder, and looser modes are tightened at start', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'sec-files-'));
    dirs.push(parent);
    chmodSync(parent, 0o755);
    const dataDir = join(parent, 'data');
    const config = loadServerConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }, undefined);
    app = await buildApp(config, { logger: false });
    await app.ready();
    // a write, so the WAL has content
    await userWithRole(app, 'admin', 1);
    const files = readdirSync(dataDir).filter((f) => f.startsWith('server.sqlite'));
    expect(files).toEqual(expect.arrayContaining(['server.sqlite', 'server.sqlite-wal', 'server.sqlite-shm']));
    expect(modeOf(dataDir)).toBe(0o700);
    for (const f of files) expect(modeOf(join(dataDir, f)), f).toBe(0o600);
    // the CSRF key is kept in the (0600) database, shared by every instance, not in a file of its own
    expect(await app.database.client.get("SELECT name FROM server_secrets WHERE name = 'csrf-hmac'")).toEqual({ name: 'csrf-hmac' });
    expect(readdirSync(dataDir)).not.toContain('csrf-hmac.key');
    await app.close();
    app = null;

    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'server.sqlite'), 0o644);
    app = await buildApp(config, { logger: false });
    await app.ready();
    expect(modeOf(dataDir)).toBe(0o700);
    for (const f of readdirSync(dataDir).filter((n) => n.startsWith('server.sqlite'))) expect(modeOf(join(dataDir, f)), f).toBe(0o600);
  });
});

describe('the online-check emulation', () => {
  it('finding 13: POST /api/v1/online/check is not there unless ONLINE_CHECK_ROUTE asks for it', async () => {
    const payload = { code: 'VNP1:XYZ', checkpointId: 1, lane: 'L1', direction: 'entry' };
    app = await makeTestApp();
    const station = await registerStation(app, await userWithRole(app, 'admin', 1));
    expect((await app.inject({ method: 'POST', url: '/api/v1/online/check', headers: station.headers, payload })).statusCode).toBe(404);
    expect(app.routeAccess.some((r) => r.url === '/api/v1/online/check')).toBe(false);
    await app.close();

    app = await makeTestApp({ env: { ONLINE_CHECK_ROUTE: 'true' } });
    const benchStation = await registerStation(app, await userWithRole(app, 'admin', 1));
    const res = await app.inject({ method: 'POST', url: '/api/v1/online/check', headers: benchStation.headers, payload: { ...payload, checkpointId: benchStation.checkpointId } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ verdict: 'DENY' });
  });
});
