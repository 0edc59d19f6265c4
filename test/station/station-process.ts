import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MAIN = 'station/main.ts';

export type Line = Record<string, unknown>;

/** `npm run station -- ...` as one node process (tsx as a loader, so a signal reaches the station itself). */
export function runStationSync(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 20_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A running station process with its stdout verdict lines and stderr log lines parsed as they come. */
export class StationProcess {
  readonly child: ChildProcess;
  readonly out: Line[] = [];
  readonly logs: Line[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: (() => void)[] = [];

  constructor(args: string[]) {
    this.child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
    const collect = (stream: NodeJS.ReadableStream, into: Line[]) =>
      createInterface({ input: stream }).on('line', (line) => {
        try {
          into.push(JSON.parse(line) as Line);
        } catch {
          into.push({ raw: line });
        }
        for (const w of this.waiters) w();
      });
    collect(this.child.stdout!, this.out);
    collect(this.child.stderr!, this.logs);
  }

  /** Resolve when `test` holds, checked on every new line; reject on timeout or exit. */
  waitFor(test: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    if (test()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        this.waiters = this.waiters.filter((w) => w !== check);
        if (err) reject(err);
        else resolve();
      };
      const check = () => {
        if (test()) done();
      };
      const timer = setTimeout(() => done(new Error(`timed out waiting for ${what}; last logs: ${JSON.stringify(this.logs.slice(-5))}`)), timeoutMs);
      this.waiters.push(check);
      void this.exited.then(() => setImmediate(() => {
        if (!test()) done(new Error(`station exited while waiting for ${what}; logs: ${JSON.stringify(this.logs.slice(-5))}`));
      }));
    });
  }

  verdicts(): Line[] {
    return this.out.filter((l) => l.type === 'verdict');
  }

  async started(): Promise<void> {
    await this.waitFor(() => this.logs.some((l) => l.message === 'station started'), 'the station to start');
  }

  kill(signal: NodeJS.Signals): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
  }
}
