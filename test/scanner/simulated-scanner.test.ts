import { describe, expect, it } from 'vitest';
import { parseScannerConfig, ScannerConfigError } from '../../station/scanner/config.js';
import { listPorts } from '../../station/scanner/list-ports.js';
import type { ScanEvent } from '../../station/scanner/scanner-port.js';
import { SimulatedScanner } from '../../station/scanner/simulated-scanner.js';
import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function sim(extra: Record<string, unknown> = {}) {
  let now = 1_000;
  const scanner = new SimulatedScanner(parseScannerConfig({ id: 'sim1', path: 'sim:lane-1', lane: 'L1', direction: 'exit', ...extra }), { clock: () => now });
  const scans: ScanEvent[] = [];
  scanner.on('scan', (e) => scans.push(e));
  return { scanner, scans, advance: (ms: number) => (now += ms) };
}

describe('SimulatedScanner', () => {
  it('uses the same framing and debounce as the serial scanner', async () => {
    const { scanner, scans, advance } = sim({ suffix: 'crlf', debounceMs: 1000 });
    await scanner.start();
    scanner.inject('VNP1:A');
    scanner.inject('BC\r');
    scanner.inject('\n]Q1VNP1:ABC\r\n');
    advance(999);
    scanner.scan('VNP1:ABC');
    advance(1000);
    scanner.scan('VNP1:ABC', { aim: true });
    expect(scans.map((s) => s.kind === 'payload' && [s.payload, s.symbology, s.receivedAt])).toEqual([
      ['VNP1:ABC', null, 1000],
      ['VNP1:ABC', ']Q1', 2999],
    ]);
    expect(scanner.stats().suppressed).toBe(2);
    expect(scans[0]).toMatchObject({ scannerId: 'sim1', lane: 'L1', direction: 'exit' });
  });

  it('one unreadable per cause per debounce window, so a noise burst does not flood', async () => {
    const { scanner, scans } = sim();
    await scanner.start();
    for (let i = 0; i < 50; i++) scanner.inject(Uint8Array.of(0xff, 0x0d));
    expect(scans).toHaveLength(1);
    expect(scans[0]).toMatchObject({ kind: 'unreadable', cause: 'NOT_UTF8' });
  });

  it('unplug/replug emit state; reads while unplugged are lost; feedback is recorded when configured', async () => {
    const { scanner, scans } = sim({ feedback: {} });
    const states: string[] = [];
    scanner.on('state', (s) => states.push(s.state));
    await scanner.start();
    scanner.unplug();
    scanner.scan('LOST');
    scanner.replug();
    scanner.scan('FOUND');
    await scanner.feedback('good');
    expect(states).toEqual(['connected', 'unplugged', 'connected']);
    expect(scans.map((s) => s.kind === 'payload' && s.payload)).toEqual(['FOUND']);
    expect(scanner.feedbackReceived()).toEqual(['good']);
  });

  it('emits nothing before start or after stop', async () => {
    const { scanner, scans } = sim();
    scanner.scan('EARLY');
    await scanner.start();
    await scanner.stop();
    scanner.scan('LATE');
    expect(scans).toEqual([]);
  });
});

describe('parseScannerConfig', () => {
  it('fills defaults: auto suffix, optional AIM for QR, 1024 bytes, 1.5 s debounce, no feedback', () => {
    expect(parseScannerConfig({ id: 'a', path: '/dev/ttyACM0', lane: 'L1', direction: 'entry' })).toEqual({
      id: 'a', kind: 'serial', path: '/dev/ttyACM0', baudRate: 9600, suffix: 'auto', aim: 'optional', allowedSymbologies: ['Q'],
      maxLineLength: 1024, debounceMs: 1500, lane: 'L1', direction: 'entry', feedback: null, reopen: { minMs: 100, maxMs: 5000 },
      // the other kinds' settings, at their defaults and unused by a serial scanner
      keySuffix: 'any', grab: true, maxKeyGapMs: 35, minBurstLength: 8, facing: 'environment',
    });
  });
  it('feedback {} means Honeywell host ACK (ESC 7 / ESC 8)', () => {
    expect(parseScannerConfig({ id: 'a', path: 'p', lane: 'L1', direction: 'entry', feedback: {} }).feedback).toEqual({ good: '1b37', bad: '1b38' });
  });
  it('names the bad field', () => {
    expect(() => parseScannerConfig({ id: 'a', path: 'p', lane: 'L1', direction: 'entry', suffix: 'CRLF' }, 'scanners[2]')).toThrow(/scanners\[2\]\.suffix/);
    expect(() => parseScannerConfig({ id: 'a', path: 'p', lane: 'L1', direction: 'entry', feedback: { good: 'zz' } })).toThrow(ScannerConfigError);
    expect(() => parseScannerConfig({ id: 'a', path: 'p', lane: 'L1', direction: 'entry', reopen: { minMs: 500, maxMs: 100 } })).toThrow(/reopen/);
  });
});

describe('listPorts', () => {
  it('falls back to /dev/serial/by-id and tty{USB,ACM} when SerialPort.list fails (no udevadm)', async () => {
    const dev = await mkdtemp(join(tmpdir(), 'list-ports-'));
    try {
      await mkdir(join(dev, 'serial', 'by-id'), { recursive: true });
      await writeFile(join(dev, 'ttyACM0'), '');
      await writeFile(join(dev, 'ttyUSB3'), '');
      await writeFile(join(dev, 'ttyS0'), '');
      await symlink(join(dev, 'ttyACM0'), join(dev, 'serial', 'by-id', 'usb-Honeywell_1900-if00'));
      const ports = await listPorts({ devDir: dev, list: () => Promise.reject(new Error('spawn udevadm ENOENT')) });
      expect(ports.map((p) => [p.path, p.device])).toEqual([
        [join(dev, 'serial', 'by-id', 'usb-Honeywell_1900-if00'), join(dev, 'ttyACM0')],
        [join(dev, 'ttyUSB3'), join(dev, 'ttyUSB3')],
      ]);
    } finally {
      await rm(dev, { recursive: true, force: true });
    }
  });
});
