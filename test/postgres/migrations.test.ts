import { readFileSync } from 'node:fs';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import { changes, journal, passes } from '../../server/db/pg/schema/index.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();
/** one row per migration file, however many there are by now */
const MIGRATION_COUNT = (JSON.parse(readFileSync(new URL('../../server/db/pg/migrations/meta/_journal.json', import.meta.url), 'utf8')) as { entries: unknown[] }).entries.length;

describe.skipIf(skip)(`server schema on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pgDb = usePostgres('migrations');
  let database: PgServerDatabase;

  beforeAll(async () => {
    database = await openPgServerDatabase(pgDb.url());
  });
  afterAll(async () => database?.close());

  it('applies the migrations once, also when a second instance opens the same database', async () => {
    const second = await openPgServerDatabase(pgDb.url());
    await second.close();
    const applied = await database.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
    expect(applied.rows[0]).toEqual({ n: MIGRATION_COUNT });
    const names = await database.db.execute(
      sql`select table_name from information_schema.tables where table_schema = 'public' order by 1`,
    );
    expect(names.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['journal', 'passes', 'changes', 'people', 'stations', 'users', 'access_log']),
    );
  });

  it('gives ids and change numbers from sequences and keeps millisecond times as numbers', async () => {
    const at = Date.UTC(2026, 10, 30, 1, 0, 0);
    const [a, b] = await database.db
      .insert(changes)
      .values([
        { entity: 'zone', key: '79', item: '{}', at },
        { entity: 'zone', key: '80', item: '{}', at: at + 1 },
      ])
      .returning();
    expect(b!.seq).toBe(a!.seq + 1);
    expect(a!.at).toBe(at);
    expect(typeof a!.at).toBe('number');
  });

  it('refuses a second journal record with the same (station, seq), and ON CONFLICT DO NOTHING skips it', async () => {
    const record = {
      stationId: 'st-79-1', seq: 1, prevHash: '0'.repeat(64), hash: 'a'.repeat(64), at: 1, receivedAt: 2,
      checkpointId: 7901, province: 79, kind: 'scan', lane: 'L1', direction: 'entry', verdict: 'ALLOW',
      reasons: '[]', codeKind: 'pass', policyVersion: 1, hashOk: true,
    };
    await database.db.insert(journal).values(record);
    // 23505 = unique_violation (drizzle wraps the driver's error as its cause)
    await expect(database.db.insert(journal).values(record)).rejects.toMatchObject({ cause: { code: '23505' } });
    const skipped = await database.db.insert(journal).values(record).onConflictDoNothing().returning();
    expect(skipped).toEqual([]);
  });

  it('stores JSON columns as jsonb that queries can look into', async () => {
    const now = Date.now();
    await database.db.insert(passes).values({
      version: 1, status: 'ACTIVE', plate: '51C-123.45', goods: 1,
      crew: [{ citizenId: '079000000001', name: 'Nguyễn Văn A', phone: null, role: 'driver' }],
      originZone: '79', destinationZone: '80', routeCheckpoints: [7901, 8001], routeProvinces: [79, 80],
      validFrom: now, direction: 'both', maxStayHours: 24, issuingProvince: 79, issuedAt: now, code: 'VNP1:x',
      createdAt: now, createdBy: 't', updatedAt: now, updatedBy: 't', item: '{}', changeSeq: 1,
    });
    const found = await database.db.execute(sql`select plate from passes where route_provinces @> '[80]'::jsonb`);
    expect(found.rows).toEqual([{ plate: '51C-123.45' }]);
  });
});
