import { afterAll, beforeAll, describe, it } from 'vitest';
import { openServerDatabase, type ServerDatabase } from '../../../server/db/database.js';
import { loadAuditFixture } from './audit-fixture.js';
import { auditAnswers, expectFixtureFacts, type AuditAnswers } from './audit-answers.js';

/**
 * The audit queries' answers on SQLite for the shared fixture; test/postgres/audit-queries.test.ts
 * asks PostgreSQL the same and compares.
 */
describe('audit, report and notice queries on SQLite (the fixture shared with PostgreSQL)', () => {
  let db: ServerDatabase;
  let answers: AuditAnswers;
  beforeAll(async () => {
    db = openServerDatabase(':memory:');
    await loadAuditFixture(db.client);
    answers = await auditAnswers(db.client);
  });
  afterAll(() => db.close());

  it('finds what the fixture holds: searches, trace and contacts, overdue, trips, counts, the daily report and the notices', () => {
    expectFixtureFacts(answers);
  });
});
