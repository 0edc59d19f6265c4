import type { SqlClient } from '../../db/sql-client.js';

/** how many months of journal partitions exist ahead of now (this one and the next two) */
export const MONTHS_AHEAD = 3;

/**
 * PostgreSQL's journal is partitioned by month (migration 0016): make sure this month's and the next
 * months' partitions exist before records for them arrive, so they never pile up in the default
 * partition. Idempotent; returns how many partitions it created. SQLite has no partitions.
 */
export async function ensureJournalMonths(client: SqlClient, now: number): Promise<number> {
  if (client.dialect !== 'postgres') return 0;
  return (await client.get<{ made: number }>('SELECT journal_add_month_partitions(?, ?) AS made', [now, MONTHS_AHEAD]))!.made;
}
