import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../server/app.js';
import { loadServerConfig } from '../../server/config.js';
import { readCode } from '../../shared/codes/read-code.js';
import { DEFAULT_POLICY, PolicySchema } from '../../shared/rules/policy.js';
import { openDocument } from '../../shared/trust/signed-document.js';
import { fetchTrust, passInput } from '../server-issuing/fixtures.js';
import { createTransportKey, sqlColumn, sqlScalar, testClock } from '../server/helpers.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { usePostgres } from './use-postgres.js';

/**
 * Issue 13 item 5: a fresh install behind a load balancer (or a rolling deploy) starts several
 * instances of the server at the same moment on an EMPTY database, with one key folder they all
 * mount. Each first start migrates the schema, makes the signing keys, publishes the first trust
 * list and policy, makes the CSRF key and the journal's months: exactly one instance may do each,
 * and every instance must then sign with the keys the stations are told about.
 */
const skip = pgUnavailableReason();
const MIGRATION_COUNT = (JSON.parse(readFileSync(new URL('../../server/db/pg/migrations/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] }).entries.length;
const seedActor = { username: 'seed', role: 'admin' as const, province: 79 };

interface LogLine { instance: string; level: number; msg: string; err?: { message?: string } }

describe.skipIf(skip)(`two server instances starting at once on an empty PostgreSQL database${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('firststart');
  const dir = mkdtempSync(join(tmpdir(), 'first-start-'));
  const clock = testClock();
  const logs: LogLine[] = [];
  const apps: FastifyInstance[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** One instance: its own data folder (its own machine), the shared database and key folder, its log kept. */
  const start = async (instance: string): Promise<FastifyInstance> => {
    const config = loadServerConfig({
      DATA_DIR: join(dir, instance), KEYS_DIR: join(dir, 'keys'), DATABASE_URL: pg.url(), DATABASE_POOL_SIZE: '4', LOG_LEVEL: 'info',
    }, undefined);
    const app = await buildApp(config, { clock, logStream: { write: (line) => void logs.push({ instance, ...(JSON.parse(line) as Omit<LogLine, 'instance'>) }) } });
    apps.push(app);
    await app.ready();
    return app;
  };
  let a: FastifyInstance;
  let b: FastifyInstance;

  it('both come up, the schema is migrated once, one set of keys is made, and nothing is logged as an error', async () => {
    const started = await Promise.allSettled([start('a'), start('b')]);
    expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'up'))).toEqual(['up', 'up']);
    [a, b] = started.map((s) => (s as PromiseFulfilledResult<FastifyInstance>).value) as [FastifyInstance, FastifyInstance];
    // the retention sweep's first run (the journal's months) is started, not awaited, by onReady: let it finish
    await Promise.all([a, b].map((app) => app.retention.maintained()));

    expect(logs.filter((l) => l.level >= 50).map((l) => `${l.instance}: ${l.msg} ${l.err?.message ?? ''}`)).toEqual([]);

    expect(await sqlScalar(a, 'SELECT count(*) FROM drizzle.__drizzle_migrations')).toBe(MIGRATION_COUNT);
    expect(await sqlScalar(a, 'SELECT count(DISTINCT hash) FROM drizzle.__drizzle_migrations')).toBe(MIGRATION_COUNT);

    expect(readdirSync(join(dir, 'keys')).sort()).toEqual(['health.pem', 'policy.pem', 'root.pem']);
    const made = logs.filter((l) => l.msg === 'signing key created');
    expect(made).toHaveLength(3); // root, health and policy
    expect(new Set(made.map((l) => l.instance)).size).toBe(1);
    expect(a.trust.rootPublic()).toEqual(b.trust.rootPublic());
    expect(a.trust.current()).toEqual(b.trust.current());
    expect(a.trust.current().version).toBe(1);
    expect(await sqlScalar(a, 'SELECT count(*) FROM trust_lists')).toBe(1);
    expect(await sqlScalar(a, 'SELECT count(*) FROM issuer_keys')).toBe(2);
    expect(await sqlScalar(a, 'SELECT count(*) FROM policies')).toBe(1);
    expect(await sqlScalar(a, 'SELECT count(*) FROM server_secrets')).toBe(1);
    // the clock's month and the next two, made by one of them (the other found them made)
    expect(await sqlColumn(a, "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'journal'::regclass AND c.relname LIKE 'journal_y2021%' ORDER BY 1"))
      .toEqual(['journal_y2021m09', 'journal_y2021m10', 'journal_y2021m11']);
  }, 120_000);

  it('what instance A signs (a pass, a policy) verifies with the root and trust list instance B serves to stations', async () => {
    await createTransportKey(a, 79);
    const pass = await a.passes.create(seedActor, passInput());
    const fromB = await fetchTrust(b);
    expect(readCode(pass.code, fromB, clock())).toMatchObject({ ok: true, kind: 'pass', pass: { issuingProvince: 79 } });

    const { version: _v, issuedAt: _i, ...rules } = DEFAULT_POLICY;
    const v2 = await a.policy.publish({ username: 'admin' }, { ...rules, testValidityHours: { RT_PCR: 96, RAPID_ANTIGEN: 48 } });
    const served = (await b.inject({ url: '/api/v1/trust/root' })).json() as { kid: string };
    expect(served.kid).toBe(a.trust.rootPublic().kid);
    expect(fromB.openSigned(v2.document, 'policy', clock(), (k) => openDocument(v2.document, k, PolicySchema))).toMatchObject({ version: 2 });
    // and the first policy, published at first start by whichever instance won, verifies the same way
    const v1 = (await b.policy.history(10)).find((p) => p.version === 1)!;
    expect(fromB.openSigned(v1.document, 'policy', clock(), (k) => openDocument(v1.document, k, PolicySchema))).toMatchObject({ version: 1 });
    expect(logs.filter((l) => l.level >= 50)).toEqual([]);
  }, 60_000);
});
