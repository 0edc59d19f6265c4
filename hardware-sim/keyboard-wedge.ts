import { randomInt } from 'node:crypto';
import { EV_KEY, EV_SYN, EVDEV_KEY_CODES, SYN_REPORT } from '../station/scanner/evdev-keys.js';
import type { InputEvent } from '../station/scanner/evdev-decoder.js';
import type { ScanOptions } from './virtual-scanner.js';
import { FifoKeyboard, UinputKeyboard, type VirtualKeyboard } from './virtual-keyboard.js';

/**
 * What the simulator's command line and panel do with a simulated scanner of any kind: the serial
 * VirtualScanner has it, and so does the keyboard-wedge scanner below.
 */
export interface SimDevice {
  readonly kind: 'serial' | 'evdev';
  readonly stationPath: string;
  readonly plugged: boolean;
  scan(payload: string, opts?: ScanOptions): Promise<void>;
  repeat(payload: string, n: number, opts?: ScanOptions & { intervalMs?: number }): Promise<void>;
  garbage(bytes: number): Promise<unknown>;
  /** end the current line now, as the scanner's suffix does */
  terminate(): Promise<void>;
  received(): Buffer;
  unplug(): Promise<void>;
  replug(): Promise<void>;
  stop(): Promise<void>;
}

export interface KeyboardWedgeOptions {
  /** time between keys, ms (default 0: a whole read at once, fine for a FIFO; 5 is a real scanner's pace) */
  keyDelayMs?: number;
  /** type with Caps Lock on, as some scanners are set up */
  capsLock?: boolean;
  suffix?: 'enter' | 'tab';
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const TYPABLE_KEYS = Object.keys(EVDEV_KEY_CODES).map(Number);

/**
 * A simulated USB keyboard-wedge scanner: each read is typed as input_event records (key presses with
 * Shift, then Enter or Tab) into a FIFO the station's `evdev` scanner reads, or, with `uinput`, into
 * a real virtual keyboard (/dev/input/eventN) that the station can grab or that types into the focused
 * window, e.g. the officer screen in a browser. It has no host commands: received() is always empty.
 */
export class KeyboardWedgeScanner implements SimDevice {
  readonly kind = 'evdev';
  private isPlugged = true;

  private constructor(private readonly keyboard: VirtualKeyboard, private readonly opts: KeyboardWedgeOptions) {}

  static async start(where: { fifo: string } | { uinput: true }, opts: KeyboardWedgeOptions = {}): Promise<KeyboardWedgeScanner> {
    const keyboard = 'fifo' in where ? await FifoKeyboard.start(where.fifo) : await UinputKeyboard.start();
    return new KeyboardWedgeScanner(keyboard, opts);
  }

  get stationPath(): string {
    return this.keyboard.path;
  }

  get plugged(): boolean {
    return this.isPlugged;
  }

  scan(payload: string, opts: ScanOptions = {}): Promise<void> {
    const aim = opts.aim === true ? ']Q1' : opts.aim || '';
    return this.keyboard.type(aim + payload, { keyDelayMs: this.opts.keyDelayMs ?? 0, capsLock: this.opts.capsLock ?? false, suffix: this.opts.suffix ?? 'enter' });
  }

  async repeat(payload: string, n: number, opts: ScanOptions & { intervalMs?: number } = {}): Promise<void> {
    for (let i = 0; i < n; i++) {
      if (i > 0) await sleep(opts.intervalMs ?? 100);
      await this.scan(payload, opts);
    }
  }

  /** `n` random key presses (not a real read: what a confused device or a cat on the keyboard gives). */
  async garbage(n: number): Promise<InputEvent[]> {
    const events: InputEvent[] = [];
    for (let i = 0; i < n; i++) {
      const code = TYPABLE_KEYS[randomInt(TYPABLE_KEYS.length)]!;
      events.push({ type: EV_KEY, code, value: 1 }, { type: EV_KEY, code, value: 0 }, { type: EV_SYN, code: SYN_REPORT, value: 0 });
    }
    await this.keyboard.writeEvents(events);
    return events;
  }

  terminate(): Promise<void> {
    return this.keyboard.type('', { suffix: this.opts.suffix ?? 'enter' });
  }

  received(): Buffer {
    return Buffer.alloc(0);
  }

  async unplug(): Promise<void> {
    await this.keyboard.unplug();
    this.isPlugged = false;
  }

  async replug(): Promise<void> {
    await this.keyboard.replug();
    this.isPlugged = true;
  }

  stop(): Promise<void> {
    return this.keyboard.stop();
  }
}
