import pg from 'pg';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import { afterAll, describe, expect, it } from 'vitest';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import { auditRepository } from '../../server/services/audit/repository.js';
import { PgIngestRepository } from '../../server/services/ingest/pg-repository.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { migrationsBefore } from '../support/migrations-before.js';
import { DECODED, NEW_REASONS, OLD_REASONS, oldRowInsert } from '../server/db/old-reasons.js';
import { expectRoundTrip } from '../shared/journal-record/round-trip.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();
const MIGRATIONS = new URL('../../server/db/pg/migrations', import.meta.url).pathname;

describe.skipIf(skip)(`one journal record on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const fresh = usePostgres('record_trip');
  const old = usePostgres('reasons_migration');
  const open: PgServerDatabase[] = [];
  afterAll(async () => Promise.all(open.map((d) => d.close())));

  it('station row → wire → server row → audit read leaves every field as sealed, reasons with several codes included', async () => {
    const db = await openPgServerDatabase(fresh.url(), { max: 2 });
    open.push(db);
    await expectRoundTrip(db.client, new PgIngestRepository(db.client));
  });

  it('an old comma-joined row reads with the same reason codes after the migration, and the reason search finds it', async () => {
    const before = migrationsBefore(MIGRATIONS, 'journal_reasons_json');
    const pool = new pg.Pool({ connectionString: old.url(), max: 1 });
    try {
      await migrate(drizzle(pool), { migrationsFolder: before.folder });
      for (const [i, reasons] of OLD_REASONS.entries()) await pool.query(oldRowInsert('$'), [i + 1, 1_000 + i, 2_000 + i, reasons]);
    } finally {
      await pool.end();
      before.remove();
    }
    const db = await openPgServerDatabase(old.url(), { max: 2 });
    open.push(db);
    expect((await db.client.all<{ reasons: string }>('SELECT reasons FROM journal ORDER BY seq')).map((r) => r.reasons)).toEqual(NEW_REASONS);
    const audit = auditRepository(db.client);
    expect((await audit.search(79, {}, 10, 0, 'asc')).map((r) => r.reasons)).toEqual(DECODED);
    expect((await audit.search(79, { reason: 'POSITIVE_OR_CONTACT' }, 10, 0)).map((r) => r.seq)).toEqual([1]);
  });
});
