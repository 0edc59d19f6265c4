import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadServerConfig, ConfigError } from '../../server/config.js';
import { makeTestApp, registerStation, sqlScalar, testConfig, userWithRole } from './helpers.js';

describe('HTTP edges: headers, bad input, errors, ops endpoints', () => {
  let app: FastifyInstance;
  afterEach(async () => app?.close());

  it('sends security headers on every answer', async () => {
    app = await makeTestApp();
    for (const url of ['/healthz', '/api/v1/crossings', '/no-such-route']) {
      const res = await app.inject({ url });
      expect(res.headers['content-security-policy']).toContain("default-src 'self'");
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
      expect(res.headers['strict-transport-security']).toBeDefined();
      expect(res.headers['referrer-policy']).toBe('no-referrer');
    }
  });

  it('answers malformed JSON with 400 and a clear message, never 500, on ingest and elsewhere', async () => {
    app = await makeTestApp();
    const admin = await userWithRole(app, 'admin', 1);
    const st = await registerStation(app, admin);
    const bodies = ['{"stationId":', '', 'null', '[]', '"x"', '{"stationId":"a","records":[1,2', '\u0000\u0001'];
    for (const [url, headers] of [['/api/v1/ingest/batches', st.headers], ['/api/v1/users', admin.headers], ['/api/v1/auth/login', {}]] as const) {
      for (const payload of bodies) {
        const res = await app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/json' }, payload });
        expect(res.statusCode, `${url} ${JSON.stringify(payload)} → ${res.body}`).toBe(400);
        const body = res.json() as { message: string; messageVi: string };
        expect(body.message.length).toBeGreaterThan(5);
        expect(body.messageVi.length).toBeGreaterThan(5);
      }
    }
  });

  it('names the failing field on schema errors, and refuses unknown fields', async () => {
    app = await makeTestApp();
    const admin = await userWithRole(app, 'admin', 1);
    const bad = await app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload: { username: 'ok-name', password: 'short', role: 'officer', province: 1 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      code: 'VALIDATION', messageVi: expect.stringMatching(/^Mật khẩu: cần ít nhất \d+ ký tự$/), fields: [{ field: 'body/password' }],
    });
    const extra = await app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload: { username: 'ok-name', password: 'long-enough', role: 'officer', province: 1, isAdmin: true } });
    expect(extra.statusCode).toBe(400);
  });

  it('names an unknown field called like an inherited property ("constructor", "__proto__") with a 400, not a 500', async () => {
    app = await makeTestApp();
    const admin = await userWithRole(app, 'admin', 1);
    for (const name of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      const res = await app.inject({ url: `/api/v1/access-log?${name}=x`, headers: admin.headers });
      expect(res.statusCode, `${name} → ${res.body}`).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION', messageVi: expect.stringContaining(name) });
    }
  });

  it('stores hostile text verbatim and returns it as JSON (nosniff; HTML escaping is the screens\' job)', async () => {
    app = await makeTestApp();
    const admin = await userWithRole(app, 'admin', 1);
    const hostile = `<img src=x onerror=alert(1)>'; DROP TABLE users;-- \u202e Ả Ấ 𝕏 "q"`;
    const created = await app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload: { username: 'evil.name', password: 'mat-khau-dai', displayName: hostile, role: 'officer', province: 1 } });
    expect(created.statusCode).toBe(201);
    expect(created.headers['content-type']).toMatch(/^application\/json/);
    expect((created.json() as { displayName: string }).displayName).toBe(hostile);
    const st = await app.inject({ method: 'POST', url: '/api/v1/stations', headers: admin.headers, payload: { stationId: 'chot-x', checkpointId: 5, name: hostile, province: 1, lanes: [{ id: 'L1', direction: 'entry' }] } });
    expect((st.json() as { station: { name: string } }).station.name).toBe(hostile);
    expect(await sqlScalar(app, 'SELECT count(*) FROM users')).toBe(2);
  });

  it('refuses too-large bodies (413) and wrong content types (415)', async () => {
    app = await makeTestApp({ env: { BODY_LIMIT_BYTES: '2048' } });
    const admin = await userWithRole(app, 'admin', 1);
    const st = await registerStation(app, admin);
    const big = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: st.stationId, records: ['x'.repeat(5000)] } });
    expect(big.statusCode).toBe(413);
    const xml = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: { ...st.headers, 'content-type': 'application/xml' }, payload: '<a/>' });
    expect(xml.statusCode).toBe(415);
  });

  it('hides the details of a 5xx', async () => {
    const config = testConfig();
    app = await buildApp(config, { logger: false });
    app.get('/test-boom', { config: { access: 'public' } }, async () => {
      throw new Error('SQLITE_CORRUPT at /srv/secret/path.db');
    });
    const res = await app.inject({ url: '/test-boom' });
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret');
    expect(res.json()).toMatchObject({ code: 'INTERNAL', message: 'Internal server error' });
  });

  it('serves /healthz, Prometheus /metrics and OpenAPI docs at /docs', async () => {
    app = await makeTestApp();
    expect((await app.inject({ url: '/healthz' })).json()).toMatchObject({ status: 'ok' });
    const metrics = await app.inject({ url: '/metrics' });
    expect(metrics.headers['content-type']).toMatch(/^text\/plain/);
    expect(metrics.body).toContain('# TYPE ingest_records_total counter');
    expect(metrics.body).toContain('http_request_duration_seconds_bucket');
    expect((await app.inject({ url: '/docs' })).statusCode).toBe(200);
    const spec = (await app.inject({ url: '/docs/json' })).json() as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/v1/ingest/batches', '/api/v1/crossings', '/api/v1/auth/login']));
  });

  it('validates its config once, naming the bad field', () => {
    expect(() => loadServerConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadServerConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadServerConfig({ RETENTION_DAYS: '0' })).toThrow(/RETENTION_DAYS/);
    const c = loadServerConfig({ PORT: '9000', COOKIE_SECURE: 'true' });
    expect(c).toMatchObject({ port: 9000, host: '127.0.0.1', cookieSecure: true, retentionDays: 30 });
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads an optional JSON config file, with the environment winning', () => {
    const dir = mkdtempSync(join(tmpdir(), 'server-config-'));
    try {
      const file = join(dir, 'server.json');
      writeFileSync(file, JSON.stringify({ PORT: 9100, RETENTION_DAYS: 14, HOST: '0.0.0.0' }));
      expect(loadServerConfig({ HOST: '127.0.0.2' }, file)).toMatchObject({ port: 9100, retentionDays: 14, host: '127.0.0.2' });
      writeFileSync(file, JSON.stringify({ PORTT: 1 }));
      expect(() => loadServerConfig({}, file)).toThrow(/unknown setting PORTT/);
      writeFileSync(file, '{ nope');
      expect(() => loadServerConfig({}, file)).toThrow(/not valid JSON/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
