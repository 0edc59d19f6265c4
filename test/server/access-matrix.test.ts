import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { ROLES, type RouteAccess } from '../../server/auth/access.js';
import { buildApp } from '../../server/app.js';
import { makeTestApp, registerStation, testConfig, userWithRole, type TestCaller, type TestStation } from './helpers.js';

type Caller = { name: string; headers: Record<string, string>; kind: 'anonymous' | 'station' | 'user'; role?: string };

/** What the central auth hook must answer before a handler runs; null = the caller gets through. */
function expectedDenial(access: RouteAccess, caller: Caller): 401 | 403 | null {
  if (access === 'public') return null;
  if (caller.kind === 'anonymous') return 401;
  if (access === 'station') return caller.kind === 'station' ? null : 403;
  if (caller.kind === 'station') return 403;
  return access.roles.includes(caller.role as never) ? null : 403;
}

/** A concrete URL for a route pattern; every id names nothing, so no request changes anything real. */
function concrete(url: string): string {
  return url
    .replace(/:stationId/g, 'no-such-station')
    .replace(/:([A-Za-z]+)/g, '999999')
    .replace(/\*/g, 'x');
}

describe('route × caller matrix (every registered route, including ones added later)', () => {
  let app: FastifyInstance;
  let callers: Caller[];

  beforeAll(async () => {
    app = await makeTestApp({ env: { LOGIN_RATE_LIMIT: '10000' } });
    const users: TestCaller[] = [];
    for (const role of ROLES) users.push(await userWithRole(app, role, 1));
    const admin = users.find((u) => u.role === 'admin')!;
    const station: TestStation = await registerStation(app, admin);
    callers = [
      { name: 'anonymous', headers: {}, kind: 'anonymous' },
      { name: 'station', headers: station.headers, kind: 'station' },
      ...users.map((u): Caller => ({ name: u.role, headers: u.headers, kind: 'user', role: u.role })),
    ];
  });
  afterAll(async () => app?.close());

  it('answers each route for each caller as its declared access says, and never 500', async () => {
    // HEAD routes too: Fastify adds one per GET route, running the same handler
    // Signing out with a bearer token revokes it (issue 11, finding 3): that route goes last.
    const isLogout = (r: { url: string }) => Number(r.url === '/api/v1/auth/logout');
    const routes = [...app.routeAccess].sort((a, b) => isLogout(a) - isLogout(b));
    expect(routes.filter((r) => r.method === 'HEAD').length).toBeGreaterThan(10);
    const wrong: string[] = [];
    for (const route of routes) {
      for (const caller of callers) {
        const res = await app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers: caller.headers,
          ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {}),
        });
        const denial = expectedDenial(route.access, caller);
        const ok = denial === null ? res.statusCode !== 401 && res.statusCode !== 403 && res.statusCode < 500 : res.statusCode === denial;
        if (!ok) wrong.push(`${route.method} ${route.url} as ${caller.name}: ${res.statusCode} (expected ${denial ?? 'allowed'}) ${res.body.slice(0, 120)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('declares access on every route: a route without it fails at startup', async () => {
    const bare = await buildApp(testConfig(), { logger: false });
    try {
      expect(() => bare.get('/api/v1/undeclared', async () => 'x')).toThrow(/declares no config.access/);
    } finally {
      await bare.close();
    }
  });

  it('anonymous GET /api/v1/crossings is 401', async () => {
    expect((await app.inject({ url: '/api/v1/crossings' })).statusCode).toBe(401);
  });
});
