import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { makeTestApp, testClock, userWithRole, type TestCaller } from '../server/helpers.js';

/** Findings 3, 7, 10 and 11 of the outside probe (issue 11): sessions, tokens, CSRF, sign-in limits, passwords. */
let app: FastifyInstance;
afterEach(async () => app?.close());

const PASSWORD = 'correct horse battery';
const cookieOf = (res: LightMyRequestResponse) => res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
const login = (username: string, password: string, ip = '10.1.1.1') =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });
const me = async (headers: Record<string, string>) => (await app.inject({ url: '/api/v1/auth/me', headers })).statusCode;
const newToken = async (caller: { headers: Record<string, string> }, ttlDays?: number) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/tokens', headers: caller.headers, payload: { name: 'script', ...(ttlDays === undefined ? {} : { ttlDays }) } });

describe('sessions and API tokens end when they should', () => {
  it('finding 3: a password reset or a disabled user ends every session and token; token lifetime has a configured maximum; logout with a bearer token revokes it', async () => {
    app = await makeTestApp({ clock: testClock() });
    const admin = await userWithRole(app, 'admin', 1);
    const officer = await userWithRole(app, 'officer', 1);

    // An officer cannot give itself a 10-year token; the default maximum is 90 days.
    const tenYears = await newToken(officer, 3650);
    expect(tenYears.statusCode).toBe(400);
    expect(tenYears.json()).toMatchObject({ field: 'ttlDays', messageVi: expect.stringContaining('tối đa 90 ngày') });
    const ninety = await newToken(officer, 90);
    expect(ninety.statusCode).toBe(201);
    const byDefault = (await newToken(officer)).json() as { createdAt: number; expiresAt: number; token: string };
    expect(byDefault.expiresAt - byDefault.createdAt).toBe(90 * 86_400_000);

    // A reset ends the cookie session and every token, the one made by the test helper included.
    const session = cookieOf(await login(officer.username, PASSWORD));
    const tokens = [officer.headers, { authorization: `Bearer ${(ninety.json() as { token: string }).token}` }, { authorization: `Bearer ${byDefault.token}` }];
    for (const h of [...tokens, { cookie: session }]) expect(await me(h)).toBe(200);
    const reset = await app.inject({ method: 'PATCH', url: `/api/v1/users/${officer.id}`, headers: admin.headers, payload: { password: 'a new long passphrase' } });
    expect(reset.statusCode).toBe(200);
    for (const h of [...tokens, { cookie: session }]) expect(await me(h)).toBe(401);

    // Disabling ends tokens for good: enabling the user again does not bring them back.
    const other = await userWithRole(app, 'command', 1);
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/users/${other.id}`, headers: admin.headers, payload: { disabled: true } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/users/${other.id}`, headers: admin.headers, payload: { disabled: false } })).statusCode).toBe(200);
    expect(await me(other.headers)).toBe(401);

    // Signing out with a bearer token revokes that token (and only that one).
    const script = await userWithRole(app, 'transport', 1);
    const second = (await newToken(script)).json() as { token: string };
    expect((await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: script.headers })).statusCode).toBe(204);
    expect(await me(script.headers)).toBe(401);
    expect(await me({ authorization: `Bearer ${second.token}` })).toBe(200);
  });

  it('finding 3: API_TOKEN_MAX_DAYS sets the maximum, and a default above it is refused at start', async () => {
    app = await makeTestApp({ env: { API_TOKEN_MAX_DAYS: '30', API_TOKEN_TTL_DAYS: '7' } });
    const admin = await userWithRole(app, 'admin', 1);
    expect((await newToken(admin, 31)).statusCode).toBe(400);
    expect((await newToken(admin, 30)).statusCode).toBe(201);
    await expect(makeTestApp({ env: { API_TOKEN_MAX_DAYS: '30', API_TOKEN_TTL_DAYS: '31' } })).rejects.toThrow(/API_TOKEN_TTL_DAYS \(31\) is above API_TOKEN_MAX_DAYS \(30\)/);
  });
});

describe('CSRF tokens belong to one session', () => {
  it("finding 7: another user's _csrf cookie and token do not pass with this user's sid", async () => {
    app = await makeTestApp();
    const alice = await userWithRole(app, 'admin', 1);
    const mallory = await userWithRole(app, 'admin', 1);
    const a = await login(alice.username, PASSWORD);
    const m = await login(mallory.username, PASSWORD);
    const sid = (res: LightMyRequestResponse) => `sid=${res.cookies.find((c) => c.name === 'sid')!.value}`;
    const csrfCookie = (res: LightMyRequestResponse) => `_csrf=${res.cookies.find((c) => c.name === '_csrf')!.value}`;
    const token = (res: LightMyRequestResponse) => (res.json() as { csrfToken: string }).csrfToken;
    const body = { username: 'created-by-csrf', password: 'a long enough passphrase', role: 'officer', province: 1 };

    // Alice's session with Mallory's own, genuine pair of _csrf cookie and token: refused, nothing created.
    const crossed = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: `${sid(a)}; ${csrfCookie(m)}`, 'x-csrf-token': token(m) }, payload: body });
    expect(crossed.statusCode).toBe(403);
    expect((await app.users.list({ id: alice.id, username: alice.username, role: 'admin', province: 1 })).map((u) => u.username)).not.toContain('created-by-csrf');
    // Alice's own pair passes; so does a token fetched again from /auth/me for her session.
    const own = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: cookieOf(a), 'x-csrf-token': token(a) }, payload: body });
    expect(own.statusCode).toBe(201);
    const fresh = (await app.inject({ url: '/api/v1/auth/me', headers: { cookie: cookieOf(a) } })).json() as { csrfToken: string };
    const again = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: cookieOf(a), 'x-csrf-token': fresh.csrfToken }, payload: { ...body, username: 'second-one' } });
    expect(again.statusCode).toBe(201);
    // A token from before sign-out does not carry over to the next session of the same browser.
    await app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie: cookieOf(a), 'x-csrf-token': token(a) } });
    const next = await login(alice.username, PASSWORD);
    const stale = await app.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie: `${sid(next)}; ${csrfCookie(a)}`, 'x-csrf-token': token(a) }, payload: { ...body, username: 'third-one' } });
    expect(stale.statusCode).toBe(403);
  });
});

describe('sign-in limits count failures, not people', () => {
  it('finding 10: eleven staff behind one address all sign in; failures are limited per address and per account', async () => {
    const clock = testClock();
    app = await makeTestApp({ clock });
    const staff: TestCaller[] = [];
    for (let i = 0; i < 11; i++) staff.push(await userWithRole(app, 'officer', 1));
    // 7:30 at the office: one NAT address, eleven successful sign-ins within the minute.
    for (const s of staff) expect((await login(s.username, PASSWORD, '203.0.113.7')).statusCode).toBe(200);

    // Ten wrong guesses from one address: the eleventh try from there is refused even with the right password.
    for (let i = 0; i < 10; i++) expect((await login(staff[i % 3]!.username, `wrong guess ${i}`, '198.51.100.1')).statusCode).toBe(401);
    const blocked = await login(staff[5]!.username, PASSWORD, '198.51.100.1');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ code: 'TOO_MANY_ATTEMPTS', messageVi: expect.stringContaining('Quá nhiều lần đăng nhập sai') });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    // The office address is not affected, and a minute later the guessing address may try again.
    expect((await login(staff[5]!.username, PASSWORD, '203.0.113.7')).statusCode).toBe(200);
    clock.advance(61_000);
    expect((await login(staff[5]!.username, PASSWORD, '198.51.100.1')).statusCode).toBe(200);

    // Guessing one account's password from many addresses: the account is limited, others are not.
    const target = staff[10]!;
    for (let i = 0; i < 10; i++) expect((await login(target.username, `wrong guess ${i}`, `192.0.2.${i + 1}`)).statusCode).toBe(401);
    expect((await login(target.username, PASSWORD, '192.0.2.200')).statusCode).toBe(429);
    expect((await login(staff[9]!.username, PASSWORD, '192.0.2.200')).statusCode).toBe(200);
    clock.advance(15 * 60_000 + 1000);
    expect((await login(target.username, PASSWORD, '192.0.2.200')).statusCode).toBe(200);
  }, 120_000); // 33 scrypt sign-ins: slow on a loaded machine
});

describe('passwords', () => {
  it('finding 11: a new user needs at least 10 characters and no common password', async () => {
    app = await makeTestApp();
    const admin = await userWithRole(app, 'admin', 1);
    const create = (username: string, password: string) =>
      app.inject({ method: 'POST', url: '/api/v1/users', headers: admin.headers, payload: { username, password, role: 'officer', province: 1 } });
    const short = await create('new-officer', '12345678');
    expect(short.statusCode).toBe(400);
    expect(short.json().message).toMatch(/password/i);
    for (const common of ['1234567890', 'Password123', 'matkhau123', 'qwertyuiop', 'aaaaaaaaaaaa', 'new-officer-2021']) {
      const res = await create('new-officer', common);
      expect(res.statusCode, common).toBe(400);
      expect(res.json(), common).toMatchObject({ field: 'password', messageVi: expect.stringContaining('Mật khẩu') });
    }
    // A reset obeys the same rules.
    const officer = await userWithRole(app, 'officer', 1);
    expect((await app.inject({ method: 'PATCH', url: `/api/v1/users/${officer.id}`, headers: admin.headers, payload: { password: 'password123' } })).statusCode).toBe(400);
    expect((await create('new-officer', 'xe tải qua chốt lúc 7 giờ')).statusCode).toBe(201);
  });
});
