import { spawn, type ChildProcess } from 'node:child_process';
import { lstat, unlink } from 'node:fs/promises';

export interface PtyPairOptions {
  /** Link the station opens, like /dev/serial/by-id/... of a real scanner. */
  stationPath: string;
  /** Link the emulated scanner writes to. */
  devicePath: string;
  /** Default 'socat' from PATH. */
  socat?: string;
  /** Longest wait for socat to create both links, ms (default 5000). */
  readyTimeoutMs?: number;
}

const live = new Set<ChildProcess>();
let exitHookInstalled = false;

/** A socat that outlives us would keep the links (and a tester's station) busy: kill ours on exit. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of live) child.kill('SIGKILL');
  });
}

/**
 * A pseudo-terminal pair made by socat: bytes written at one link come out at the other. The station
 * opens `stationPath` exactly like a real serial device. Unplug = stop() (socat removes both links);
 * replug = start() again with the same paths.
 */
export class PtyPair {
  readonly stationPath: string;
  readonly devicePath: string;
  private readonly socat: string;
  private readonly readyTimeoutMs: number;
  private child: ChildProcess | null = null;
  private exited: Promise<void> | null = null;
  /** The /dev/pts/N devices behind the links while running. */
  ptys: string[] = [];

  constructor(opts: PtyPairOptions) {
    this.stationPath = opts.stationPath;
    this.devicePath = opts.devicePath;
    this.socat = opts.socat ?? 'socat';
    this.readyTimeoutMs = opts.readyTimeoutMs ?? 5000;
  }

  get running(): boolean {
    return this.child !== null;
  }

  /** Start socat and resolve once both links exist. Rejects with socat's own words if it fails. */
  async start(): Promise<void> {
    if (this.child) return;
    // A socat killed with SIGKILL leaves its links behind; a stale link would make the station open nothing.
    await Promise.all([removeStaleLink(this.stationPath), removeStaleLink(this.devicePath)]);
    installExitHook();
    const child = spawn(
      this.socat,
      ['-d', '-d', `pty,raw,echo=0,link=${this.stationPath}`, `pty,raw,echo=0,link=${this.devicePath}`],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    this.child = child;
    live.add(child);
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    void this.exited.then(() => {
      live.delete(child);
      if (this.child === child) this.child = null;
    });
    let log = '';
    const ptys: string[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`socat did not set up ${this.stationPath} within ${this.readyTimeoutMs} ms: ${log.trim()}`)), this.readyTimeoutMs);
        const finish = (err?: Error) => {
          clearTimeout(timer);
          if (err) reject(err);
          else resolve();
        };
        child.once('error', (err) => finish(new Error(`cannot run socat: ${err.message}`)));
        child.once('exit', (code, signal) => finish(new Error(`socat exited (${signal ?? code}) before the pty pair was ready: ${log.trim()}`)));
        child.stderr!.setEncoding('utf8');
        child.stderr!.on('data', (text: string) => {
          log = (log + text).slice(-4000); // keep draining socat's log, but only its tail
          for (const m of text.matchAll(/PTY is (\/dev\/\S+)/g)) ptys.push(m[1]!);
          // socat prints this after both addresses are open, i.e. after both links were made.
          if (/starting data transfer loop/.test(text)) finish();
        });
      });
      await Promise.all([lstat(this.stationPath), lstat(this.devicePath)]);
      this.ptys = ptys;
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  /** Stop socat and wait for it to exit; its links are gone afterwards. */
  async stop(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await this.exited;
      clearTimeout(killer);
    }
    this.child = null;
    this.ptys = [];
    await Promise.all([removeStaleLink(this.stationPath), removeStaleLink(this.devicePath)]);
  }
}

async function removeStaleLink(path: string): Promise<void> {
  try {
    if ((await lstat(path)).isSymbolicLink()) await unlink(path);
  } catch {
    // absent: nothing to remove
  }
}

/** True when socat can be run here (the demo falls back to in-process simulated scanners otherwise). */
export function socatAvailable(socat = 'socat'): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(socat, ['-V'], { stdio: 'ignore' });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}
