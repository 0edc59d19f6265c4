import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseScannerConfig } from '../../station/scanner/config.js';
import { SerialScanner } from '../../station/scanner/serial-scanner.js';
import { sim, until, type ScanEvent } from './cli-process.js';

describe('npm run sim -- scenario over real socat ptys', () => {
  let dir: string;
  const cleanup: (() => Promise<unknown>)[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sim-scenario-pty-'));
  });
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
    await rm(dir, { recursive: true, force: true });
  });

  it('scenario: starts its scanners, runs scan/repeat/garbage/unplug/replug/wait steps, exits', async () => {
    await writeFile(join(dir, 'payload.txt'), '\nVNH1:FROM-FILE\n');
    await writeFile(join(dir, 'scenario.json'), JSON.stringify({
      steps: [
        { step: 'wait-ms', ms: 400 },
        { step: 'scan', scanner: 0, payload: 'FIRST', aim: true },
        { step: 'repeat', scanner: 0, payload: 'HELD', count: 5 },
        { step: 'garbage', scanner: 0, bytes: 2000 },
        { step: 'scan', scanner: 0, payload: 'RESYNC' }, // ends the noise's unterminated tail (and may be eaten by it)
        { step: 'scan', scanner: 0, payloadFile: 'payload.txt', suffix: 'lf' },
        { step: 'unplug', scanner: 0 },
        { step: 'replug', scanner: 0 },
        { step: 'wait-ms', ms: 600 },
        { step: 'scan', scanner: 0, payload: 'AFTER-REPLUG', suffix: 'crlf' },
        { step: 'wait-ms', ms: 200 },
      ],
    }));
    const path = join(dir, 'run', 'scanner-0');
    const scanner = new SerialScanner(parseScannerConfig({ id: 'c2', path, lane: 'L1', direction: 'entry', reopen: { minMs: 20, maxMs: 100 } }), { watchdogMs: 30 });
    const payloads: string[] = [];
    scanner.on('scan', (e) => { if (e.kind === 'payload') payloads.push(e.payload); });
    cleanup.push(() => scanner.stop());
    await scanner.start();
    const last = until<ScanEvent>(scanner, 'scan', (e) => e.kind === 'payload' && e.payload === 'AFTER-REPLUG', 15_000);
    const p = sim(['scenario', join(dir, 'scenario.json'), '--dir', join(dir, 'run')]);
    cleanup.push(async () => { if (p.child.exitCode === null) { p.child.kill('SIGINT'); await p.exited; } });
    await last;
    expect(await p.exited).toBe(0);
    // Random noise can itself frame as a short printable "payload"; only the scenario's own reads matter here.
    const known = new Set(['FIRST', 'HELD', 'VNH1:FROM-FILE', 'AFTER-REPLUG']);
    expect(payloads.filter((x) => known.has(x))).toEqual(['FIRST', 'HELD', 'VNH1:FROM-FILE', 'AFTER-REPLUG']);
    expect(p.lines).toContainEqual({ scenario: 'done' });
  });

  it('scenario: a bad step is refused with its index, before anything starts', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify([{ step: 'scan', scanner: 0, payload: 'X' }, { step: 'jump', scanner: 0 }]));
    const p = sim(['scenario', join(dir, 'bad.json')]);
    expect(await p.exited).toBe(2);
    expect(p.stderr()).toMatch(/step 1/);
  });
});
