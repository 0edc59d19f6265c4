import type { KeySuffix } from './config.js';
import { EV_KEY, EVDEV_KEY_CODES, KEY_CAPSLOCK, KEY_LEFTSHIFT, KEY_RIGHTSHIFT } from './evdev-keys.js';
import { SUFFIX_KEYS, usChar } from './us-keymap.js';

/**
 * The size of one `struct input_event` read from /dev/input/eventN.
 *
 * On 64-bit Linux (x86_64, aarch64) it is 24 bytes, native byte order (little-endian on both):
 *   offset  0  struct timeval time: tv_sec  (8 bytes, signed long)
 *   offset  8                       tv_usec (8 bytes, signed long)
 *   offset 16  __u16 type   (EV_KEY = 1, EV_SYN = 0, EV_MSC = 4, ...)
 *   offset 18  __u16 code   (the key number, e.g. KEY_A = 30)
 *   offset 20  __s32 value  (EV_KEY: 1 press, 0 release, 2 autorepeat)
 * On 32-bit ARM and x86 the two longs are 4 bytes each: 16 bytes a record, type at offset 8.
 */
export const INPUT_EVENT_SIZE_64 = 24;
export const INPUT_EVENT_SIZE_32 = 16;
export const NATIVE_INPUT_EVENT_SIZE = ['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'].includes(process.arch) ? INPUT_EVENT_SIZE_64 : INPUT_EVENT_SIZE_32;

export interface InputEvent {
  type: number;
  code: number;
  value: number;
}

/** The line end handed to framing when the scanner types its suffix key (the framer is set to CR). */
export const READ_END = '\r';

/**
 * input_event records (split across reads in any way) → the text a US keyboard would type, with each
 * suffix key (Enter, Tab, or either, by `keySuffix`) turned into CR. Shift is tracked from the Shift
 * keys' presses and releases and Caps Lock toggles on its press, from this device's own events: a
 * grabbed scanner's keys never change the desktop's Caps Lock, and the desktop's never reaches here.
 * Keys that type nothing (F-keys, arrows, Ctrl) are ignored. Pure: bytes in, text out.
 */
export class EvdevDecoder {
  private readonly pending: Buffer;
  private pendingLen = 0;
  private shiftDown = new Set<number>();
  private capsLock = false;
  private readonly suffixCodes: ReadonlySet<string>;
  private readonly recordSize: number;

  constructor(opts: { keySuffix: KeySuffix; recordSize?: number }) {
    this.recordSize = opts.recordSize ?? NATIVE_INPUT_EVENT_SIZE;
    this.pending = Buffer.alloc(this.recordSize);
    this.suffixCodes = new Set<string>(opts.keySuffix === 'any' ? [...SUFFIX_KEYS.enter, ...SUFFIX_KEYS.tab] : SUFFIX_KEYS[opts.keySuffix]);
  }

  /** Decode a chunk; returns the text it completed ('' when none). */
  push(chunk: Uint8Array): string {
    let out = '';
    let offset = 0;
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (this.pendingLen > 0) {
      const take = Math.min(this.recordSize - this.pendingLen, buf.length);
      buf.copy(this.pending, this.pendingLen, 0, take);
      this.pendingLen += take;
      offset = take;
      if (this.pendingLen < this.recordSize) return '';
      out += this.key(parseInputEvent(this.pending, 0, this.recordSize));
      this.pendingLen = 0;
    }
    for (; offset + this.recordSize <= buf.length; offset += this.recordSize) out += this.key(parseInputEvent(buf, offset, this.recordSize));
    if (offset < buf.length) {
      buf.copy(this.pending, 0, offset);
      this.pendingLen = buf.length - offset;
    }
    return out;
  }

  /** Forget a partial record and the modifier state, e.g. after the device was unplugged. */
  reset(): void {
    this.pendingLen = 0;
    this.shiftDown.clear();
    this.capsLock = false;
  }

  private key(e: InputEvent): string {
    if (e.type !== EV_KEY) return '';
    if (e.code === KEY_LEFTSHIFT || e.code === KEY_RIGHTSHIFT) {
      if (e.value === 0) this.shiftDown.delete(e.code);
      else this.shiftDown.add(e.code);
      return '';
    }
    if (e.value === 0) return '';
    if (e.code === KEY_CAPSLOCK) {
      if (e.value === 1) this.capsLock = !this.capsLock;
      return '';
    }
    const name = EVDEV_KEY_CODES[e.code];
    if (name === undefined) return '';
    if (this.suffixCodes.has(name)) return READ_END;
    return usChar(name, this.shiftDown.size > 0, this.capsLock) ?? '';
  }
}

/** One record at `offset`; the time fields are skipped (the station stamps reads with its own clock). */
export function parseInputEvent(buf: Buffer, offset: number, recordSize: number): InputEvent {
  const at = offset + (recordSize === INPUT_EVENT_SIZE_64 ? 16 : 8);
  return { type: buf.readUInt16LE(at), code: buf.readUInt16LE(at + 2), value: buf.readInt32LE(at + 4) };
}

/** Records as the kernel writes them (little-endian), with a time stamp in ms. */
export function encodeInputEvents(events: readonly InputEvent[], opts: { atMs?: number; recordSize?: number } = {}): Buffer {
  const size = opts.recordSize ?? NATIVE_INPUT_EVENT_SIZE;
  const out = Buffer.alloc(events.length * size);
  const ms = opts.atMs ?? Date.now();
  const sec = Math.floor(ms / 1000);
  const usec = Math.round((ms % 1000) * 1000);
  events.forEach((e, i) => {
    const o = i * size;
    if (size === INPUT_EVENT_SIZE_64) {
      out.writeBigInt64LE(BigInt(sec), o);
      out.writeBigInt64LE(BigInt(usec), o + 8);
    } else {
      out.writeInt32LE(sec | 0, o);
      out.writeInt32LE(usec, o + 4);
    }
    const at = o + (size === INPUT_EVENT_SIZE_64 ? 16 : 8);
    out.writeUInt16LE(e.type, at);
    out.writeUInt16LE(e.code, at + 2);
    out.writeInt32LE(e.value, at + 4);
  });
  return out;
}
