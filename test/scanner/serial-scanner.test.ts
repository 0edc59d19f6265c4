import { SerialPortMock } from 'serialport';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ScannerState } from '../../shared/contracts/heartbeat.js';
import { parseScannerConfig } from '../../station/scanner/config.js';
import type { ScanEvent } from '../../station/scanner/scanner-port.js';
import { SerialScanner } from '../../station/scanner/serial-scanner.js';

// SerialPortMock's own @serialport/binding-mock instance: an ESM import of the package would be a
// second copy (dual CJS/ESM package) with its own port table.
const MockBinding = SerialPortMock.binding;
const PATH = '/dev/serial/by-id/usb-Honeywell_Mock-if00';

/** A device that can vanish: the mock binding's port plus a path the watchdog sees or not. */
function harness(extra: Record<string, unknown> = {}) {
  let present = true;
  let device = 'usb-1';
  const ports: SerialPortMock[] = [];
  const config = parseScannerConfig({ id: 's1', path: PATH, lane: 'L1', direction: 'entry', suffix: 'cr', feedback: {}, reopen: { minMs: 10, maxMs: 40 }, ...extra });
  const scanner = new SerialScanner(config, {
    createPort: ({ path, baudRate }) => {
      const p = new SerialPortMock({ path, baudRate, autoOpen: false });
      ports.push(p);
      return p;
    },
    pathExists: async () => present,
    deviceId: async () => (present ? device : null),
    watchdogMs: 15,
  });
  const states: ScannerState['state'][] = [];
  const scans: ScanEvent[] = [];
  scanner.on('state', (s) => states.push(s.state));
  scanner.on('scan', (e) => scans.push(e));
  return {
    scanner, ports, states, scans,
    setPresent(v: boolean) { present = v; },
    setDevice(v: string) { device = v; },
    last: () => ports[ports.length - 1]!,
  };
}

function nextState(scanner: SerialScanner, want: ScannerState['state'], timeoutMs = 2000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { scanner.off('state', on); reject(new Error(`no '${want}' state within ${timeoutMs} ms`)); }, timeoutMs);
    const on = (s: ScannerState) => { if (s.state === want) { clearTimeout(timer); scanner.off('state', on); resolve(); } };
    scanner.on('state', on);
  });
}

function nextScan(scanner: SerialScanner, timeoutMs = 2000): Promise<ScanEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { scanner.off('scan', on); reject(new Error('no scan')); }, timeoutMs);
    const on = (e: ScanEvent) => { clearTimeout(timer); scanner.off('scan', on); resolve(e); };
    scanner.on('scan', on);
  });
}

describe('SerialScanner over @serialport/binding-mock', () => {
  beforeEach(() => MockBinding.createPort(PATH, { echo: false, record: true }));
  afterEach(() => MockBinding.reset());

  it('opens, frames data into scan events with its identity, and writes host-ACK feedback', async () => {
    const h = harness();
    await h.scanner.start();
    expect(h.scanner.state().state).toBe('connected');
    const scan = nextScan(h.scanner);
    h.last().port!.emitData(Buffer.from(']Q1VNP1:ABC\r'));
    expect(await scan).toMatchObject({ kind: 'payload', payload: 'VNP1:ABC', symbology: ']Q1', scannerId: 's1', lane: 'L1', direction: 'entry' });
    await h.scanner.feedback('good');
    await h.scanner.feedback('bad');
    expect(h.last().port!.recording.toString('hex')).toBe('1b371b38');
    await h.scanner.stop();
    expect(h.last().isOpen).toBe(false);
  });

  it('feedback is a no-op when the scanner has none configured', async () => {
    const h = harness({ feedback: null });
    await h.scanner.start();
    await h.scanner.feedback('good');
    expect(h.last().port!.recording.length).toBe(0);
    await h.scanner.stop();
  });

  it('starts unplugged when the device is absent and connects when it appears', async () => {
    const h = harness();
    h.setPresent(false);
    await h.scanner.start();
    expect(h.scanner.state().state).toBe('unplugged');
    const connected = nextState(h.scanner, 'connected');
    h.setPresent(true);
    await connected;
    await h.scanner.stop();
  });

  it('a close event (disconnect) → unplugged, port closed, reopened when the path is back', async () => {
    const h = harness();
    await h.scanner.start();
    const first = h.last();
    const unplugged = nextState(h.scanner, 'unplugged');
    h.setPresent(false);
    first._disconnected(Object.assign(new Error('device gone'), { disconnected: true }));
    await unplugged;
    expect(first.isOpen).toBe(false);
    const connected = nextState(h.scanner, 'connected');
    h.setPresent(true);
    await connected;
    expect(h.ports.length).toBeGreaterThanOrEqual(2);
    expect(h.last()).not.toBe(first);
    const scan = nextScan(h.scanner);
    h.last().port!.emitData(Buffer.from('AFTER\r'));
    expect(await scan).toMatchObject({ payload: 'AFTER' });
    await h.scanner.stop();
  });

  it('the watchdog notices a vanished path with no close event, closes the port (releasing its lock) and reopens', async () => {
    const h = harness();
    await h.scanner.start();
    const first = h.last();
    const unplugged = nextState(h.scanner, 'unplugged');
    h.setPresent(false); // the port itself stays "open": the Linux spin case
    await unplugged;
    expect(first.isOpen).toBe(false);
    const connected = nextState(h.scanner, 'connected');
    h.setPresent(true);
    await connected; // the mock refuses a second open of a locked port, so this proves the close came first
    expect(h.last().isOpen).toBe(true);
    expect(h.states).toEqual(['connected', 'unplugged', 'opening', 'connected']);
    await h.scanner.stop();
  });

  it('unplugged and plugged back between two watchdog checks (the path never seen missing, no close event): the new device is noticed and opened', async () => {
    const h = harness();
    await h.scanner.start();
    const first = h.last();
    const unplugged = nextState(h.scanner, 'unplugged');
    const connected = nextState(h.scanner, 'connected');
    h.setDevice('usb-2'); // the port itself stays "open" and the path never vanishes
    await unplugged;
    await connected;
    expect(first.isOpen).toBe(false);
    expect(h.ports).toHaveLength(2);
    expect(h.last().isOpen).toBe(true);
    expect(h.states).toEqual(['connected', 'unplugged', 'opening', 'connected']);
    await h.scanner.stop();
  });

  it('retries a failing open with backoff and reports error, not a crash', async () => {
    MockBinding.reset(); // path "exists" but the binding has no such port: every open fails
    const h = harness();
    await h.scanner.start();
    expect(h.scanner.state().state).toBe('error');
    await new Promise<void>((resolve) => { const t = setInterval(() => { if (h.ports.length >= 3) { clearInterval(t); resolve(); } }, 5); });
    const connected = nextState(h.scanner, 'connected');
    MockBinding.createPort(PATH, { echo: false, record: true });
    await connected;
    await h.scanner.stop();
  });

  it('a listener that throws does not break reading', async () => {
    const h = harness();
    h.scanner.on('scan', () => { throw new Error('listener bug'); });
    await h.scanner.start();
    const second = new Promise<void>((resolve) => h.scanner.on('scan', (e) => { if (e.kind === 'payload' && e.payload === 'B') resolve(); }));
    h.last().port!.emitData(Buffer.from('A\rB\r'));
    await second;
    expect(h.scans.map((s) => (s.kind === 'payload' ? s.payload : s.cause))).toEqual(['A', 'B']);
    await h.scanner.stop();
  });

  it('emits nothing after stop()', async () => {
    const h = harness();
    await h.scanner.start();
    await h.scanner.stop();
    const before = h.states.length;
    h.setPresent(false);
    await new Promise((r) => setTimeout(r, 60));
    expect(h.states.length).toBe(before);
  });
});
