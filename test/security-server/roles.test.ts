import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { journalChain } from '../server/journal-fixtures.js';
import { makeTestApp, registerStation, testClock, userWithRole, sqlScalar } from '../server/helpers.js';

/**
 * What the route × role matrix (test/server/access-matrix.test.ts) does not show: a station acting
 * as a person or as another station changes nothing; sessions and API tokens expire by the server's
 * clock; login stays rate-limited even for the right password; every state-changing route refuses a
 * cookie without its CSRF token; security headers on HTML, JSON, error and rate-limit answers.
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let app: FastifyInstance;
afterEach(async () => app?.close());

const cookieOf = (res: LightMyRequestResponse) => res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
const login = (username: string, password: string, ip = '10.1.1.1') =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });

describe('a station credential is a station, and only that station', () => {
  it('cannot act as a person on any person route, nor as another station; nothing changes', async () => {
    const clock = testClock();
    app = await makeTestApp({ clock });
    const admin = await userWithRole(app, 'admin', 1);
    const a = await registerStation(app, admin, { stationId: 'chot-a', checkpointId: 1 });
    const b = await registerStation(app, admin, { stationId: 'chot-b', checkpointId: 2 });

    // every route for people, with the station's credential: 403 with the reason, in both languages
    for (const route of app.routeAccess.filter((r) => typeof r.access === 'object')) {
      const res = await app.inject({ method: route.method as 'GET', url: route.url.replace(/:stationId/, 'chot-b').replace(/:[A-Za-z]+/g, '1'), headers: a.headers, ...(STATE_CHANGING.has(route.method) && route.method !== 'DELETE' ? { payload: {} } : {}) });
      expect(res.statusCode, `${route.method} ${route.url}`).toBe(403);
      if (route.method !== 'HEAD') expect(res.json()).toMatchObject({ message: 'a station credential cannot act as a person', messageVi: expect.stringContaining('Trạm') });
    }
    // B's secret is not rotated, B is not disabled
    expect((await app.inject({ url: '/api/v1/feed/changes?since=0', headers: b.headers })).statusCode).not.toBe(401);

    // A posting B's journal, in B's name: refused, nothing stored for B
    const bRecords = journalChain('chot-b', 3);
    expect((await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: a.headers, payload: { stationId: 'chot-b', records: bRecords } })).statusCode).toBe(403);
    // A posting B's records in its own name: each record is refused, nothing stored
    const mixed = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: a.headers, payload: { stationId: 'chot-a', records: bRecords } });
    expect((mixed.json() as { rejected: unknown[]; stored: number })).toMatchObject({ stored: 0 });
    expect((mixed.json() as { rejected: unknown[] }).rejected).toHaveLength(3);
    expect((await sqlScalar(app, "SELECT count(*) FROM journal WHERE station_id = 'chot-b'"))).toBe(0);
    // B's own upload of the same records is then accepted as new: A's attempt left no trace in B's sequence
    const own = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: b.headers, payload: { stationId: 'chot-b', records: bRecords } });
    expect(own.json()).toMatchObject({ ackedSeq: 3, stored: 3, rejected: [], chainBreaks: [] });

    // a heartbeat in B's name from A: refused, and B's status is untouched
    const beat = (stationId: string, headers: Record<string, string>) => app.inject({
      method: 'POST', url: '/api/v1/stations/heartbeat', headers,
      payload: { stationId, softwareVersion: 'evil', clock: clock() - 5 * HOUR, cacheCursor: 1, cacheAgeMs: 0, outboxBacklog: 0, lastSeq: 0, scanners: [] },
    });
    expect((await beat('chot-b', a.headers)).statusCode).toBe(403);
    const fleetB = (await app.inject({ url: '/api/v1/stations/chot-b', headers: admin.headers })).json() as Record<string, unknown>;
    expect(JSON.stringify(fleetB)).not.toContain('evil');
    expect((fleetB.warnings as { code: string }[]).map((w) => w.code)).not.toContain('CLOCK_SKEW');
    // A's secret under B's id, or B's id with a secret prefix trick: not a credential
    expect((await beat('chot-b', { authorization: `Station chot-b:${a.secret}` })).statusCode).toBe(401);
    expect((await beat('chot-b', { authorization: `Station chot-b:${b.secret.slice(0, -1)}` })).statusCode).toBe(401);
    expect((await beat('chot-b', { authorization: `Station chot-b:${b.secret}x` })).statusCode).toBe(401);
    expect((await beat('chot-b', { authorization: `Station chot-a:${a.secret}:chot-b` })).statusCode).toBe(401);
  });

  it('a person\'s token cannot act as a station', async () => {
    app = await makeTestApp();
    const admin = await userWithRole(app, 'admin', 1);
    await registerStation(app, admin, { stationId: 'chot-a' });
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: admin.headers, payload: { stationId: 'chot-a', records: journalChain('chot-a', 1) } });
    expect(res.statusCode).toBe(403);
    expect((await sqlScalar(app, 'SELECT count(*) FROM journal'))).toBe(0);
  });
});

describe('credentials expire by the server clock', () => {
  it('a cookie session after SESSION_TTL_MINUTES, an API token after API_TOKEN_TTL_DAYS', async () => {
    const clock = testClock();
    app = await makeTestApp({ clock, env: { SESSION_TTL_MINUTES: '60', API_TOKEN_TTL_DAYS: '7' } });
    const command = await userWithRole(app, 'command', 1);
    const res = await login(command.username, 'correct horse battery');
    expect(res.statusCode).toBe(200);
    const cookie = cookieOf(res);
    const me = (headers: Record<string, string>) => app.inject({ url: '/api/v1/auth/me', headers }).then((r) => r.statusCode);
    clock.advance(59 * 60_000);
    expect(await me({ cookie })).toBe(200);
    clock.advance(2 * 60_000);
    expect(await me({ cookie })).toBe(401);
    // the bearer token made at the start lives 7 days
    clock.set(clock() + 6 * DAY);
    expect(await me(command.headers)).toBe(200);
    clock.advance(DAY);
    expect(await me(command.headers)).toBe(401);
    // and a token asked with a longer life than allowed still obeys the server's rule or is refused
    const long = await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: (await userWithRole(app, 'admin', 1)).headers, payload: { name: 'x', ttlDays: 100_000 } });
    expect(long.statusCode).toBeLessThan(500);
  });
});

describe('login rate limit', () => {
  it('after the limit even the right password is refused with 429, Retry-After and a message; other addresses are not affected', async () => {
    app = await makeTestApp({ env: { LOGIN_RATE_LIMIT: '5' } });
    const user = await userWithRole(app, 'command', 1);
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await login(user.username, `guess-${i}-wrong`, '10.7.7.7')).statusCode);
    expect(codes).toEqual([401, 401, 401, 401, 401]);
    const right = await login(user.username, 'correct horse battery', '10.7.7.7');
    expect(right.statusCode).toBe(429);
    expect(right.cookies).toEqual([]);
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(0);
    expect(right.json()).toMatchObject({ statusCode: 429, message: expect.any(String), messageVi: expect.stringContaining('Quá nhiều') });
    expect(right.headers['x-content-type-options']).toBe('nosniff');
    expect((await login(user.username, 'correct horse battery', '10.7.7.8')).statusCode).toBe(200);
    // X-Forwarded-For is not trusted unless TRUST_PROXY is set: a forged header does not reset the count
    const forged = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: user.username, password: 'correct horse battery' }, remoteAddress: '10.7.7.7', headers: { 'x-forwarded-for': '1.2.3.4' } });
    expect(forged.statusCode).toBe(429);
  });
});

describe('CSRF on cookie sessions', () => {
  it('every state-changing route refuses a cookie without the token, or with another session\'s token', async () => {
    app = await makeTestApp({ env: { LOGIN_RATE_LIMIT: '10000' } });
    const admin = await userWithRole(app, 'admin', 1);
    const first = await login(admin.username, 'correct horse battery');
    const second = await login(admin.username, 'correct horse battery', '10.1.1.2');
    const cookie = cookieOf(first);
    const otherToken = (second.json() as { csrfToken: string }).csrfToken;
    const routes = app.routeAccess.filter((r) => STATE_CHANGING.has(r.method) && typeof r.access === 'object' && r.access.roles.includes('admin'));
    expect(routes.length).toBeGreaterThan(15);
    const wrong: string[] = [];
    for (const r of routes) {
      const url = r.url.replace(/:stationId/, 'nobody').replace(/:kind/, 'tests').replace(/:[A-Za-z]+/g, '999999');
      for (const headers of [{ cookie }, { cookie, 'x-csrf-token': otherToken }, { cookie, 'x-csrf-token': '' }]) {
        const res = await app.inject({ method: r.method as 'POST', url, headers, ...(r.method !== 'DELETE' ? { payload: {} } : {}) });
        if (res.statusCode !== 403) wrong.push(`${r.method} ${r.url} ${JSON.stringify(Object.keys(headers))}: ${res.statusCode}`);
      }
    }
    expect(wrong).toEqual([]);
    // with its own token it gets through to validation (400 for the empty body), not 403
    const ok = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie, 'x-csrf-token': (first.json() as { csrfToken: string }).csrfToken }, payload: {} });
    expect(ok.statusCode).toBe(400);
    // the session cookie is not readable by scripts nor sent cross-site
    expect(first.cookies.find((c) => c.name === 'sid')).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  });
});

describe('security headers', () => {
  it('on the web app, the printable sheet, JSON and error answers', async () => {
    app = await makeTestApp();
    const transport = await userWithRole(app, 'transport', 1);
    const pass = await app.inject({
      method: 'POST', url: '/api/v1/passes', headers: transport.headers,
      payload: { plate: '51C-123.45', goods: 0, crew: [{ citizenId: '079000000001', name: 'A' }], originZone: '79', destinationZone: '01', routeCheckpoints: [1], routeProvinces: [1], validTo: Date.now() + DAY },
    });
    const passId = (pass.json() as { passId: number }).passId;
    const answers: [string, LightMyRequestResponse][] = [
      ['web app', await app.inject({ url: '/app/' })],
      ['pass sheet', await app.inject({ url: `/api/v1/passes/${passId}/sheet`, headers: transport.headers })],
      ['JSON', await app.inject({ url: '/api/v1/trust/list' })],
      ['401', await app.inject({ url: '/api/v1/crossings' })],
      ['404', await app.inject({ url: '/nothing-here' })],
      ['400', await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: '{bad', headers: { 'content-type': 'application/json' } })],
    ];
    for (const [name, res] of answers) {
      expect(res.statusCode, name).toBeLessThan(500);
      const csp = String(res.headers['content-security-policy']);
      expect(csp, name).toContain("default-src 'self'");
      expect(csp, name).toMatch(/frame-ancestors 'self'|frame-ancestors 'none'/);
      expect(csp, name).toContain("object-src 'none'");
      expect(csp, name).not.toContain("'unsafe-eval'");
      expect(res.headers['x-content-type-options'], name).toBe('nosniff');
      expect(['DENY', 'SAMEORIGIN'], name).toContain(res.headers['x-frame-options']);
      expect(res.headers['referrer-policy'], name).toBe('no-referrer');
      expect(res.headers['x-powered-by'], name).toBeUndefined();
    }
    // script-src: no inline scripts on the pages the server renders itself
    for (const [name, res] of answers.slice(0, 2)) expect(String(res.headers['content-security-policy']), name).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  });
});
