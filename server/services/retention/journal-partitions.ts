import type { SqlClient } from '../../db/sql-client.js';
import { JOURNAL_MONTHS_LOCK, lockedTransaction } from '../../db/advisory-locks.js';

/** how many months of journal partitions exist ahead of now (this one and the next two) */
export const MONTHS_AHEAD = 3;

/**
 * PostgreSQL's journal is partitioned by month (migration 0016): make sure this month's and the next
 * months' partitions exist before records for them arrive, so they never pile up in the default
 * partition. Idempotent; returns how many partitions it created. SQLite has no partitions.
 * One instance at a time: every instance runs it at start, and two finding the same month missing
 * would both CREATE it (the second fails on the catalog's unique name).
 */
export async function ensureJournalMonths(client: SqlClient, now: number): Promise<number> {
  if (client.dialect !== 'postgres') return 0;
  return lockedTransaction(client, JOURNAL_MONTHS_LOCK, async () =>
    (await client.get<{ made: number }>('SELECT journal_add_month_partitions(?, ?) AS made', [now, MONTHS_AHEAD]))!.made);
}
