import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ROLES, type Role, type RouteAccess } from '../../server/auth/access.js';
import { JournalRecordSchema } from '../../shared/contracts/journal.js';
import { HeartbeatSchema } from '../../shared/contracts/heartbeat.js';
import { makeTestApp, registerStation, userWithRole, type TestCaller, type TestStation } from '../server/helpers.js';
import { HOSTILE_TEXT, schemaArbitrary, type JsonSchema } from './schema-arbitrary.js';

/**
 * Every route the server registers, called as each caller its access admits, with bodies and query
 * strings generated from the route's own published schema (mostly valid, so the services are
 * reached, with hostile leaves), plus protocol-level garbage: malformed JSON, wrong content types,
 * oversized and deeply nested bodies, prototype keys. Never a 5xx; every 4xx is JSON with a message.
 */
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
interface Operation {
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  parameters?: { in: string; name: string; required?: boolean; schema: JsonSchema }[];
}
interface Route { method: Method; url: string; access: RouteAccess; op: Operation | undefined }

const BODY_LIMIT = 64 * 1024;
const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

let app: FastifyInstance;
const users = new Map<Role, TestCaller>();
let station: TestStation;
const sessions = new Map<Role, Record<string, string>>();
let routes: Route[];
/** ids that exist, and ids a request may damage without locking the fuzz's own callers out */
const ids = { passId: '0', citizenId: '079000000001', userId: '0', tokenId: '0', stationId: 'no-such-station' };
const problems: string[] = [];

function callersFor(access: RouteAccess, url = ''): { name: string; headers: Record<string, string> }[] {
  if (access === 'public') return [{ name: 'anonymous', headers: {} }];
  if (access === 'station') return [{ name: 'station', headers: station.headers }];
  // each role twice: a script's bearer token, and a browser's session cookie with its CSRF token.
  // Not logout: with the cookie it ends the session the other routes use, with a bearer token it
  // revokes that token (test/security-server/sessions.test.ts covers it).
  if (url === '/api/v1/auth/logout') return [];
  return access.roles.flatMap((r) => [
    { name: r, headers: users.get(r)!.headers },
    { name: `${r} (cookie)`, headers: sessions.get(r)! },
  ]);
}

function check(what: string, res: LightMyRequestResponse, allow2xx = true): void {
  const tag = `${what} → ${res.statusCode}`;
  if (res.statusCode >= 500) problems.push(`${tag} ${res.body.slice(0, 200)}`);
  else if (res.statusCode >= 400) {
    let body: { message?: unknown; messageVi?: unknown } = {};
    try {
      body = res.json();
    } catch {
      problems.push(`${tag}: 4xx body is not JSON: ${res.body.slice(0, 100)}`);
      return;
    }
    if (typeof body.message !== 'string' || body.message.length === 0) problems.push(`${tag}: 4xx without a message`);
    // the feed's 410 is the wire contract's SNAPSHOT_REQUIRED, for a station's sync client, not for people
    const forStation = res.statusCode === 410 && (body as { code?: unknown }).code === 'SNAPSHOT_REQUIRED';
    if (!forStation && (typeof body.messageVi !== 'string' || body.messageVi.length === 0)) problems.push(`${tag}: 4xx without a Vietnamese message`);
  } else if (!allow2xx) problems.push(`${tag}: garbage accepted`);
}

/**
 * The feed's doorbell holds a request for up to `waitMs` (a minute at most) when nothing changed: a
 * well-formed or absent wait (25 s by default) is made 5 ms so the fuzz does not sit out minutes; junk
 * stays as generated.
 */
function shortWait<Q>(url: string, query: Q): Q {
  const q = query as Record<string, unknown> | undefined;
  const wellFormed = q?.waitMs === undefined || /^\d+$/.test(String(q.waitMs));
  return url === '/api/v1/feed/wait' && wellFormed ? ({ ...q, waitMs: '5' } as Q) : query;
}

const paramArb = (url: string, name: string): fc.Arbitrary<string> => {
  const junk = fc.constantFrom('999999', '0', '-1', 'x y', '%00', "';--", '1e3', 'ậ', 'a'.repeat(300));
  // real ids only where a request cannot disable or sign out the fuzz's own callers
  const id = url.startsWith('/api/v1/users/') ? ids.userId : url.startsWith('/api/v1/auth/tokens/') ? ids.tokenId : url.startsWith('/api/v1/passes/') ? ids.passId : '1';
  const real: Record<string, string[]> = {
    id: [id],
    stationId: [ids.stationId],
    citizenId: [ids.citizenId],
    zone: ['79', '79-760'],
    kind: ['declarations', 'tests', 'flags'],
  };
  return fc.oneof(junk, fc.constantFrom(...(real[name] ?? ['1'])));
};

function bodySchema(route: Route): JsonSchema | null {
  // records and heartbeats are declared loosely at the route (validated one by one inside): use the contracts
  if (route.url === '/api/v1/ingest/batches') {
    return { type: 'object', required: ['stationId', 'records'], properties: { stationId: { const: station.stationId }, records: { type: 'array', minItems: 1, maxItems: 3, items: JournalRecordSchema as JsonSchema } } };
  }
  if (route.url === '/api/v1/stations/heartbeat') return { ...(HeartbeatSchema as JsonSchema), properties: { ...(HeartbeatSchema as JsonSchema).properties, stationId: { const: station.stationId } } };
  return route.op?.requestBody?.content['application/json']?.schema ?? null;
}

function queryArb(route: Route): fc.Arbitrary<Record<string, string>> {
  const q = (route.op?.parameters ?? []).filter((p) => p.in === 'query');
  const model: Record<string, fc.Arbitrary<unknown>> = {};
  for (const p of q) model[p.name] = schemaArbitrary(p.schema);
  const known = fc.record(model, { requiredKeys: [] });
  const extra = fc.dictionary(fc.constantFrom('limit', 'cursor', 'from', 'to', '__proto__', 'constructor', 'x'), fc.constantFrom(...HOSTILE_TEXT), { maxKeys: 2 });
  return fc.tuple(known, extra).map(([a, b]) => {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries({ ...b, ...a })) out[k] = typeof v === 'string' ? v : JSON.stringify(v);
    return out;
  });
}

const concrete = (url: string, params: Record<string, string>) =>
  url.replace(/:([A-Za-z]+)/g, (_m, n: string) => encodeURIComponent(params[n] ?? '1')).replace(/\*/g, 'x');

beforeAll(async () => {
  app = await makeTestApp({ env: { LOGIN_RATE_LIMIT: '10000', BODY_LIMIT_BYTES: String(BODY_LIMIT) } });
  const made = await Promise.all(ROLES.map((r) => userWithRole(app, r, 1)));
  for (const u of made) users.set(u.role, u);
  await Promise.all(made.map(async (u) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: u.username, password: 'correct horse battery' }, remoteAddress: `10.0.0.${made.indexOf(u) + 1}` });
    expect(res.statusCode, res.body).toBe(200);
    sessions.set(u.role, { cookie: res.cookies.map((c) => `${c.name}=${c.value}`).join('; '), 'x-csrf-token': (res.json() as { csrfToken: string }).csrfToken });
  }));
  const admin = users.get('admin')!;
  station = await registerStation(app, admin);
  ids.stationId = (await registerStation(app, admin)).stationId; // rotating its secret or disabling it harms no caller
  ids.userId = String((await userWithRole(app, 'officer', 1)).id);
  ids.tokenId = String((await app.users.createApiToken({ ...admin }, "spare")).id);
  const pass = await app.inject({
    method: 'POST', url: '/api/v1/passes', headers: users.get('transport')!.headers,
    payload: {
      plate: '51C-123.45', company: 'Công ty A', goods: 0, crew: [{ citizenId: ids.citizenId, name: 'Nguyễn Văn A' }],
      originZone: '79-760', destinationZone: '01', routeCheckpoints: [1], routeProvinces: [1], validTo: Date.now() + 86_400_000,
    },
  });
  expect(pass.statusCode, pass.body).toBe(201);
  ids.passId = String((pass.json() as { passId: number }).passId);
  const spec = app.swagger() as { paths: Record<string, Record<string, Operation>> };
  routes = app.routeAccess
    .filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'))
    .map((r) => ({ ...r, method: r.method as Method, op: spec.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()] }));
});
afterAll(async () => app?.close());

describe('HTTP fuzz: schema-shaped bodies and queries on every route, as every admitted caller', () => {
  it('never answers 5xx; every 4xx is JSON with a message in English and Vietnamese', async () => {
    expect(routes.length).toBeGreaterThan(50);
    problems.length = 0;
    let reachedHandlers = 0;
    for (const route of routes) {
      const schema = WITH_BODY.has(route.method) ? bodySchema(route) : null;
      const params = [...route.url.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
      const paramsArb = fc.record(Object.fromEntries(params.map((p) => [p, paramArb(route.url, p)])) as Record<string, fc.Arbitrary<string>>);
      const bodyArb = schema ? schemaArbitrary(schema) : fc.constant(undefined);
      const callers = callersFor(route.access, route.url);
      if (callers.length === 0) continue; // logout: see callersFor
      const callerArb = fc.constantFrom(...callers);
      await fc.assert(
        fc.asyncProperty(callerArb, paramsArb, queryArb(route), bodyArb, async (caller, p, generated, body) => {
          const url = concrete(route.url, p);
          const query = shortWait(route.url, generated);
          const res = await app.inject({
            method: route.method, url, query, headers: caller.headers,
            ...(WITH_BODY.has(route.method) ? { payload: JSON.stringify(body ?? {}), headers: { ...caller.headers, 'content-type': 'application/json' } } : {}),
          });
          if (res.statusCode < 400 || (res.statusCode !== 400 && res.statusCode !== 404)) reachedHandlers++;
          check(`${route.method} ${url} as ${caller.name} q=${JSON.stringify(query).slice(0, 80)} body=${JSON.stringify(body)?.slice(0, 160)}`, res);
        }),
        { numRuns: schema ? 24 : 6, seed: 20_211_001 },
      );
    }
    expect(problems.slice(0, 10)).toEqual([]);
    // the bodies are shaped well enough to get past validation on a good share of calls
    expect(reachedHandlers).toBeGreaterThan(200);
    // and no caller was signed out or disabled along the way, so every route was fuzzed as intended
    for (const role of ROLES) {
      for (const headers of [users.get(role)!.headers, sessions.get(role)!]) expect((await app.inject({ url: '/api/v1/auth/me', headers })).statusCode, role).toBe(200);
    }
  });
});

describe('HTTP fuzz: protocol-level garbage on every route that takes a body', () => {
  const garbage: { name: string; contentType?: string; payload: string | Buffer }[] = [
    { name: 'truncated JSON', contentType: 'application/json', payload: '{"stationId": "a", "records": [' },
    { name: 'trailing comma', contentType: 'application/json', payload: '{"a": 1,}' },
    { name: 'single quotes', contentType: 'application/json', payload: "{'a': 1}" },
    { name: 'bare word', contentType: 'application/json', payload: 'undefined' },
    { name: 'NaN', contentType: 'application/json', payload: '{"goods": NaN}' },
    { name: 'empty body with a JSON type', contentType: 'application/json', payload: '' },
    { name: 'JSON null', contentType: 'application/json', payload: 'null' },
    { name: 'JSON string', contentType: 'application/json', payload: '"x"' },
    { name: 'JSON array', contentType: 'application/json', payload: '[1,2,3]' },
    { name: 'BOM before JSON', contentType: 'application/json', payload: '\ufeff{}' },
    { name: 'invalid UTF-8', contentType: 'application/json', payload: Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]) },
    { name: '__proto__ key', contentType: 'application/json', payload: '{"__proto__": {"role": "admin"}, "a": 1}' },
    { name: 'constructor.prototype key', contentType: 'application/json', payload: '{"constructor": {"prototype": {"role": "admin"}}}' },
    { name: 'nesting 100k deep', contentType: 'application/json', payload: '['.repeat(100_000) + ']'.repeat(100_000) },
    { name: 'huge number', contentType: 'application/json', payload: `{"goods": 1${'0'.repeat(400)}}` },
    { name: 'text/plain', contentType: 'text/plain', payload: 'hello' },
    { name: 'application/xml', contentType: 'application/xml', payload: '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>' },
    { name: 'form', contentType: 'application/x-www-form-urlencoded', payload: 'a=1&b=2' },
    { name: 'multipart', contentType: 'multipart/form-data; boundary=xx', payload: '--xx\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n--xx--' },
    { name: 'no content type', payload: '{}' },
    { name: 'JSON with a charset parameter trick', contentType: 'application/json; charset=utf-7', payload: '{}' },
    { name: 'CSV into a JSON route (and garbage CSV elsewhere)', contentType: 'text/csv', payload: '"unterminated,\u0000\r\n,,,' },
    { name: 'oversized body', contentType: 'application/json', payload: JSON.stringify({ a: 'x'.repeat(BODY_LIMIT + 10) }) },
    { name: 'oversized CSV', contentType: 'text/csv', payload: 'plate\n' + 'x,'.repeat(BODY_LIMIT) },
  ];

  it('answers each with a 4xx (or a legitimate 2xx), never a 5xx, and the app stays healthy', async () => {
    problems.length = 0;
    const bodyRoutes = routes.filter((r) => WITH_BODY.has(r.method));
    expect(bodyRoutes.length).toBeGreaterThan(15);
    const statuses = new Map<string, Set<number>>();
    for (const route of bodyRoutes) {
      for (const caller of callersFor(route.access, route.url)) {
        for (const g of garbage) {
          const url = concrete(route.url, { id: ids.passId, stationId: ids.stationId, kind: 'tests', zone: '79', citizenId: ids.citizenId });
          const res = await app.inject({
            method: route.method, url, payload: g.payload,
            headers: { ...caller.headers, ...(g.contentType ? { 'content-type': g.contentType } : {}) },
          });
          check(`${g.name}: ${route.method} ${url} as ${caller.name}`, res);
          statuses.set(g.name, (statuses.get(g.name) ?? new Set()).add(res.statusCode));
        }
      }
    }
    expect(problems.slice(0, 10)).toEqual([]);
    // the framework's own answers where they belong
    expect([...statuses.get('oversized body')!]).toEqual([413]);
    // CSV is too large where CSV is taken, and the wrong type everywhere else
    expect([...statuses.get('oversized CSV')!].sort()).toEqual([413, 415]);
    expect([...statuses.get('truncated JSON')!]).toEqual([400]);
    expect([...statuses.get('application/xml')!]).toEqual([415]);
    expect(statuses.get('__proto__ key')!.has(400)).toBe(true);
    // nothing was polluted, and the server still serves
    expect(({} as Record<string, unknown>).role).toBeUndefined();
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    const me = await app.inject({ url: '/api/v1/auth/me', headers: users.get('command')!.headers });
    expect(me.json()).toMatchObject({ user: { role: 'command' } });
  });

  it('a body over the limit on a station route is refused before the credential is even needed to be valid', async () => {
    // the auth hook runs at onRequest, before the body is read: an anonymous 10 MB post is a cheap 401
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: { 'content-type': 'application/json' }, payload: 'x'.repeat(10 * 1024 * 1024) });
    expect(res.statusCode).toBe(401);
    const forged = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: { 'content-type': 'application/json', authorization: `Station ${station.stationId}:wrong` }, payload: 'x'.repeat(1024) });
    expect(forged.statusCode).toBe(401);
  });
});
