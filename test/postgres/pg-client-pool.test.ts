import { afterAll, describe, expect, it } from 'vitest';
import { PgClient } from '../../server/db/pg-client.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();

/** The server's pool on PostgreSQL: what a restart or failover does to its idle connections. */
describe.skipIf(skip)(`the server's PostgreSQL pool${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('pgpool');
  const clients: PgClient[] = [];
  afterAll(async () => {
    for (const c of clients) await c.close();
  });

  it('an idle connection ended by the database is reported, not thrown (an unheard pool error kills the process), and the next query opens a new one', async () => {
    const heard: Error[] = [];
    let told!: () => void;
    const reported = new Promise<void>((r) => (told = r));
    const client = PgClient.connect(pg.url(), { max: 2, applicationName: 'pool-under-test', onIdleError: (err) => (heard.push(err), told()) });
    clients.push(client);
    const before = await client.get<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    expect(client.pool.idleCount).toBe(1);

    const admin = PgClient.connect(pg.url(), { max: 1 });
    clients.push(admin);
    const ended = await admin.get<{ n: number }>(`SELECT count(*) AS n FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pool-under-test') t`);
    expect(ended?.n).toBe(1);
    await reported;
    expect(heard[0]?.message).toMatch(/terminat/i);

    const after = await client.get<{ pid: number; jit: string }>(`SELECT pg_backend_pid() AS pid, current_setting('jit') AS jit`);
    expect(after?.pid).not.toBe(before?.pid);
    expect(after?.jit).toBe('off');
  });

  it('keeps idle connections for minutes, not node-postgres\'s 10 s: a new one costs a fork and every statement prepared again', () => {
    const client = PgClient.connect(pg.url(), { max: 1 });
    clients.push(client);
    expect(client.pool.options.idleTimeoutMillis).toBeGreaterThanOrEqual(60_000);
  });
});
