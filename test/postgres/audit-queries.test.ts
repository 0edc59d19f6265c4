import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openServerDatabase, type ServerDatabase } from '../../server/db/database.js';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { loadAuditFixture } from '../server/audit/audit-fixture.js';
import { auditAnswers, expectFixtureFacts, type AuditAnswers } from '../server/audit/audit-answers.js';
import { usePostgres } from './use-postgres.js';

const unavailable = pgUnavailableReason();

if (unavailable) {
  describe.skip(`audit queries on PostgreSQL (skipped: ${unavailable})`, () => it('needs PostgreSQL', () => undefined));
} else {
  /**
   * One fixture journal (test/server/audit/audit-fixture.ts), two engines: every search, trace, contact
   * list, overdue and trip query, count, the daily report and the notices give the same answers on
   * PostgreSQL as on SQLite, and those answers are the fixture's (so agreeing is not both finding nothing).
   */
  describe('audit, report and notice queries: the same answers on PostgreSQL as on SQLite', () => {
    const pg = usePostgres('audit');
    let pgDb: PgServerDatabase;
    let sqliteDb: ServerDatabase;
    let onPg: AuditAnswers;
    let onSqlite: AuditAnswers;
    beforeAll(async () => {
      pgDb = await openPgServerDatabase(pg.url(), { max: 4 });
      sqliteDb = openServerDatabase(':memory:');
      await loadAuditFixture(pgDb.client);
      await loadAuditFixture(sqliteDb.client);
      onPg = await auditAnswers(pgDb.client);
      onSqlite = await auditAnswers(sqliteDb.client);
    });
    afterAll(async () => {
      await pgDb?.close();
      sqliteDb?.close();
    });

    it('finds what the fixture holds on PostgreSQL', () => {
      expectFixtureFacts(onPg);
    });

    for (const part of ['search', 'sameCrossing', 'sameLane', 'stationIdsIn', 'overdue', 'trip', 'counts', 'live', 'trace', 'plateTrace', 'contacts', 'daily', 'notices'] as const) {
      it(`answers ${part} as SQLite does`, () => {
        expect(onPg[part]).toEqual(onSqlite[part]);
      });
    }

    it('plans the command center\'s searches on the journal indexes (plate, citizen, pass, checkpoint by time)', async () => {
      // The journal is partitioned by month: a plan names each partition's copy of an index, which PostgreSQL
      // names after the columns; pg_inherits leads from the copy back to the journal's own index.
      const indexesUsed = async (sql: string) => {
        const plan = (await pgDb.client.all<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`)).map((r) => r['QUERY PLAN']).join('\n');
        const used = [...plan.matchAll(/ using (\w+)/g)].map((m) => m[1]!);
        if (used.length === 0) return [];
        const parents = await pgDb.client.all<{ name: string }>(`SELECT DISTINCT p.relname AS name FROM pg_class c JOIN pg_inherits i ON i.inhrelid = c.oid
          JOIN pg_class p ON p.oid = i.inhparent WHERE c.relname IN (${used.map(() => '?').join(', ')})`, used);
        return [...new Set([...used, ...parents.map((r) => r.name)])];
      };
      // a planner on a near-empty table may prefer a sequential scan; forbid it for this check only
      await pgDb.client.transaction(async () => {
        await pgDb.client.exec('SET LOCAL enable_seqscan = off');
        expect(await indexesUsed("SELECT * FROM journal j WHERE j.plate = '51C-222.22' AND j.at >= 0 ORDER BY j.at DESC")).toContain('journal_plate_at_idx');
        expect(await indexesUsed("SELECT * FROM journal j WHERE j.citizen_id = '079000000005' AND j.at >= 0 ORDER BY j.at DESC")).toContain('journal_citizen_at_idx');
        expect(await indexesUsed('SELECT * FROM journal j WHERE j.pass_id = 8 AND j.pass_province = 79 AND j.at >= 0 ORDER BY j.at DESC')).toContain('journal_pass_at_idx');
        expect(await indexesUsed('SELECT * FROM journal j WHERE j.checkpoint_id = 11 AND j.at >= 0 AND j.at < 10 ORDER BY j.at DESC')).toContain('journal_checkpoint_at_idx');
        expect(await indexesUsed("SELECT * FROM journal j WHERE j.received_at > 0 AND j.kind = 'scan' AND j.verdict = 'DENY' ORDER BY j.received_at")).toContain('journal_denied_received_idx');
      });
    });
  });
}
