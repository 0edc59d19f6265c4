import { chownSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findPgBinDir, freePort, pgUnavailableReason, run, startClusterServer, startThrowawayCluster, unprivilegedUser, type PgCluster } from './pg-cluster.js';

/**
 * A primary and a hot standby on this machine: a throwaway primary (pg-cluster.ts), copied with
 * `pg_basebackup -R` (which writes `primary_conninfo` and `standby.signal`), the copy started as a
 * standby that streams the primary's WAL and answers read-only queries. Both run as the unprivileged
 * user when the tests run as root; both are stopped and removed by `stop()`, or at the latest when the
 * process exits.
 *
 * Replication is asynchronous (the default): a commit on the primary returns before the standby has
 * it, which is what a failover test needs to show.
 */
export interface PrimaryAndStandby {
  primary: PgCluster;
  standby: PgCluster;
  stop(): Promise<void>;
}

/** the role the standby streams as */
export const REPLICATION_ROLE = 'replicator';

/** a hot standby refuses to start with fewer connection slots than its primary has */
const PRIMARY_MAX_CONNECTIONS = 200;

export async function startPrimaryWithStandby(): Promise<PrimaryAndStandby> {
  const bin = findPgBinDir();
  if (!bin) throw new Error(pgUnavailableReason() ?? 'no PostgreSQL');
  // wal_level=replica and max_wal_senders are the defaults since PostgreSQL 10; said here because the test relies on them.
  const primary = await startThrowawayCluster({ settings: { wal_level: 'replica', max_wal_senders: 4, max_connections: PRIMARY_MAX_CONNECTIONS } });
  const as = unprivilegedUser();
  const base = mkdtempSync(join(tmpdir(), 'pg-standby-'));
  try {
    if (as) chownSync(base, as.uid, as.gid);
    const dataDir = join(base, 'data');
    // The standby streams as a role of its own, so a test can cut it off (ALTER ROLE replicator NOREPLICATION).
    await run(join(bin, 'psql'), ['-h', '127.0.0.1', '-p', String(primary.port), '-U', 'postgres', '-c', `CREATE ROLE ${REPLICATION_ROLE} WITH REPLICATION LOGIN`], as);
    // -X stream: the WAL written during the copy comes along; -c fast: no wait for a spread checkpoint.
    await run(join(bin, 'pg_basebackup'), ['-h', '127.0.0.1', '-p', String(primary.port), '-U', REPLICATION_ROLE, '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync'], as);
    const standby = await startClusterServer({ bin, base, dataDir, port: await freePort(), as, settings: { hot_standby: 'on', fsync: 'off', max_connections: PRIMARY_MAX_CONNECTIONS } });
    return {
      primary,
      standby,
      async stop() {
        await Promise.allSettled([standby.stop(), primary.stop()]);
      },
    };
  } catch (err) {
    rmSync(base, { recursive: true, force: true });
    await primary.stop();
    throw err;
  }
}
