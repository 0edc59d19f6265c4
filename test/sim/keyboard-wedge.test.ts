import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { KeyboardWedgeScanner } from '../../hardware-sim/keyboard-wedge.js';
import { SimPanel } from '../../hardware-sim/panel/panel.js';
import { parseScannerConfig } from '../../station/scanner/config.js';
import { createScanner } from '../../station/scanner/create.js';
import type { SerialScanner } from '../../station/scanner/serial-scanner.js';
import { sim, until, type ScanEvent, type ScannerState } from './cli-process.js';

const CODE = 'VNP1:KEY BOARD$%*+-./:09';

describe('simulated keyboard-wedge scanners (input_event records into a FIFO)', () => {
  let dir: string;
  const cleanup: (() => Promise<unknown>)[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-keyboard-'));
  });
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
    await rm(dir, { recursive: true, force: true });
  });

  async function stationReading(path: string): Promise<SerialScanner> {
    const scanner = createScanner(parseScannerConfig({ id: 'kbd', kind: 'evdev', path, lane: 'L1', direction: 'entry', debounceMs: 0, reopen: { minMs: 20, maxMs: 100 } }), { watchdogMs: 30 }) as SerialScanner;
    await scanner.start();
    cleanup.push(() => scanner.stop());
    return scanner;
  }

  it('npm run sim -- start --keyboards: types reads, noise, unplug and replug from stdin commands', async () => {
    const p = sim(['start', '--count', '0', '--keyboards', '1', '--caps-lock', '--dir', dir]);
    cleanup.push(async () => { if (p.child.exitCode === null) { p.child.kill('SIGINT'); await p.exited; } });
    const started = await p.line<{ keyboards?: { index: number; kind: string; stationPath: string }[] }>((l) => 'keyboards' in l);
    expect(started.keyboards).toEqual([{ index: 0, kind: 'evdev', stationPath: join(dir, 'keyboard-0') }]);
    const scanner = await stationReading(started.keyboards![0]!.stationPath);
    const read = until<ScanEvent>(scanner, 'scan', (e) => e.kind === 'payload');
    p.child.stdin.write(`scan 0 ${CODE}\n`);
    expect(await read).toMatchObject({ payload: CODE });
    const noise = until<ScanEvent>(scanner, 'scan', () => true);
    p.child.stdin.write('garbage 0 20\n');
    p.child.stdin.write(`scan 0 ${CODE}-2\n`);
    // Random keys then a read: the noise runs into the read's line, which the engine will find unreadable as a code.
    expect((await noise).kind).toBe('payload');
    const gone = until<ScannerState>(scanner, 'state', (s) => s.state === 'unplugged');
    p.child.stdin.write('unplug 0\n');
    await gone;
    const back = until<ScannerState>(scanner, 'state', (s) => s.state === 'connected');
    p.child.stdin.write('replug 0\n');
    await back;
    const again = until<ScanEvent>(scanner, 'scan', (e) => e.kind === 'payload' && e.payload === CODE);
    p.child.stdin.write(`scan 0 ${CODE}\n`);
    await again;
  });

  it('the simulator panel lists a keyboard-wedge scanner with its kind and scans, unplugs and replugs it', async () => {
    const keyboard = await KeyboardWedgeScanner.start({ fifo: join(dir, 'keyboard-0') });
    cleanup.push(() => keyboard.stop());
    const panel = new SimPanel({ port: 0, scanners: [{ id: 'wedge-1', scanner: keyboard, lane: 'L1', direction: 'entry' }] });
    const url = await panel.start();
    cleanup.push(() => panel.stop());
    const scanner = await stationReading(keyboard.stationPath);
    const post = (path: string, body: unknown) => fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    expect(await (await fetch(url + '/api/scanners')).json()).toMatchObject([{ id: 'wedge-1', kind: 'evdev', stationPath: keyboard.stationPath, plugged: true }]);
    const read = until<ScanEvent>(scanner, 'scan', () => true);
    expect((await post('/api/scan', { scanner: 'wedge-1', code: CODE, aim: true })).status).toBe(200);
    expect(await read).toMatchObject({ payload: CODE, symbology: ']Q1' });
    const gone = until<ScannerState>(scanner, 'state', (s) => s.state === 'unplugged');
    expect((await post('/api/unplug', { scanner: 'wedge-1' })).status).toBe(200);
    await gone;
    expect((await post('/api/scan', { scanner: 'wedge-1', code: CODE })).status).toBe(409);
    const back = until<ScannerState>(scanner, 'state', (s) => s.state === 'connected');
    expect((await post('/api/replug', { scanner: 'wedge-1' })).status).toBe(200);
    await back;
  });
});
