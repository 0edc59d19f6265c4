import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import type { SqlClient } from '../../server/db/sql-client.js';

/** Two server instances' databases (two pools) on one PostgreSQL database, as behind a load balancer. */
export async function openTwoInstances(url: string): Promise<[PgServerDatabase, PgServerDatabase]> {
  const a = await openPgServerDatabase(url, { max: 3 });
  const b = await openPgServerDatabase(url, { max: 3 });
  return [a, b];
}

/** A promise and the function that settles it: holds a transaction open until the test lets it go. */
export function gate(): { wait: Promise<void>; open: () => void } {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => (open = resolve));
  return { wait, open };
}

/**
 * Resolves once some session of `application` waits on a lock (pg_stat_activity), i.e. once the
 * instance's transaction is blocked behind another's. Asks the server each few milliseconds: the
 * event is inside PostgreSQL, and there is nothing else to await.
 */
export async function blockedOnLock(observer: SqlClient, timeoutMs = 20_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const r = await observer.get<{ n: number }>(
      "SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
    );
    if ((r?.n ?? 0) > 0) return;
    if (Date.now() > until) throw new Error('no session became blocked on a lock');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
