import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { makeTestApp, testClock, userWithRole } from './helpers.js';

/** Cookies from a response as a Cookie header value. */
function cookieHeader(res: LightMyRequestResponse): string {
  return res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

describe('people: login, sessions, CSRF, bearer tokens, rate limit', () => {
  let app: FastifyInstance;
  afterEach(async () => app?.close());

  const login = (username: string, password: string, ip = '10.0.0.1') =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });

  it('logs in with a session cookie that is httpOnly and SameSite=Strict, and logs out', async () => {
    app = await makeTestApp();
    await app.users.create(null, { username: 'lan', password: 'mat-khau-dai', role: 'command', province: 1 });
    expect((await login('lan', 'wrong-password')).statusCode).toBe(401);
    const res = await login('LAN', 'mat-khau-dai');
    expect(res.statusCode).toBe(200);
    const sid = res.cookies.find((c) => c.name === 'sid')!;
    expect(sid).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    const { csrfToken } = res.json() as { csrfToken: string };
    const cookie = cookieHeader(res);
    const me = await app.inject({ url: '/api/v1/auth/me', headers: { cookie } });
    expect(me.json().user).toMatchObject({ username: 'lan', role: 'command' });
    // the session token is stored hashed, never as sent
    const stored = (await app.database.client.all<{ token_hash: string }>('SELECT token_hash FROM sessions')).map((r) => r.token_hash);
    expect(stored).toHaveLength(1);
    expect(stored[0]).not.toBe(sid.value);

    const out = await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrfToken } });
    expect(out.statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('needs the CSRF token for state-changing requests made with the cookie', async () => {
    app = await makeTestApp();
    await app.users.create(null, { username: 'admin1', password: 'mat-khau-dai', role: 'admin', province: 1 });
    const res = await login('admin1', 'mat-khau-dai');
    const cookie = cookieHeader(res);
    const { csrfToken } = res.json() as { csrfToken: string };
    const body = { username: 'new-user', password: 'mat-khau-dai', role: 'officer', province: 1 };
    const noToken = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie }, payload: body });
    expect(noToken.statusCode).toBe(403);
    const badToken = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie, 'x-csrf-token': 'forged' }, payload: body });
    expect(badToken.statusCode).toBe(403);
    expect((await app.users.list({ id: 1, username: 'admin1', role: 'admin', province: 1 })).map((u) => u.username)).toEqual(['admin1']);
    const ok = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie, 'x-csrf-token': csrfToken }, payload: body });
    expect(ok.statusCode).toBe(201);
    // reads need no token
    expect((await app.inject({ url: '/api/v1/users', headers: { cookie } })).statusCode).toBe(200);
  });

  it('expires sessions after SESSION_TTL_MINUTES', async () => {
    const clock = testClock();
    app = await makeTestApp({ clock, env: { SESSION_TTL_MINUTES: '30' } });
    await app.users.create(null, { username: 'lan', password: 'mat-khau-dai', role: 'command', province: 1 });
    const res = await login('lan', 'mat-khau-dai');
    // The browser is told a lifetime, not the server's idea of an end time: a browser whose clock
    // is hours off the server's keeps the session for its whole length.
    const sid = res.cookies.find((c) => c.name === 'sid')!;
    expect(sid.maxAge).toBe(30 * 60);
    expect(sid.expires).toBeUndefined();
    const cookie = cookieHeader(res);
    clock.advance(29 * 60_000);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(200);
    clock.advance(2 * 60_000);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it('rate-limits login attempts per client address', async () => {
    app = await makeTestApp({ env: { LOGIN_RATE_LIMIT: '3' } });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await login('nobody', 'wrong-password', '10.9.9.9')).statusCode);
    expect(codes).toEqual([401, 401, 401, 429, 429]);
    // another address is not affected
    expect((await login('nobody', 'wrong-password', '10.9.9.10')).statusCode).toBe(401);
  });

  it('accepts API tokens without CSRF, and a revoked token stops working', async () => {
    app = await makeTestApp();
    const admin = await userWithRole(app, 'admin', 1);
    const created = await app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: admin.headers, payload: { name: 'script' } });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json() as { id: number; token: string };
    const headers = { authorization: `Bearer ${token}` };
    expect((await app.inject({ method: 'POST', url: '/api/v1/users', headers, payload: { username: 'x-user', password: 'mat-khau-dai', role: 'officer', province: 1 } })).statusCode).toBe(201);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/auth/tokens/${id}`, headers })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/v1/auth/me', headers })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { authorization: 'Bearer not-a-token' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
  });

  it('keeps users inside their province: an admin of province 2 cannot create or see users of province 1', async () => {
    app = await makeTestApp();
    const admin2 = await userWithRole(app, 'admin', 2);
    const res = await app.inject({ method: 'POST', url: '/api/v1/users', headers: admin2.headers, payload: { username: 'p1-user', password: 'mat-khau-dai', role: 'transport', province: 1 } });
    expect(res.statusCode).toBe(403);
    await userWithRole(app, 'transport', 1);
    const list = (await app.inject({ url: '/api/v1/users', headers: admin2.headers })).json() as { province: number }[];
    expect(list.every((u) => u.province === 2)).toBe(true);
  });

  it('disabling a user ends their sessions and tokens at once', async () => {
    app = await makeTestApp();
    const admin = await userWithRole(app, 'admin', 1);
    const officer = await userWithRole(app, 'officer', 1);
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/users/${officer.id}`, headers: admin.headers, payload: { disabled: true } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/auth/me', headers: officer.headers })).statusCode).toBe(401);
  });

  it('stores passwords as scrypt hashes and refuses duplicate usernames case-insensitively', async () => {
    app = await makeTestApp();
    const admin = await userWithRole(app, 'admin', 1);
    const body = { username: 'Hoa', password: 'mat-khau-dai', role: 'health', province: 1 };
    expect((await app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload: body })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload: { ...body, username: 'hoa' } })).statusCode).toBe(409);
    const hash = (await app.database.client.get<{ password_hash: string }>("SELECT password_hash FROM users WHERE username = 'Hoa'"))!.password_hash;
    expect(hash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(hash).not.toContain('mat-khau-dai');
  });
});
