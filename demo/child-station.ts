import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import Database from 'better-sqlite3';
import { simPaths, VirtualScanner } from '../hardware-sim/virtual-scanner.js';
import { STORE_FILE } from '../station/station.js';
import { cachePathFor } from '../station/store/store.js';

/** What `npm run station` prints for each verdict (station/output.ts), as far as the demo reads it. */
export interface VerdictLine {
  scannerId: string;
  seq: number;
  verdict: 'ALLOW' | 'DENY' | 'REVIEW';
  reasons: string[];
  crossing: { verdict: string; reasons: string[] } | null;
  subject: { passProvince?: number | null; plate?: string | null };
}

export interface ChildStationOptions {
  stationId: string;
  checkpointId: number;
  province: number;
  rootPublicKey: string;
  serverUrl: string;
  credential: string;
  dataDir: string;
  debounceMs: number;
  log?: (msg: string) => void;
}

const LANES = [
  { id: 'scanner-vao', lane: 'L1-vao', direction: 'entry' as const },
  { id: 'scanner-ra', lane: 'L2-ra', direction: 'exit' as const },
];
const STATION_MAIN = resolve(import.meta.dirname, '../station/main.ts');

/**
 * A checkpoint station as it runs in the field: its own OS process (`station/main.ts` with the V8 heap
 * limits of `npm run station`), its config file and data dir, an entry and an exit scanner on socat
 * ptys driven from here, and its verdicts read from its stdout JSON lines. The demo runs the
 * neighbouring province's checkpoint this way beside the in-process station of 79.
 */
export class ChildStation {
  private child: ChildProcess | null = null;
  private readonly scanners = new Map<'entry' | 'exit', { id: string; virtual: VirtualScanner; path: string }>();
  private readonly listeners = new Set<(v: VerdictLine) => void>();
  private readonly connected = new Set<string>();
  private readonly lastScanAt = new Map<string, number>();
  private exited: Promise<number | null> = Promise.resolve(null);

  constructor(readonly opts: ChildStationOptions) {}

  get scannerPaths(): { id: string; lane: string; direction: string; path: string }[] {
    return LANES.map((l) => ({ ...l, path: this.scanners.get(l.direction)?.path ?? '' }));
  }

  async start(): Promise<void> {
    const ptyDir = join(this.opts.dataDir, 'pty');
    mkdirSync(ptyDir, { recursive: true });
    const scannerConfigs = [];
    for (const l of LANES) {
      const paths = simPaths(ptyDir, l.id);
      const virtual = await VirtualScanner.start({ ...paths, suffix: 'cr' });
      this.scanners.set(l.direction, { id: l.id, virtual, path: paths.stationPath });
      scannerConfigs.push({ id: l.id, lane: l.lane, direction: l.direction, path: paths.stationPath, suffix: 'cr', debounceMs: this.opts.debounceMs });
    }
    const configFile = join(this.opts.dataDir, 'station.json');
    writeFileSync(configFile, JSON.stringify({
      stationId: this.opts.stationId, checkpointId: this.opts.checkpointId, province: this.opts.province, rootPublicKey: this.opts.rootPublicKey,
      dataDir: join(this.opts.dataDir, 'data'), scanners: scannerConfigs, server: { url: this.opts.serverUrl, credential: this.opts.credential },
    }, null, 2));
    // The same heap limits as `npm run station`; tsx instead of the build, so the demo starts without one.
    const child = spawn(process.execPath, ['--max-semi-space-size=2', '--max-old-space-size=128', '--import', 'tsx', STATION_MAIN, '--config', configFile], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((res) => child.once('exit', (code) => res(code)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const v = parseJson(line) as (VerdictLine & { type?: string }) | null;
      if (v && (v.type === undefined || v.type === 'verdict') && typeof v.scannerId === 'string') for (const l of this.listeners) l(v);
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      const entry = parseJson(line) as { level?: string; message?: string; scannerId?: string; id?: string; state?: string } | null;
      if (entry?.message === 'scanner state' && entry.state === 'connected') this.connected.add(entry.scannerId ?? entry.id ?? '');
      // warnings before the first sync (no trust list yet) are expected at every start: errors only
      else if (entry?.level === 'error' || !entry) this.opts.log?.(`${this.opts.stationId}: ${entry?.message ?? line}`);
    });
  }

  /** Resolves once both scanners are open and the station has applied its first snapshot. */
  async ready(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    // No event crosses the process boundary for these: poll the log-fed set and the station's own file (read-only, beside it in WAL).
    while (Date.now() < deadline) {
      if (this.child?.exitCode !== null) throw new Error(`station ${this.opts.stationId} exited with code ${this.child?.exitCode}`);
      if (this.connected.size >= LANES.length && (this.cursor() ?? 0) > 0) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`station ${this.opts.stationId} not ready within ${timeoutMs} ms (scanners ${this.connected.size}/${LANES.length}, cursor ${this.cursor()})`);
  }

  /** The station's sync cursor from its cache file; null before the file exists. */
  cursor(): number | null {
    try {
      const db = new Database(cachePathFor(join(this.opts.dataDir, 'data', STORE_FILE)), { readonly: true, fileMustExist: true });
      try {
        return (db.prepare('SELECT cursor FROM sync_state WHERE id = 1').pluck().get() as number | null | undefined) ?? null;
      } finally {
        db.close();
      }
    } catch {
      return null;
    }
  }

  /** Scan a code on the lane's scanner and resolve with the verdict the station printed. */
  async scanAndWait(code: string, direction: 'entry' | 'exit', timeoutMs = 10_000): Promise<VerdictLine> {
    const scanner = this.scanners.get(direction)!;
    // the scanner drops the same code again within its debounce window: wait it out, as an officer would
    const key = `${scanner.id}\n${code}`;
    const since = Date.now() - (this.lastScanAt.get(key) ?? 0);
    if (since < this.opts.debounceMs + 50) await new Promise((r) => setTimeout(r, this.opts.debounceMs + 50 - since));
    this.lastScanAt.set(key, Date.now());
    return new Promise((res, rej) => {
      const timer = setTimeout(() => {
        this.listeners.delete(on);
        rej(new Error(`${this.opts.stationId}: no verdict within ${timeoutMs} ms`));
      }, timeoutMs);
      const on = (v: VerdictLine) => {
        if (v.scannerId !== scanner.id) return;
        clearTimeout(timer);
        this.listeners.delete(on);
        res(v);
      };
      this.listeners.add(on);
      void scanner.virtual.scan(code);
    });
  }

  /** SIGTERM (the station stops cleanly), then the scanners' ptys. */
  async stop(): Promise<void> {
    if (this.child && this.child.exitCode === null) {
      this.child.kill('SIGTERM');
      const code = await Promise.race([this.exited, new Promise<'late'>((r) => setTimeout(() => r('late'), 10_000))]);
      if (code === 'late') this.child.kill('SIGKILL');
    }
    for (const s of this.scanners.values()) await s.virtual.stop();
  }
}

function parseJson(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return null;
  }
}
