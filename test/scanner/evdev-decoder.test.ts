import { describe, expect, it } from 'vitest';
import { EvdevDecoder, encodeInputEvents, INPUT_EVENT_SIZE_32, INPUT_EVENT_SIZE_64, parseInputEvent, type InputEvent } from '../../station/scanner/evdev-decoder.js';

// A recording as a keyboard-wedge scanner sends it, written out key by key (evdev key numbers from
// linux/input-event-codes.h, not from the station's own tables): EV_MSC scan codes and SYN reports
// between keys, as a USB HID keyboard's events come.
const SYN = { type: 0, code: 0, value: 0 };
const MSC = { type: 4, code: 4, value: 0x70004 };
const K = (code: number, value: number) => [MSC, { type: 1, code, value }, SYN];
const tap = (code: number) => [...K(code, 1), ...K(code, 0)];
const shifted = (code: number, shift = 42) => [...K(shift, 1), ...tap(code), ...K(shift, 0)];
const KEY = { A: 30, B: 48, C: 46, V: 47, N: 49, P: 25, Z: 44, D1: 2, D4: 5, D5: 6, D8: 9, D0: 11, MINUS: 12, EQUAL: 13, SEMI: 39, DOT: 52, SLASH: 53, SPACE: 57, ENTER: 28, TAB: 15, CAPS: 58, F1: 59, LEFT: 105, KPASTERISK: 55, KPPLUS: 78 };

/** "VNP1: $%*+-./ Ab" then Enter: Shift (left and right), digits, every Base45 symbol, space, Caps Lock. */
const RECORDING: InputEvent[] = [
  ...shifted(KEY.V), ...shifted(KEY.N), ...shifted(KEY.P, 54), ...tap(KEY.D1), ...shifted(KEY.SEMI),
  ...tap(KEY.SPACE), ...shifted(KEY.D4), ...shifted(KEY.D5), ...shifted(KEY.D8), ...shifted(KEY.EQUAL), ...tap(KEY.MINUS), ...tap(KEY.DOT), ...tap(KEY.SLASH),
  ...tap(KEY.SPACE),
  // Caps Lock on: A without Shift is upper case, B with Shift lower case; digits and symbols are unchanged by it.
  ...tap(KEY.CAPS), ...tap(KEY.A), ...shifted(KEY.B), ...tap(KEY.D0), ...shifted(KEY.D4), ...tap(KEY.CAPS),
  // Keys that type nothing are ignored.
  ...tap(KEY.F1), ...tap(KEY.LEFT),
  ...tap(KEY.ENTER),
];
const EXPECTED = 'VNP1: $%*+-./ Ab0$\r';

describe('evdev input_event decoding (US keymap)', () => {
  it('decodes a recorded stream exactly: Shift, Caps Lock, digits, : $ % * + - . / and space, Enter', () => {
    const d = new EvdevDecoder({ keySuffix: 'any', recordSize: INPUT_EVENT_SIZE_64 });
    expect(d.push(encodeInputEvents(RECORDING, { recordSize: INPUT_EVENT_SIZE_64 }))).toBe(EXPECTED);
  });

  it('decodes the same whatever the reads split the records into', () => {
    const bytes = encodeInputEvents(RECORDING, { recordSize: INPUT_EVENT_SIZE_64 });
    for (const step of [1, 5, 23, 25, 24 * 3 + 7]) {
      const d = new EvdevDecoder({ keySuffix: 'any', recordSize: INPUT_EVENT_SIZE_64 });
      let out = '';
      for (let i = 0; i < bytes.length; i += step) out += d.push(bytes.subarray(i, i + step));
      expect(out, `chunks of ${step} bytes`).toBe(EXPECTED);
    }
  });

  it('reads the 24-byte 64-bit layout: type at 16, code at 18, value at 20, after the timeval', () => {
    const rec = encodeInputEvents([{ type: 1, code: 30, value: -1 }], { atMs: 1_700_000_000_123, recordSize: INPUT_EVENT_SIZE_64 });
    expect(rec.length).toBe(24);
    expect(rec.readBigInt64LE(0)).toBe(1_700_000_000n);
    expect(rec.readBigInt64LE(8)).toBe(123_000n);
    expect([rec.readUInt16LE(16), rec.readUInt16LE(18), rec.readInt32LE(20)]).toEqual([1, 30, -1]);
    expect(parseInputEvent(rec, 0, 24)).toEqual({ type: 1, code: 30, value: -1 });
  });

  it('reads 16-byte records of 32-bit machines when told to', () => {
    const d = new EvdevDecoder({ keySuffix: 'any', recordSize: INPUT_EVENT_SIZE_32 });
    expect(d.push(encodeInputEvents([...shifted(KEY.Z), ...tap(KEY.ENTER)], { recordSize: INPUT_EVENT_SIZE_32 }))).toBe('Z\r');
  });

  it('ends a read on the configured suffix key only; keypad * and + type their symbols', () => {
    const events = encodeInputEvents([...tap(KEY.KPASTERISK), ...tap(KEY.KPPLUS), ...tap(KEY.TAB), ...tap(KEY.C), ...tap(KEY.ENTER)], { recordSize: 24 });
    expect(new EvdevDecoder({ keySuffix: 'tab', recordSize: 24 }).push(events)).toBe('*+\rc');
    expect(new EvdevDecoder({ keySuffix: 'enter', recordSize: 24 }).push(events)).toBe('*+c\r');
    expect(new EvdevDecoder({ keySuffix: 'any', recordSize: 24 }).push(events)).toBe('*+\rc\r');
  });

  it('types an autorepeated key again, and a Shift held across keys shifts each of them', () => {
    const events = [...K(42, 1), ...K(KEY.A, 1), ...K(KEY.A, 2), ...K(KEY.A, 0), ...tap(KEY.B), ...K(42, 0), ...tap(KEY.C)];
    expect(new EvdevDecoder({ keySuffix: 'any', recordSize: 24 }).push(encodeInputEvents(events, { recordSize: 24 }))).toBe('AABc');
  });

  it('forgets a half record and the modifiers on reset (an unplug mid-read)', () => {
    const d = new EvdevDecoder({ keySuffix: 'any', recordSize: 24 });
    const bytes = encodeInputEvents([...K(42, 1), ...tap(KEY.CAPS)], { recordSize: 24 });
    d.push(bytes.subarray(0, bytes.length - 10));
    d.reset();
    expect(d.push(encodeInputEvents(tap(KEY.A), { recordSize: 24 }))).toBe('a');
  });
});
