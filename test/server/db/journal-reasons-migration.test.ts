import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openServerDatabase } from '../../../server/db/database.js';
import { auditRepository } from '../../../server/services/audit/repository.js';
import { migrationsBefore } from '../../support/migrations-before.js';
import { DECODED, NEW_REASONS, OLD_REASONS, oldRowInsert } from './old-reasons.js';

const MIGRATIONS = new URL('../../../server/db/migrations', import.meta.url).pathname;

describe('the server\'s SQLite journal after the reasons migration (comma-joined → JSON array)', () => {
  let dir: string;
  let before: ReturnType<typeof migrationsBefore>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'reasons-migration-'));
    before = migrationsBefore(MIGRATIONS, 'journal_reasons_json');
  });
  afterEach(() => {
    before.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an old comma-joined row reads with the same reason codes, and the reason search finds it', async () => {
    const file = join(dir, 'server.db');
    const old = new Database(file);
    migrate(drizzle(old), { migrationsFolder: before.folder });
    OLD_REASONS.forEach((reasons, i) => old.prepare(oldRowInsert('?')).run(i + 1, 1_000 + i, 2_000 + i, reasons));
    old.close();

    const db = openServerDatabase(file);
    try {
      expect((await db.client.all<{ reasons: string }>('SELECT reasons FROM journal ORDER BY seq')).map((r) => r.reasons)).toEqual(NEW_REASONS);
      const audit = auditRepository(db.client);
      const rows = await audit.search(79, {}, 10, 0, 'asc');
      expect(rows.map((r) => r.reasons)).toEqual(DECODED);
      expect((await audit.search(79, { reason: 'POSITIVE_OR_CONTACT' }, 10, 0)).map((r) => r.seq)).toEqual([1]);
      expect((await audit.search(79, { reason: 'TEST_REQUIRED' }, 10, 0)).map((r) => r.seq)).toEqual([1]);
    } finally {
      db.close();
    }
  });
});
