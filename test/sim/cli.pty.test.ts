import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseScannerConfig } from '../../station/scanner/config.js';
import { SerialScanner } from '../../station/scanner/serial-scanner.js';
import { sim, until, type ScanEvent, type ScannerState, type StartLine } from './cli-process.js';

describe('npm run sim (hardware-sim/cli.ts) over real socat ptys', () => {
  let dir: string;
  const cleanup: (() => Promise<unknown>)[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-cli-pty-'));
  });
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
    await rm(dir, { recursive: true, force: true });
  });

  it('--help describes the commands; an unknown command is a usage error', async () => {
    const help = sim(['--help']);
    const bad = sim(['frobnicate']); // both at once: each tsx start costs a second or two
    expect(await help.exited).toBe(0);
    expect(help.lines).toContainEqual({ text: expect.stringMatching(/npm run sim -- make-samples --out DIR/) });
    expect(await bad.exited).toBe(2);
    expect(bad.stderr()).toMatch(/unknown command frobnicate/);
  });

  it('start: prints paths, takes stdin commands, shows feedback, cleans up on SIGINT', async () => {
    const p = sim(['start', '--count', '2', '--dir', join(dir, 'sims')]);
    cleanup.push(async () => { if (p.child.exitCode === null) { p.child.kill('SIGINT'); await p.exited; } });
    const started = await p.line<StartLine>((l) => 'scanners' in l);
    expect(started.scanners.map((s) => s.stationPath)).toEqual([join(dir, 'sims', 'scanner-0'), join(dir, 'sims', 'scanner-1')]);

    const scanner = new SerialScanner(parseScannerConfig({ id: 'c1', path: started.scanners[1]!.stationPath, lane: 'L1', direction: 'entry', feedback: {} }), { watchdogMs: 50 });
    cleanup.push(() => scanner.stop());
    await scanner.start();
    const read = until<ScanEvent>(scanner, 'scan', (e) => e.kind === 'payload' && e.payload === 'VNP1:WITH SPACES $%*');
    p.child.stdin.write('scan 1 VNP1:WITH SPACES $%*\n');
    await read;

    await scanner.feedback('bad');
    await p.line<{ event?: string; scanner?: number; hex?: string }>((l) => l.event === 'feedback' && l.scanner === 1 && l.hex === '1b38');

    // `scan --path` writes to the device end that `start` holds open.
    const aim = until<ScanEvent>(scanner, 'scan', (e) => e.kind === 'payload' && e.payload === 'FROM-SCAN-CMD');
    const one = sim(['scan', '--path', started.scanners[1]!.devicePath, '--payload', 'FROM-SCAN-CMD', '--aim', '--suffix', 'crlf']);
    expect(await one.exited).toBe(0);
    expect(await aim).toMatchObject({ symbology: ']Q1' });

    p.child.stdin.write('frob 1\n');
    await p.line<{ error?: string }>((l) => typeof l.error === 'string');

    const unplugged = until<ScannerState>(scanner, 'state', (s) => s.state === 'unplugged');
    p.child.stdin.write('unplug 1\n');
    await unplugged;
    const connected = until<ScannerState>(scanner, 'state', (s) => s.state === 'connected');
    p.child.stdin.write('replug 1\n');
    await connected;

    p.child.kill('SIGINT');
    expect(await p.exited).toBe(0);
    await expect(stat(started.scanners[0]!.stationPath)).rejects.toThrow();
  });
});
