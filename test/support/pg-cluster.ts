import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

/**
 * A throwaway PostgreSQL cluster for tests: `initdb` into a temporary folder, started with `pg_ctl`
 * on a free loopback port, removed on stop. Debian's packages put the binaries under
 * /usr/lib/postgresql/<major>/bin (not on PATH); the newest major there is used.
 *
 * PostgreSQL refuses to run as root, so when the tests run as root (CI machines do) the cluster's
 * processes run as the `postgres` user the Debian package creates (or `nobody`), and the folder is
 * handed to that user.
 */
export interface PgCluster {
  /** postgres://postgres@127.0.0.1:<port>/postgres, trust authentication on loopback only */
  readonly url: string;
  readonly port: number;
  readonly dataDir: string;
  /** a URL naming another database on the same cluster */
  urlFor(database: string): string;
  stop(): Promise<void>;
}

/** The folder holding initdb/pg_ctl, or null when this machine has no PostgreSQL server binaries. */
export function findPgBinDir(): string | null {
  const fromEnv = process.env.PG_BIN_DIR;
  if (fromEnv && existsSync(join(fromEnv, 'initdb'))) return fromEnv;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const majors = readdirSync(root)
    .filter((d) => /^\d+$/.test(d) && existsSync(join(root, d, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return majors.length > 0 ? join(root, majors[0]!, 'bin') : null;
}

/** Why PostgreSQL tests cannot run here, or null when they can (a URL is given or binaries exist). */
export function pgUnavailableReason(): string | null {
  if (process.env.TEST_DATABASE_URL) return null;
  return findPgBinDir() ? null : 'no PostgreSQL server binaries on this machine (apt-get install postgresql)';
}

export interface RunAs {
  uid: number;
  gid: number;
}

export function unprivilegedUser(): RunAs | undefined {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return undefined;
  const passwd = readFileSync('/etc/passwd', 'utf8').split('\n');
  for (const name of ['postgres', 'nobody']) {
    const line = passwd.find((l) => l.startsWith(`${name}:`));
    if (!line) continue;
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  }
  throw new Error('running as root and no postgres or nobody user to run PostgreSQL as');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export function run(bin: string, args: string[], as: RunAs | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'], ...(as ?? {}) });
    let output = '';
    child.stdout.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr.on('data', (b: Buffer) => (output += b.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${bin} ${args.join(' ')} exited ${code}:\n${output}`)),
    );
  });
}

export interface ClusterOptions {
  /** extra `-c name=value` server settings */
  settings?: Record<string, string | number>;
  /** initdb without fsync and the server with fsync=off: faster, for tests that never cut power */
  fast?: boolean;
}

export async function startThrowawayCluster(options: ClusterOptions = {}): Promise<PgCluster> {
  const bin = findPgBinDir();
  if (!bin) throw new Error(pgUnavailableReason() ?? 'no PostgreSQL');
  const as = unprivilegedUser();
  const base = mkdtempSync(join(tmpdir(), 'pg-test-'));
  if (as) chownSync(base, as.uid, as.gid);
  const dataDir = join(base, 'data');
  const initArgs = ['-D', dataDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'];
  if (options.fast !== false) initArgs.push('--no-sync');
  await run(join(bin, 'initdb'), initArgs, as);
  const port = await freePort();
  const fast: Record<string, string> = options.fast !== false ? { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' } : {};
  return startClusterServer({ bin, base, dataDir, port, as, settings: { max_connections: 200, ...fast, ...options.settings } });
}

/** Clusters started and not yet stopped: stopped when the process exits, whatever a test did. */
const running = new Map<string, () => void>();
process.once('exit', () => {
  for (const stop of running.values()) stop();
});

/**
 * Start the server of an existing cluster folder (`dataDir` inside `base`, both owned by `as`) on
 * loopback `port`; stopping it removes `base`.
 */
export async function startClusterServer(c: { bin: string; base: string; dataDir: string; port: number; as: RunAs | undefined; settings?: Record<string, string | number> }): Promise<PgCluster> {
  const { bin, base, dataDir, port, as } = c;
  const settings: Record<string, string | number> = { listen_addresses: '127.0.0.1', port, unix_socket_directories: base, ...c.settings };
  const serverArgs = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  const stopArgs = ['-D', dataDir, '-m', 'immediate', '-w', 'stop'];
  // At exit there is no event loop left: stop synchronously, and never throw from the handler.
  running.set(dataDir, () => {
    try {
      execFileSync(join(bin, 'pg_ctl'), stopArgs, { stdio: 'ignore', ...(as ?? {}) });
    } catch {
      // already stopped
    }
    rmSync(base, { recursive: true, force: true });
  });
  try {
    await run(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', join(base, 'server.log'), '-o', serverArgs, '-w', '-t', '60', 'start'], as);
  } catch (err) {
    const log = clusterLog(dataDir);
    running.get(dataDir)?.();
    running.delete(dataDir);
    throw new Error(`${(err as Error).message}\n${log}`);
  }
  const urlFor = (database: string) => `postgres://postgres@127.0.0.1:${port}/${database}`;
  let stopped = false;
  return {
    url: urlFor('postgres'),
    port,
    dataDir,
    urlFor,
    async stop() {
      if (stopped) return;
      stopped = true;
      running.delete(dataDir);
      try {
        await run(join(bin, 'pg_ctl'), stopArgs, as);
      } finally {
        rmSync(base, { recursive: true, force: true });
      }
    },
  };
}

/** Create an empty database on a cluster reached by `url` (for one test file each). */
export function createDatabaseSql(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a plain database name: ${name}`);
  return `CREATE DATABASE ${name}`;
}

/** Create an empty database `name` on `cluster`; returns its URL. */
export async function createDatabase(cluster: PgCluster, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: cluster.url });
  await admin.connect();
  try {
    await admin.query(createDatabaseSql(name));
  } finally {
    await admin.end();
  }
  return cluster.urlFor(name);
}

/** The server log of a cluster folder, for a failing test's message. */
export function clusterLog(dataDir: string): string {
  const log = join(dataDir, '..', 'server.log');
  return existsSync(log) ? execFileSync('tail', ['-n', '50', log]).toString() : '';
}
