import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../shared/codes/keys.js';
import { ROLE_SCOPE_LEVELS, type ScopeLevel } from '../../server/auth/scope.js';
import { ROLES, type Role } from '../../server/auth/access.js';
import { makeTestApp } from '../server/helpers.js';

/**
 * The route × role × area matrix of a national deployment. Every route the server registers (HEAD
 * answers like its GET) is called by every role as a user of province 79 (own: the data below is 79's),
 * of province 80 (other), of the nation, and of district 79-760, and the answer is checked against ONE
 * declared table (EXPECT). A route missing from the table fails the test: declare it.
 *
 * Outcomes: 'allow' = through, and where the route lists area data, 79's item is in the answer;
 * 'empty' = through, but 79's item is not shown; 'deny' = 403 (or 404 where the route names one of
 * 79's records: other provinces' records answer as missing). Writes are sent with an empty body, so for
 * them 'allow' means the central hook let the caller through (the body is then refused as invalid);
 * what a write does to another province's record is in the services' own tests.
 */
type Area = 'own' | 'other' | 'national' | 'district';
type Outcome = 'allow' | 'empty' | 'deny';
interface Caller { role: Role; area: Area; headers: Record<string, string> }
type Rule = (c: Caller) => Outcome;

const STATION = 'chot-79-760';
const ZONE = '79-760';

/** Role gate only: the route is the same for every area. */
const roles = (...r: Role[]): Rule => (c) => (r.includes(c.role) ? 'allow' : 'deny');
/** A province-wide register (minScope 'province'): district users have no duty there. */
const provinceWide = (...r: Role[]): Rule => (c) => (r.includes(c.role) && c.area !== 'district' ? 'allow' : 'deny');
/** The same, and the record read is 79's: another province's user gets 404. */
const provinceRecord = (...r: Role[]): Rule => (c) => (!r.includes(c.role) || c.area === 'district' || c.area === 'other' ? 'deny' : 'allow');
/** Area data in a list: 79's district-760 checkpoint is seen by 79, the nation and the district; not by 80. */
const areaList = (...r: Role[]): Rule => (c) => (!r.includes(c.role) ? 'deny' : c.area === 'other' ? 'empty' : 'allow');
/** One of 79's district-760 records by id: hidden (404) from 80. */
const areaRecord = (...r: Role[]): Rule => (c) => (!r.includes(c.role) || c.area === 'other' ? 'deny' : 'allow');
/** Acts on the whole deployment (minScope 'server' = national here). */
const nationalOnly = (...r: Role[]): Rule => (c) => (r.includes(c.role) && c.area === 'national' ? 'allow' : 'deny');
const everyone: Rule = () => 'allow';
const ALL = [...ROLES];

/** The declared expectation of every route, with the concrete URL it is called at and the marker of 79's item. */
const EXPECT: Record<string, { rule: Rule | 'public' | 'station'; url?: string; marker?: string }> = {
  'GET /metrics': { rule: 'public' },
  'GET /healthz': { rule: 'public' },
  'GET /': { rule: 'public' },
  'GET /app/*': { rule: 'public', url: '/app/index.html' },
  'GET /app/': { rule: 'public' },
  'GET /app': { rule: 'public' },
  'GET /app/meta.json': { rule: 'public' },
  'GET /app/glossary.js': { rule: 'public' },
  'POST /api/v1/auth/login': { rule: 'public' },
  'POST /api/v1/auth/logout': { rule: everyone },
  'GET /api/v1/auth/me': { rule: everyone },
  'POST /api/v1/auth/tokens': { rule: everyone },
  'GET /api/v1/auth/tokens': { rule: everyone },
  'DELETE /api/v1/auth/tokens/:id': { rule: everyone },
  // people who sign in: an admin sees those inside its area (79's district commander is inside 79 and the district)
  'POST /api/v1/users': { rule: roles('admin') },
  'GET /api/v1/users': { rule: areaList('admin'), marker: 'chi-huy-760' },
  'PATCH /api/v1/users/:id': { rule: areaRecord('admin'), url: 'USER' },
  // stations (checkpoints) and their alerts
  'POST /api/v1/stations': { rule: roles('admin') },
  'POST /api/v1/stations/:stationId/secret': { rule: roles('admin'), url: '/api/v1/stations/no-such-station/secret' },
  'PATCH /api/v1/stations/:stationId': { rule: roles('admin'), url: '/api/v1/stations/no-such-station' },
  'GET /api/v1/stations': { rule: areaList('admin', 'command'), marker: STATION },
  'GET /api/v1/stations/:stationId': { rule: areaRecord('admin', 'command'), url: `/api/v1/stations/${STATION}` },
  'POST /api/v1/stations/heartbeat': { rule: 'station' },
  'GET /api/v1/officers': { rule: (c) => (c.role === 'admin' && (c.area === 'own' || c.area === 'other') ? 'allow' : 'deny') },
  'POST /api/v1/officers': { rule: roles('admin') },
  'PATCH /api/v1/officers/:officerId': { rule: roles('admin') },
  'GET /api/v1/station/officers': { rule: 'station' },
  'GET /api/v1/alerts': { rule: areaList('admin', 'command'), marker: 'scope-matrix alert' },
  'POST /api/v1/alerts/:id/acknowledge': { rule: areaRecord('admin', 'command'), url: 'ALERT' },
  'POST /api/v1/ingest/batches': { rule: 'station' },
  // the journal: every reader's own area
  'GET /api/v1/crossings': { rule: roles('command') },
  'GET /api/v1/crossings/live': { rule: roles('command') },
  'GET /api/v1/crossings/export.csv': { rule: roles('command') },
  'GET /api/v1/trace': { rule: roles('command'), url: '/api/v1/trace?plate=51C-123.45' },
  'GET /api/v1/crossings/overdue': { rule: roles('command') },
  'GET /api/v1/stats/crossings': { rule: roles('command', 'admin') },
  'GET /api/v1/access-log': { rule: roles('admin') },
  'POST /api/v1/admin/retention/run': { rule: nationalOnly('admin') },
  'GET /api/v1/trace/contacts': { rule: roles('command'), url: '/api/v1/trace/contacts?plate=51C-123.45' },
  'GET /api/v1/trace/contacts.csv': { rule: roles('command'), url: '/api/v1/trace/contacts.csv?plate=51C-123.45' },
  'POST /api/v1/trace/flag-f1': { rule: provinceWide('command', 'health') },
  'GET /api/v1/trips': { rule: roles('command'), url: '/api/v1/trips?plate=51C-123.45' },
  'GET /api/v1/notifications': { rule: roles('command', 'admin') },
  'GET /api/v1/reports/daily': { rule: provinceWide('command', 'admin') },
  'GET /api/v1/reports/daily.csv': { rule: provinceWide('command', 'admin') },
  // trust and policy
  'GET /api/v1/trust/root': { rule: 'public' },
  'GET /api/v1/trust/list': { rule: 'public' },
  'POST /api/v1/trust/authorities': { rule: nationalOnly('admin') },
  'POST /api/v1/trust/baseline': { rule: nationalOnly('admin') },
  'POST /api/v1/keys': { rule: provinceWide('admin') },
  'GET /api/v1/policy': { rule: roles(...ALL) },
  'GET /api/v1/policy/history': { rule: provinceWide('admin') },
  'POST /api/v1/policy': { rule: provinceWide('admin') },
  // zones: everyone reads the levels (an origin may be anywhere); setters are checked on the zone
  'GET /api/v1/zones': { rule: roles(...ALL), marker: ZONE },
  'PUT /api/v1/zones/:zone': { rule: roles('admin', 'health'), url: `/api/v1/zones/${ZONE}` },
  // a zone of 79's district 761: 79 and the nation act on it; 80 and district 760 are refused
  'DELETE /api/v1/zones/:zone': { rule: (c) => (['admin', 'health'].includes(c.role) && (c.area === 'own' || c.area === 'national') ? 'allow' : 'deny'), url: '/api/v1/zones/79-761' },
  // passes: the province's register
  'POST /api/v1/passes': { rule: provinceWide('admin', 'transport') },
  'POST /api/v1/passes/import': { rule: provinceWide('admin', 'transport') },
  'GET /api/v1/passes': { rule: provinceWide('admin', 'transport', 'command') },
  'GET /api/v1/passes/:id': { rule: provinceWide('admin', 'transport', 'command') },
  'GET /api/v1/passes/:id/history': { rule: provinceWide('admin', 'transport', 'command') },
  'POST /api/v1/passes/:id/amend': { rule: provinceWide('admin', 'transport') },
  'POST /api/v1/passes/:id/extend': { rule: provinceWide('admin', 'transport') },
  'POST /api/v1/passes/:id/suspend': { rule: provinceWide('admin', 'transport') },
  'POST /api/v1/passes/:id/revoke': { rule: provinceWide('admin', 'transport') },
  'POST /api/v1/passes/:id/reinstate': { rule: provinceWide('admin', 'transport') },
  'GET /api/v1/passes/sheets': { rule: provinceWide('admin', 'transport') },
  'GET /api/v1/passes/:id/code.png': { rule: provinceWide('admin', 'transport') },
  'GET /api/v1/passes/:id/code.svg': { rule: provinceWide('admin', 'transport') },
  'GET /api/v1/passes/:id/sheet': { rule: provinceWide('admin', 'transport') },
  'GET /api/v1/passes/import/template.csv': { rule: provinceWide('transport') },
  // people: personal data, at province level and above
  'POST /api/v1/health/import/:kind': { rule: provinceWide('admin', 'health'), url: '/api/v1/health/import/flags' },
  'GET /api/v1/people': { rule: provinceWide('admin', 'health') },
  'GET /api/v1/people/:citizenId': { rule: provinceWide('admin', 'health', 'command'), url: '/api/v1/people/079555000001' },
  'DELETE /api/v1/people/:citizenId': { rule: provinceWide('admin', 'health'), url: '/api/v1/people/079999999999' },
  'PATCH /api/v1/people/:citizenId': { rule: provinceWide('admin', 'health'), url: '/api/v1/people/079999999999' },
  'GET /api/v1/people/:citizenId/history': { rule: provinceWide('admin', 'health'), url: '/api/v1/people/079555000001/history' },
  'GET /api/v1/people/:citizenId/health-code/sheet': { rule: provinceWide('admin', 'health'), url: '/api/v1/people/079999999999/health-code/sheet' },
  'GET /api/v1/people/:citizenId/health-code': { rule: provinceWide('admin', 'health'), url: '/api/v1/people/079999999999/health-code' },
  'GET /api/v1/people/:citizenId/health-code.png': { rule: provinceWide('admin', 'health'), url: '/api/v1/people/079999999999/health-code.png' },
  'GET /api/v1/people/:citizenId/health-code.svg': { rule: provinceWide('admin', 'health'), url: '/api/v1/people/079999999999/health-code.svg' },
  'GET /api/v1/health/import/:kind/template.csv': { rule: provinceWide('health'), url: '/api/v1/health/import/flags/template.csv' },
  'GET /api/v1/feed/snapshot': { rule: 'station' },
  'GET /api/v1/feed/changes': { rule: 'station' },
  'GET /api/v1/feed/wait': { rule: 'station' },
  'GET /api/v1/arrivals': { rule: roles('health', 'command') },
  'GET /api/v1/arrivals/summary': { rule: roles('health', 'command') },
  'POST /api/v1/arrivals/:id/outcome': { rule: roles('health', 'command') },
  'POST /api/v1/arrivals/declarations': { rule: provinceWide('health') },
  'POST /api/v1/arrivals/declarations/import': { rule: provinceWide('health') },
  'GET /api/v1/arrivals/declarations/template.csv': { rule: provinceWide('health') },
};

const LEVEL: Record<Area, ScopeLevel> = { own: 'province', other: 'province', national: 'national', district: 'district' };

let app: FastifyInstance;
const callers: Caller[] = [];
const ids = { USER: 0, ALERT: 0 };
let n = 0;

async function makeUser(role: Role, area: Area, username = `${role}-${area}-${++n}`): Promise<Caller & { id: number }> {
  const province = area === 'other' ? 80 : 79;
  const u = await app.users.create(null, {
    username, password: 'correct horse battery', role, province, scopeLevel: LEVEL[area], ...(area === 'district' ? { district: '760' } : {}),
  });
  const { token } = await app.users.createApiToken({ id: u.id, username, role, province }, 'matrix');
  return { id: u.id, role, area, headers: { authorization: `Bearer ${token}` } };
}

beforeAll(async () => {
  app = await makeTestApp({ env: { DEPLOYMENT: 'national', NATIONAL_ROOT_PUBLIC_KEY: generateSigningKey().publicKeyB64, LOGIN_RATE_LIMIT: '10000' } });
  for (const role of ROLES) {
    for (const area of ['own', 'other', 'national', 'district'] as const) {
      if (ROLE_SCOPE_LEVELS[role].includes(LEVEL[area])) callers.push(await makeUser(role, area));
    }
  }
  // 79's data: a checkpoint in district 760 with an alert, a district commander, a zone of the district, a person
  const nationalAdmin = callers.find((c) => c.role === 'admin' && c.area === 'national')!;
  const reg = await app.inject({ method: 'POST', url: '/api/v1/stations', headers: nationalAdmin.headers, payload: {
    stationId: STATION, checkpointId: 7960, name: 'Chốt Quận 1', province: 79, district: '760', lanes: [{ id: 'L1', direction: 'entry' }],
  } });
  expect(reg.statusCode, reg.body).toBe(201);
  ids.ALERT = (await app.database.client.get<{ id: number }>("INSERT INTO station_alerts (station_id, kind, message, created_at) VALUES (?, 'CHAIN_BREAK', 'scope-matrix alert', 0) RETURNING id", [STATION]))!.id;
  ids.USER = (await makeUser('command', 'district', 'chi-huy-760')).id;
  expect((await app.inject({ method: 'PUT', url: `/api/v1/zones/${ZONE}`, headers: nationalAdmin.headers, payload: { level: 3 } })).statusCode).toBe(200);
  await app.healthData.apply({ username: 'yte' }, [{ kind: 'flag', citizenId: '079555000001', name: 'Phạm Văn Một', phone: null, status: 'F0', statusAsOf: 0 }]);
});
afterAll(async () => app?.close());

function concrete(url: string, declared: string | undefined): string {
  if (declared === 'USER') return `/api/v1/users/${ids.USER}`;
  if (declared === 'ALERT') return `/api/v1/alerts/${ids.ALERT}/acknowledge`;
  if (declared) return declared;
  return url.replace(/:stationId/g, 'no-such-station').replace(/:([A-Za-z]+)/g, '999999').replace(/\*/g, 'x');
}

describe('route × role × area matrix (national deployment, every registered route)', () => {
  it('declares every registered route in the one expectation table', () => {
    const undeclared = [...new Set(app.routeAccess.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs')).map((r) => `${r.method} ${r.url}`))]
      .filter((k) => !(k in EXPECT));
    expect(undeclared, 'add these routes to EXPECT in test/security-server/scope-matrix.test.ts').toEqual([]);
  });

  it('answers each route for each role and area as the table declares', async () => {
    expect(callers.filter((c) => c.area === 'district').map((c) => c.role).sort()).toEqual(['admin', 'command', 'health', 'officer']);
    const isLogout = (k: string) => Number(k === 'POST /api/v1/auth/logout');
    const routes = app.routeAccess.filter((r) => r.method !== 'HEAD' && !r.url.startsWith('/docs'))
      .sort((a, b) => isLogout(`${a.method} ${a.url}`) - isLogout(`${b.method} ${b.url}`));
    const wrong: string[] = [];
    for (const route of routes) {
      const key = `${route.method} ${route.url}`;
      const e = EXPECT[key];
      if (!e) continue; // reported by the test above
      // the table and the route's own declaration agree on its kind
      if (e.rule === 'public' || e.rule === 'station') {
        if (route.access !== e.rule) wrong.push(`${key}: declared ${JSON.stringify(route.access)}, table says ${e.rule}`);
        continue;
      }
      if (typeof route.access !== 'object') { wrong.push(`${key}: declared ${route.access}, table gives a rule`); continue; }
      const url = concrete(route.url, e.url);
      const namesRecord = route.method === 'GET' && (e.url === 'USER' || url.includes(STATION));
      for (const c of callers) {
        const res = await app.inject({ method: route.method as 'GET', url, headers: c.headers, ...(['POST', 'PUT', 'PATCH'].includes(route.method) ? { payload: {} } : {}) });
        const want = e.rule(c);
        const s = res.statusCode;
        const through = s !== 401 && s !== 403 && s < 500 && !((namesRecord || e.url === 'USER' || e.url === 'ALERT') && s === 404);
        const shows = e.marker === undefined || res.body.includes(e.marker);
        const got: Outcome = !through ? 'deny' : shows ? 'allow' : 'empty';
        if (s >= 500 || got !== want) wrong.push(`${key} as ${c.role}/${c.area}: ${s} → ${got}, expected ${want} ${res.body.slice(0, 100)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);
});
