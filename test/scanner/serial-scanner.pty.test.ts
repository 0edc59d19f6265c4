import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScannerState } from '../../shared/contracts/heartbeat.js';
import { simPaths, VirtualScanner, type SimSuffix } from '../../hardware-sim/virtual-scanner.js';
import { parseScannerConfig, type ScannerConfigInput } from '../../station/scanner/config.js';
import type { ScanEvent } from '../../station/scanner/scanner-port.js';
import { SerialScanner } from '../../station/scanner/serial-scanner.js';

/** The station's serial scanner and an emulated scanner joined by a real socat pty pair. */
async function rig(dir: string, name: string, config: Partial<ScannerConfigInput> = {}) {
  const device = await VirtualScanner.start(simPaths(dir, name));
  const scanner = new SerialScanner(
    parseScannerConfig({ id: name, path: device.stationPath, lane: 'L1', direction: 'entry', reopen: { minMs: 20, maxMs: 200 }, ...config }),
    { watchdogMs: 50 },
  );
  const scans: ScanEvent[] = [];
  const states: ScannerState['state'][] = [];
  scanner.on('scan', (e) => scans.push(e));
  scanner.on('state', (s) => states.push(s.state));
  await scanner.start();
  expect(scanner.state().state).toBe('connected');
  return { device, scanner, scans, states };
}

function until<T>(scanner: SerialScanner, event: 'scan' | 'state', match: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const on = (v: T) => {
      if (!match(v)) return;
      clearTimeout(timer);
      scanner.off(event, on as never);
      resolve(v);
    };
    const timer = setTimeout(() => {
      scanner.off(event, on as never);
      reject(new Error(`no matching '${event}' within ${timeoutMs} ms`));
    }, timeoutMs);
    scanner.on(event, on as never);
  });
}
const payloadIs = (p: string) => (e: ScanEvent) => e.kind === 'payload' && e.payload === p;
const stateIs = (s: ScannerState['state']) => (v: ScannerState) => v.state === s;

describe('SerialScanner over a real socat pty', () => {
  let dir: string;
  const cleanup: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scanner-pty-'));
  });
  afterEach(async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
    await rm(dir, { recursive: true, force: true });
  });
  async function make(name: string, config: Partial<ScannerConfigInput> = {}) {
    const r = await rig(dir, name, config);
    cleanup.push(() => r.device.stop(), () => r.scanner.stop());
    return r;
  }

  const cases: [SimSuffix, 'cr' | 'lf' | 'crlf' | 'auto'][] = [['cr', 'cr'], ['lf', 'lf'], ['crlf', 'crlf'], ['cr', 'auto'], ['crlf', 'auto']];
  for (const [sent, configured] of cases) {
    it(`a ${sent.toUpperCase()} scanner configured '${configured}' reads both codes exactly`, async () => {
      const { device, scanner, scans } = await make(`s-${sent}-${configured}`, { suffix: configured });
      const second = until(scanner, 'scan', payloadIs('VNH1:SECOND'));
      await device.scan('VNP1:FIRST 1', { suffix: sent, aim: true });
      await device.scan('VNH1:SECOND', { suffix: sent });
      await second;
      expect(scans.map((s) => (s.kind === 'payload' ? [s.payload, s.symbology] : [s.cause]))).toEqual([['VNP1:FIRST 1', ']Q1'], ['VNH1:SECOND', null]]);
    });
  }

  it('paced at 9600 baud, a read still arrives whole', async () => {
    const { device, scanner } = await make('paced', { suffix: 'cr' });
    const got = until(scanner, 'scan', payloadIs('PACED-' + 'x'.repeat(40)));
    await device.scan('PACED-' + 'x'.repeat(40), { baudRate: 9600 });
    await got;
  });

  it('1 MB of random bytes then a valid line: the line is read and the line buffer stayed bounded', async () => {
    const { device, scanner } = await make('noise', { maxLineLength: 1024 });
    const valid = until(scanner, 'scan', payloadIs('VNP1:AFTER-NOISE'), 10_000);
    await device.garbage(1024 * 1024);
    await device.scan('\rVNP1:AFTER-NOISE');
    await valid;
    const stats = scanner.stats();
    expect(stats.peakBufferedBytes).toBeLessThanOrEqual(1024);
    expect(stats.unreadable).toBeGreaterThan(0);
    expect(scanner.state().state).toBe('connected');
  });

  it('ten repeated reads inside the debounce window give one scan event', async () => {
    const { device, scanner, scans } = await make('repeat', { debounceMs: 1500 });
    const marker = until(scanner, 'scan', payloadIs('VNP1:MARKER'));
    await device.repeat('VNP1:HELD', 10);
    await device.scan('VNP1:MARKER'); // everything before it has been framed once the marker arrives
    await marker;
    expect(scans.filter((s) => s.kind === 'payload' && s.payload === 'VNP1:HELD')).toHaveLength(1);
    expect(scanner.stats().suppressed).toBe(9);
  });

  it('unplug then replug: unplugged, then connected, and the next scan arrives with no restart', async () => {
    const { device, scanner, states } = await make('plug');
    const unplugged = until(scanner, 'state', stateIs('unplugged'));
    await device.unplug();
    await unplugged;
    const connected = until(scanner, 'state', stateIs('connected'));
    await device.replug();
    await connected;
    const after = until(scanner, 'scan', payloadIs('VNP1:AFTER-REPLUG'));
    await device.scan('VNP1:AFTER-REPLUG');
    await after;
    expect(states.slice(-2)).toEqual(['opening', 'connected']);
    expect(states).toContain('unplugged');
  });

  it('feedback bytes written by the station arrive at the emulated scanner', async () => {
    const { device, scanner } = await make('ack', { feedback: {} });
    await scanner.feedback('good');
    await scanner.feedback('bad');
    expect((await device.waitForReceived(4)).toString('hex')).toBe('1b371b38');
  });

  it('custom feedback bytes per model', async () => {
    const { device, scanner } = await make('ack2', { feedback: { good: '07', bad: '0707' } });
    await scanner.feedback('bad');
    expect((await device.waitForReceived(2)).toString('hex')).toBe('0707');
  });

  it('a path absent at start: the scanner waits unplugged and connects when the device appears', async () => {
    const paths = simPaths(dir, 'late');
    const scanner = new SerialScanner(parseScannerConfig({ id: 'late', path: paths.stationPath, lane: 'L2', direction: 'exit' }), { watchdogMs: 50 });
    cleanup.push(() => scanner.stop());
    await scanner.start();
    expect(scanner.state().state).toBe('unplugged');
    const connected = until(scanner, 'state', stateIs('connected'));
    const device = await VirtualScanner.start(paths);
    cleanup.push(() => device.stop());
    await connected;
    const read = until<ScanEvent>(scanner, 'scan', payloadIs('LATE'));
    await device.scan('LATE');
    expect(await read).toMatchObject({ lane: 'L2', direction: 'exit' });
  });
});
