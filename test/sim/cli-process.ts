import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { ScannerState } from '../../shared/contracts/heartbeat.js';
import type { ScanEvent } from '../../station/scanner/scanner-port.js';
import type { SerialScanner } from '../../station/scanner/serial-scanner.js';

/** Helpers for the CLI tests: run hardware-sim/cli.ts as a child process, await scanner events. */
const CLI = join(process.cwd(), 'hardware-sim', 'cli.ts');

/** The CLI as a child process; its stdout JSON lines come in order through next(). */
export function sim(args: string[]) {
  // node with tsx's loader rather than the tsx CLI, so SIGINT reaches the simulator itself: the CLI
  // relays a signal and SIGKILLs its child (exit 130/143) when the child has not reported it within 30 ms.
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { stdio: ['pipe', 'pipe', 'pipe'] }) as ChildProcessWithoutNullStreams;
  const lines: unknown[] = [];
  const waiters: (() => void)[] = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  createInterface({ input: child.stdout }).on('line', (l) => {
    try {
      lines.push(JSON.parse(l));
    } catch {
      lines.push({ text: l }); // --help is prose
    }
    waiters.splice(0).forEach((w) => w());
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child, exited, lines,
    stderr: () => stderr,
    /** The first line (from `from` on) matching `match`. */
    async line<T>(match: (l: T) => boolean, timeoutMs = 10_000): Promise<T> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = lines.find((l) => match(l as T));
        if (found) return found as T;
        if (Date.now() > deadline) throw new Error(`no matching line; got ${JSON.stringify(lines)} ${stderr}`);
        await Promise.race([new Promise<void>((r) => waiters.push(r)), exited, new Promise((r) => setTimeout(r, 200))]);
      }
    },
  };
}

export type StartLine = { dir: string; scanners: { index: number; stationPath: string; devicePath: string }[] };

export function until<T>(scanner: SerialScanner, event: 'scan' | 'state', match: (v: T) => boolean, timeoutMs = 8000): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (v: T) => {
      if (!match(v)) return;
      clearTimeout(timer);
      scanner.off(event, on as never);
      resolve(v);
    };
    const timer = setTimeout(() => reject(new Error(`no matching '${event}'`)), timeoutMs);
    scanner.on(event, on as never);
  });
}

export type { ScanEvent, ScannerState };
