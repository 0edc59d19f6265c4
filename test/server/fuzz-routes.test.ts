import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { ROLES, type RouteAccess } from '../../server/auth/access.js';
import { makeTestApp, registerStation, userWithRole, type TestCaller, type TestStation } from './helpers.js';

/** Random bodies and query strings on every route, as a caller the route admits: a 4xx with a message, never a 5xx. */
describe('HTTP fuzz over every registered route', () => {
  let app: FastifyInstance;
  const users = new Map<string, TestCaller>();
  let station: TestStation;

  beforeAll(async () => {
    app = await makeTestApp({ env: { LOGIN_RATE_LIMIT: '10000' } });
    for (const role of ROLES) users.set(role, await userWithRole(app, role, 1));
    station = await registerStation(app, users.get('admin')!);
  });
  afterAll(async () => app?.close());

  const headersFor = (access: RouteAccess): Record<string, string> =>
    access === 'public' ? {} : access === 'station' ? station.headers : users.get(access.roles[0]!)!.headers;

  const hostile = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 40 }),
    fc.constantFrom("' OR 1=1 --", '<script>alert(1)</script>', '\u202e\u0000', 'x'.repeat(5000), '../../etc/passwd', '-1', '1e309', 'null'),
  );
  const query = fc.dictionary(fc.oneof(fc.constantFrom('limit', 'offset', 'plate', 'citizenId', 'from', 'to', 'since', 'page', 'q', 'status'), fc.string({ maxLength: 8 })), hostile, { maxKeys: 4 });
  const body = fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.string({ maxLength: 12 }), fc.oneof(hostile, fc.integer(), fc.jsonValue({ maxDepth: 2 })), { maxKeys: 6 }));

  it('never answers 5xx, and every 4xx carries a message', async () => {
    const routes = app.routeAccess.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'));
    const failures: string[] = [];
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(query, body, fc.constantFrom('999999', '1', 'x y', '%00', "';--"), async (q, b, param) => {
          const url = route.url.replace(/:[A-Za-z]+/g, encodeURIComponent(param)).replace(/\*/g, 'x');
          const res = await app.inject({
            method: route.method as 'GET',
            url,
            query: q,
            headers: headersFor(route.access),
            ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: JSON.stringify(b), headers: { ...headersFor(route.access), 'content-type': 'application/json' } } : {}),
          });
          if (res.statusCode >= 500) failures.push(`${route.method} ${url} ${JSON.stringify(q).slice(0, 100)} ${JSON.stringify(b).slice(0, 100)} → ${res.statusCode} ${res.body.slice(0, 200)}`);
          if (res.statusCode >= 400 && res.statusCode < 500) {
            const m = (res.json() as { message?: unknown }).message;
            if (typeof m !== 'string' || m.length === 0) failures.push(`${route.method} ${url} → ${res.statusCode} without a message`);
          }
          return true;
        }),
        { numRuns: 12, seed: 20210901 },
      );
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});
