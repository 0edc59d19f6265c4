import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadServerConfig, type ServerConfig } from '../../server/config.js';
import type { Role } from '../../server/auth/access.js';
import type { SqlValue } from '../../server/db/sql-client.js';
import { freshServerDatabaseUrl } from '../postgres/server-suite/server-database.js';

/** A controllable clock for tests: starts at a fixed instant, moved by hand. */
export function testClock(start = Date.UTC(2021, 8, 1, 8, 0, 0)) {
  let now = start;
  const clock = () => now;
  return Object.assign(clock, {
    set: (t: number) => void (now = t),
    advance: (ms: number) => void (now += ms),
  });
}

export function testConfig(env: Record<string, string> = {}): ServerConfig {
  return loadServerConfig({ DB_FILE: ':memory:', DATA_DIR: '/nonexistent-test-data', LOG_LEVEL: 'silent', ...env }, undefined);
}

/**
 * The real app on an in-memory SQLite database with the real migrations, or, when the suite runs on
 * PostgreSQL (`npm run test:postgres`), on a fresh PostgreSQL database of its own. Close it in
 * afterEach/afterAll.
 */
export async function makeTestApp(opts: { env?: Record<string, string>; clock?: () => number } = {}): Promise<FastifyInstance> {
  // a test that restarts an app on the same database passes its DATABASE_URL back in
  const databaseUrl = opts.env?.DATABASE_URL ? null : await freshServerDatabaseUrl();
  const env = databaseUrl ? { DATABASE_URL: databaseUrl, DATABASE_POOL_SIZE: '4', ...opts.env } : opts.env;
  const app = await buildApp(testConfig(env), { logger: false, ...(opts.clock ? { clock: opts.clock } : {}) });
  await app.ready();
  return app;
}

/** The key-management act a province needs before it issues passes. */
export function createTransportKey(app: FastifyInstance, province: number) {
  return app.trust.createKey('transport', province, { system: 'test' }, { method: 'CLI', url: 'test' });
}

/**
 * The province's transport key, made once however many users are made at once (Promise.all): on
 * PostgreSQL the check and the create are separate round trips, so two callers could both find none.
 */
const keysBeingMade = new WeakMap<FastifyInstance, Map<number, Promise<unknown>>>();
function ensureTransportKey(app: FastifyInstance, province: number): Promise<unknown> {
  let perApp = keysBeingMade.get(app);
  if (!perApp) keysBeingMade.set(app, (perApp = new Map()));
  let making = perApp.get(province);
  if (!making) {
    making = app.trust.hasTransportKey(province) ? Promise.resolve() : createTransportKey(app, province);
    perApp.set(province, making);
  }
  return making;
}

export interface TestCaller {
  id: number;
  username: string;
  role: Role;
  province: number;
  /** headers for app.inject: a bearer API token, so no CSRF token is needed */
  headers: { authorization: string };
}

let counter = 0;

/** Create a user of this role and province directly through the service and give back a bearer token. */
export async function userWithRole(app: FastifyInstance, role: Role, province = 1): Promise<TestCaller> {
  const username = `${role}-${province}-${++counter}`;
  const user = await app.users.create(null, { username, password: 'correct horse battery', role, province });
  const actor = { id: user.id, username, role, province };
  // Issuers need their province's transport key; outside tests an admin makes it (npm run keys, POST /api/v1/keys).
  if (role === 'admin' || role === 'transport') await ensureTransportKey(app, province);
  const { token } = await app.users.createApiToken(actor, 'test');
  return { ...actor, headers: { authorization: `Bearer ${token}` } };
}

export interface TestStation {
  stationId: string;
  checkpointId: number;
  secret: string;
  headers: { authorization: string };
}

/** Register a station through the API (as an admin of its province) and give back its credential. */
export async function registerStation(
  app: FastifyInstance,
  admin: TestCaller,
  opts: { stationId?: string; checkpointId?: number } = {},
): Promise<TestStation> {
  const stationId = opts.stationId ?? `st-${++counter}`;
  const checkpointId = opts.checkpointId ?? counter;
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/stations',
    headers: admin.headers,
    payload: {
      stationId, checkpointId, name: `Chốt ${stationId}`, province: admin.province,
      lanes: [{ id: 'L1', direction: 'entry' }, { id: 'L2', direction: 'exit' }],
    },
  });
  if (res.statusCode !== 201) throw new Error(`station registration failed: ${res.statusCode} ${res.body}`);
  const { secret } = res.json() as { secret: string };
  return { stationId, checkpointId, secret, headers: { authorization: `Station ${stationId}:${secret}` } };
}

/** The first column of the first row, through the app's SqlClient (portable SQL, so the test runs on either engine). */
export async function sqlScalar<T = unknown>(app: FastifyInstance, sql: string, params: SqlValue[] = []): Promise<T | undefined> {
  const row = await app.database.client.get<Record<string, unknown>>(sql, params);
  return row === undefined ? undefined : (Object.values(row)[0] as T);
}

/** The first column of every row, through the app's SqlClient. */
export async function sqlColumn<T = unknown>(app: FastifyInstance, sql: string, params: SqlValue[] = []): Promise<T[]> {
  return (await app.database.client.all<Record<string, unknown>>(sql, params)).map((row) => Object.values(row)[0] as T);
}
