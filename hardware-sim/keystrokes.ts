import { EV_KEY, EV_SYN, EVDEV_KEY_NUMBERS, KEY_CAPSLOCK, KEY_LEFTSHIFT, SYN_REPORT } from '../station/scanner/evdev-keys.js';
import type { InputEvent } from '../station/scanner/evdev-decoder.js';
import { US_KEYMAP } from '../station/scanner/us-keymap.js';

export interface TypingOptions {
  /** the key typed after the text (default enter) */
  suffix?: 'enter' | 'tab' | 'none';
  /**
   * Type with Caps Lock on, as scanners set to "caps lock on" do: the burst starts by pressing Caps
   * Lock, letters then need Shift for lowercase only, and Caps Lock is pressed again at the end.
   */
  capsLock?: boolean;
}

/** One physical key and whether Shift is held, for each character a US keyboard can type. */
export interface Keystroke {
  code: string;
  shift: boolean;
}

const BY_CHAR = new Map<string, Keystroke>();
for (const [code, [plain, shifted]] of Object.entries(US_KEYMAP)) {
  // The main block wins over the keypad (e.g. '-' is Minus, not NumpadSubtract): what scanners type.
  if (code.startsWith('Numpad')) continue;
  if (!BY_CHAR.has(plain)) BY_CHAR.set(plain, { code, shift: false });
  if (!BY_CHAR.has(shifted)) BY_CHAR.set(shifted, { code, shift: true });
}

/** The keys a US keyboard presses for `text` (with Caps Lock on: letters' Shift inverted); throws on a character it cannot type. */
export function keystrokesFor(text: string, capsLock = false): Keystroke[] {
  return [...text].map((ch) => {
    const k = BY_CHAR.get(ch);
    if (!k) throw new Error(`a US keyboard cannot type ${JSON.stringify(ch)}`);
    return capsLock && k.code.startsWith('Key') ? { code: k.code, shift: !k.shift } : k;
  });
}

const press = (code: number, value: 0 | 1): InputEvent[] => [{ type: EV_KEY, code, value }, { type: EV_SYN, code: SYN_REPORT, value: 0 }];

function tap(code: number, shift: boolean): InputEvent[] {
  return shift
    ? [...press(KEY_LEFTSHIFT, 1), ...press(code, 1), ...press(code, 0), ...press(KEY_LEFTSHIFT, 0)]
    : [...press(code, 1), ...press(code, 0)];
}

/**
 * The input_event records a keyboard-wedge scanner emits for one read, one group per key (so a writer
 * can pace them key by key).
 */
export function inputEventsFor(text: string, opts: TypingOptions = {}): InputEvent[][] {
  const caps = opts.capsLock ?? false;
  const keys: InputEvent[][] = [];
  if (caps) keys.push(tap(KEY_CAPSLOCK, false));
  for (const k of keystrokesFor(text, caps)) keys.push(tap(EVDEV_KEY_NUMBERS[k.code]!, k.shift));
  const suffix = opts.suffix ?? 'enter';
  if (suffix !== 'none') keys.push(tap(EVDEV_KEY_NUMBERS[suffix === 'enter' ? 'Enter' : 'Tab']!, false));
  if (caps) keys.push(tap(KEY_CAPSLOCK, false));
  return keys;
}
