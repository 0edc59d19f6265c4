import type { SqlClient } from './sql-client.js';

/**
 * Transaction-scoped PostgreSQL advisory locks of this server, as (namespace, key) pairs: the two-int
 * key space does not overlap the single-bigint one, so another module's bigint locks cannot collide.
 * Held until the transaction commits or rolls back; PostgreSQL makes the commit visible before it
 * releases them, so the next holder sees everything the previous one wrote.
 */
export const NAMESPACE = 0x63706b74; // 'cpkt'

export const FEED_LOCK = 1;
export const TRUST_LOCK = 2;
export const POLICY_LOCK = 3;
/** notices for people (server/services/notify/store.ts): seq drawn in commit order, so a list read after a seq misses none */
export const NOTICES_LOCK = 4;
/**
 * Schema migrations, held at session level (pg/database.ts) around drizzle's migrator, which takes no
 * lock of its own: instances starting together on an empty database would each CREATE the same tables.
 */
export const MIGRATION_LOCK = 5;
/** the journal's monthly partitions (retention/journal-partitions.ts): two instances would CREATE the same month */
export const JOURNAL_MONTHS_LOCK = 6;

export async function lockForCommitOrder(client: SqlClient, key: number): Promise<void> {
  await client.get('SELECT pg_advisory_xact_lock(?::int, ?::int) AS locked', [NAMESPACE, key]);
}

/**
 * A transaction no other server instance runs alongside under the same `key` (read-compare-publish
 * of a versioned document). SQLite needs no lock: BEGIN IMMEDIATE already makes it the only writer.
 */
export function lockedTransaction<T>(client: SqlClient, key: number, fn: () => Promise<T>): Promise<T> {
  return client.transaction(async () => {
    if (client.dialect === 'postgres') await lockForCommitOrder(client, key);
    return fn();
  });
}
