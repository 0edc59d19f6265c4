import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadServerConfig } from '../../server/config.js';
import { freshServerDatabaseUrl } from '../postgres/server-suite/server-database.js';
import { testClock } from './helpers.js';

/**
 * Issue 13 item 5: N instances of the server behind a load balancer behave as one. Two apps on one
 * database file (two connections, as two processes would have; on PostgreSQL two pools on one
 * database), each with its own data folder as on
 * its own machine: a session made on A works on B, a
 * CSRF token A gave passes on B, and failed sign-ins on A and on B add up to one limit.
 */
const PASSWORD = 'correct horse battery';
const clock = testClock();
let dir = '';
let a: FastifyInstance;
let b: FastifyInstance;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'two-instances-'));
  // Each instance has its own data folder (its own machine); the database and the signing keys (given
  // to every instance, as they must be) are shared.
  // On PostgreSQL (npm run test:postgres) both apps get the same DATABASE_URL: two pools on one database.
  const databaseUrl = await freshServerDatabaseUrl();
  const config = (name: string) => loadServerConfig({
    DATA_DIR: join(dir, name), DB_FILE: join(dir, 'db', 'server.sqlite'), KEYS_DIR: join(dir, 'keys'), LOG_LEVEL: 'silent', LOGIN_RATE_LIMIT: '3', LOGIN_ACCOUNT_FAILURES: '4',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '4' } : {}),
  }, undefined);
  a = await buildApp(config('a'), { logger: false, clock });
  await a.ready();
  b = await buildApp(config('b'), { logger: false, clock });
  await b.ready();
  await a.users.create(null, { username: 'admin-a', password: PASSWORD, role: 'admin', province: 1 });
  await b.users.create(null, { username: 'staff-b', password: PASSWORD, role: 'command', province: 1 });
}, 60_000);
afterAll(async () => {
  await a?.close();
  await b?.close();
  rmSync(dir, { recursive: true, force: true });
});

const cookieOf = (res: LightMyRequestResponse) => res.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
const login = (app: FastifyInstance, username: string, password: string, ip: string) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });

describe('two server instances on one database behave as one', () => {
  it('a session made on instance A works on B, and signing out on B ends it on A', async () => {
    const signedIn = await login(a, 'admin-a', PASSWORD, '10.0.0.1');
    expect(signedIn.statusCode).toBe(200);
    const cookie = cookieOf(signedIn);
    const onB = await b.inject({ url: '/api/v1/auth/me', headers: { cookie } });
    expect(onB.statusCode).toBe(200);
    expect(onB.json().user).toMatchObject({ username: 'admin-a', role: 'admin' });

    const csrfToken = (signedIn.json() as { csrfToken: string }).csrfToken;
    expect((await b.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: { cookie, 'x-csrf-token': csrfToken } })).statusCode).toBe(204);
    expect((await a.inject({ url: '/api/v1/auth/me', headers: { cookie } })).statusCode).toBe(401);
  });

  it("a CSRF token issued by A is accepted by B (and B still refuses a forged one)", async () => {
    const signedIn = await login(a, 'admin-a', PASSWORD, '10.0.0.2');
    const cookie = cookieOf(signedIn);
    const csrfToken = (signedIn.json() as { csrfToken: string }).csrfToken;
    const body = (username: string) => ({ username, password: PASSWORD, role: 'officer', province: 1 });
    const forged = await b.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie, 'x-csrf-token': `${csrfToken.slice(0, -2)}xx` }, payload: body('forged-csrf') });
    expect(forged.statusCode).toBe(403);
    const created = await b.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie, 'x-csrf-token': csrfToken }, payload: body('made-on-b') });
    expect(created.statusCode).toBe(201);
    // and the other way: a token B gives (from /auth/me) passes on A
    const fresh = (await b.inject({ url: '/api/v1/auth/me', headers: { cookie } })).json() as { csrfToken: string };
    expect((await a.inject({ method: 'POST', url: '/api/v1/users', headers: { cookie, 'x-csrf-token': fresh.csrfToken }, payload: body('made-on-a') })).statusCode).toBe(201);
  });

  it('failed sign-ins from one address on A and on B add up to one limit', async () => {
    const ip = '198.51.100.9';
    expect((await login(a, 'staff-b', 'wrong guess 1', ip)).statusCode).toBe(401);
    expect((await login(b, 'staff-b', 'wrong guess 2', ip)).statusCode).toBe(401);
    expect((await login(a, 'staff-b', 'wrong guess 3', ip)).statusCode).toBe(401);
    // three failures in all (the limit), though each instance saw fewer: both refuse, the right password too
    const refusedB = await login(b, 'staff-b', PASSWORD, ip);
    expect(refusedB.statusCode).toBe(429);
    expect(Number(refusedB.headers['retry-after'])).toBeGreaterThan(0);
    expect((await login(a, 'staff-b', PASSWORD, ip)).statusCode).toBe(429);
    // another address is not affected; after the window the address may sign in again on either
    expect((await login(b, 'staff-b', PASSWORD, '198.51.100.10')).statusCode).toBe(200);
    clock.advance(61_000);
    expect((await login(b, 'staff-b', PASSWORD, ip)).statusCode).toBe(200);
  }, 60_000);

  it('failed sign-ins at one account from many addresses on A and on B add up to the account limit', async () => {
    clock.advance(15 * 60_000 + 1000);
    for (let i = 0; i < 4; i++) {
      const app = i % 2 === 0 ? a : b;
      expect((await login(app, 'admin-a', `wrong guess ${i}`, `192.0.2.${i + 1}`)).statusCode).toBe(401);
    }
    expect((await login(a, 'admin-a', PASSWORD, '192.0.2.100')).statusCode).toBe(429);
    expect((await login(b, 'admin-a', PASSWORD, '192.0.2.101')).statusCode).toBe(429);
    clock.advance(15 * 60_000 + 1000);
    expect((await login(b, 'admin-a', PASSWORD, '192.0.2.102')).statusCode).toBe(200);
  }, 60_000);
});
