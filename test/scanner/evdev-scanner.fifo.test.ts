import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FifoKeyboard, UinputKeyboard, type VirtualKeyboard } from '../../hardware-sim/virtual-keyboard.js';
import type { ScannerState } from '../../shared/contracts/heartbeat.js';
import { parseScannerConfig } from '../../station/scanner/config.js';
import { createScanner } from '../../station/scanner/create.js';
import type { ScanEvent, ScannerPort } from '../../station/scanner/scanner-port.js';

// A real code's text: Base45 uses digits, capitals, space and $ % * + - . / :
const CODE = 'VNP1:6BFOXN*TS0BI$ZDZRH-PKB.6LZ%T3+U/ 9FN:';

const cleanup: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function rig(opts: { debounceMs?: number } = {}) {
  const dir = await mkdtemp(join(tmpdir(), 'evdev-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  const keyboard = await FifoKeyboard.start(join(dir, 'usb-Scanner-event-kbd'));
  cleanup.push(() => keyboard.stop());
  const scanner = createScanner(
    parseScannerConfig({ id: 'kbd', kind: 'evdev', path: keyboard.path, lane: 'L1', direction: 'entry', debounceMs: opts.debounceMs ?? 1500, reopen: { minMs: 20, maxMs: 100 } }),
    { watchdogMs: 20 },
  );
  const scans: ScanEvent[] = [];
  scanner.on('scan', (e) => scans.push(e));
  await scanner.start();
  cleanup.push(() => scanner.stop());
  return { dir, keyboard, scanner, scans };
}

function next<T>(scanner: ScannerPort, event: 'scan' | 'state', match: (v: T) => boolean, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no matching '${event}' within ${timeoutMs} ms`)), timeoutMs);
    const on = (v: T) => {
      if (!match(v)) return;
      clearTimeout(timer);
      scanner.off(event, on as never);
      resolve(v);
    };
    scanner.on(event, on as never);
  });
}

/** The path vanishes, the scanner says unplugged; the path returns, the scanner reconnects by itself. */
async function unplugAndReplug(keyboard: VirtualKeyboard, scanner: ScannerPort): Promise<void> {
    const gone = next<ScannerState>(scanner, 'state', (s) => s.state === 'unplugged');
    await keyboard.unplug();
    await gone;
    const back = next<ScannerState>(scanner, 'state', (s) => s.state === 'connected');
    await keyboard.replug();
    await back;
}

const payload = (e: ScanEvent) => (e.kind === 'payload' ? e.payload : `unreadable:${e.cause}`);

describe('evdev keyboard-wedge scanner over a FIFO of input_event records', () => {
  it('decodes a burst typed with Shift and one typed with Caps Lock on into the exact code', async () => {
    const { keyboard, scanner } = await rig();
    expect(scanner.state()).toMatchObject({ state: 'connected', kind: 'evdev' });
    let read = next<ScanEvent>(scanner, 'scan', () => true);
    await keyboard.type(CODE, { keyDelayMs: 1 });
    expect(payload(await read)).toBe(CODE);
    read = next<ScanEvent>(scanner, 'scan', () => true);
    await keyboard.type(CODE.toLowerCase().replace('vnp1', 'VNP2'), { capsLock: true, suffix: 'tab' });
    expect(payload(await read)).toBe(CODE.toLowerCase().replace('vnp1', 'VNP2'));
  });

  it('goes through the same framing and debounce as a serial line: a repeat inside the window is one read', async () => {
    const { keyboard, scanner, scans } = await rig();
    const health = next<ScanEvent>(scanner, 'scan', (e) => e.kind === 'payload' && e.payload === 'VNH1:ABC');
    await keyboard.type(CODE);
    await keyboard.type(CODE);
    await keyboard.type(']Q1' + 'VNH1:ABC');
    const h = await health;
    expect(h.kind === 'payload' && h.symbology).toBe(']Q1');
    expect(scans.map(payload)).toEqual([CODE, 'VNH1:ABC']);
  });

  it('notices the device vanishing and reads it again when it returns, without a restart', async () => {
    const { keyboard, scanner } = await rig({ debounceMs: 0 });
    await unplugAndReplug(keyboard, scanner);
    const read = next<ScanEvent>(scanner, 'scan', () => true);
    await keyboard.type(CODE);
    expect(payload(await read)).toBe(CODE);
  });

  it('drops a read cut by an unplug instead of gluing it to the next one', async () => {
    const { keyboard, scanner } = await rig({ debounceMs: 0 });
    await keyboard.type('VNP1:HALF', { suffix: 'none' });
    await unplugAndReplug(keyboard, scanner);
    const read = next<ScanEvent>(scanner, 'scan', () => true);
    await keyboard.type(CODE);
    expect(payload(await read)).toBe(CODE);
  });
});

const UINPUT = existsSync('/dev/uinput');
describe('evdev keyboard-wedge scanner on a real input device', () => {
  it.skipIf(!UINPUT)(
    UINPUT
      ? 'a /dev/uinput virtual keyboard is grabbed and decoded exactly'
      : 'a /dev/uinput virtual keyboard is grabbed and decoded exactly (skipped: this machine has no /dev/uinput)',
    async () => {
      const keyboard: VirtualKeyboard = await UinputKeyboard.start();
      cleanup.push(() => keyboard.stop());
      const scanner = createScanner(parseScannerConfig({ id: 'kbd', kind: 'evdev', path: keyboard.path, lane: 'L1', direction: 'entry' }));
      await scanner.start();
      cleanup.push(() => scanner.stop());
      const read = next<ScanEvent>(scanner, 'scan', () => true);
      await keyboard.type(CODE, { keyDelayMs: 2 });
      expect(payload(await read)).toBe(CODE);
    },
  );
});
