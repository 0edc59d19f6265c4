import { spawn, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createServer } from 'node:net';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { buildApp } from '../../../server/app.js';
import { loadServerConfig } from '../../../server/config.js';
import { seedDemo, type DemoSeed } from '../../../demo/seed.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/** A TCP port free right now on loopback, so a server can be restarted on the same address. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Seed a demo province into `dataDir` through the server's own services (in-process), then close it. */
export async function seedServerDataDir(dataDir: string, now: number): Promise<DemoSeed> {
  const app = await buildApp(loadServerConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), { logger: false });
  try {
    return await seedDemo(app, { now, vehicles: 50, walkIns: 150 });
  } finally {
    await app.close();
  }
}

/**
 * `npm run server` as a child process (`node --import tsx server/main.ts`, so SIGKILL hits the server
 * itself) on a fixed loopback port and data dir; `start()` resolves when Fastify says it listens.
 */
export class ServerProcess extends EventEmitter<{ request: [string] }> {
  child: ChildProcess | null = null;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> = Promise.resolve({ code: null, signal: null });
  starts = 0;
  readonly stderr: string[] = [];
  private readonly requests = new Map<string, number>();

  constructor(readonly dataDir: string, readonly port: number) {
    super();
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  async start(timeoutMs = 30_000): Promise<void> {
    if (this.running) throw new Error('server already running');
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: this.dataDir, PORT: String(this.port), HOST: '127.0.0.1', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.starts++;
    this.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    createInterface({ input: child.stderr! }).on('line', (l) => {
      this.stderr.push(l);
      if (this.stderr.length > 200) this.stderr.shift();
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not listen within ${timeoutMs} ms; stderr: ${this.stderr.slice(-5).join('\n')}`)), timeoutMs);
      // Pino lines: the listening one, and one per incoming request (counted for waitForRequest).
      createInterface({ input: child.stdout! }).on('line', (l) => {
        if (l.includes('incoming request')) this.countRequest(l);
        if (l.includes('Server listening')) {
          clearTimeout(timer);
          resolve();
        }
      });
      void this.exited.then(({ code, signal }) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code ?? signal}) before listening; stderr: ${this.stderr.slice(-5).join('\n')}`));
      });
    });
  }

  private countRequest(line: string): void {
    try {
      const req = (JSON.parse(line) as { req?: { method?: string; url?: string } }).req;
      if (!req?.method || !req.url) return;
      const key = `${req.method} ${req.url}`;
      this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
      this.emit('request', key);
    } catch {
      // not a JSON log line
    }
  }

  /** How many `method path` requests all runs of this server have logged so far. */
  requestCount(method: string, path: string): number {
    return this.requests.get(`${method} ${path}`) ?? 0;
  }

  /**
   * Resolve once more than `after` requests to `path` have arrived (Fastify logs 'incoming request'
   * before the handler runs). Take `after` before start(): the first request may come in the same
   * breath as the listening line.
   */
  waitForRequest(method: string, path: string, after: number, timeoutMs: number): Promise<void> {
    const key = `${method} ${path}`;
    if (this.requestCount(method, path) > after) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.off('request', onRequest);
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => done(new Error(`no ${key} within ${timeoutMs} ms`)), timeoutMs);
      const onRequest = () => {
        if (this.requestCount(method, path) > after) done();
      };
      this.on('request', onRequest);
      void this.exited.then(() => done(new Error(`server exited before ${key}`)));
    });
  }

  /** SIGKILL (a crash) or SIGTERM (a clean stop); resolves once the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.running) this.child!.kill(signal);
    await this.exited;
  }
}

/** Read-only views of the server's SQLite store (WAL: safe beside the running server). */
export class ServerStore {
  constructor(readonly dbFile: string) {}

  private read<T>(fn: (db: Database.Database) => T): T {
    const db = new Database(this.dbFile, { readonly: true, fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      return fn(db);
    } finally {
      db.close();
    }
  }

  /** (seq, hash) of every stored record of the station, in seq order */
  journal(stationId: string): { seq: number; hash: string }[] {
    return this.read((db) => db.prepare('SELECT seq, hash FROM journal WHERE station_id = ? ORDER BY seq').all(stationId) as { seq: number; hash: string }[]);
  }

  count(stationId: string): number {
    return this.read((db) => (db.prepare('SELECT count(*) AS n FROM journal WHERE station_id = ?').get(stationId) as { n: number }).n);
  }

  conflicts(stationId: string): number {
    return this.read((db) => (db.prepare('SELECT count(*) AS n FROM journal_conflicts WHERE station_id = ?').get(stationId) as { n: number }).n);
  }

  rejects(stationId: string): number {
    return this.read((db) => (db.prepare('SELECT count(*) AS n FROM journal_rejects WHERE station_id = ?').get(stationId) as { n: number }).n);
  }
}
