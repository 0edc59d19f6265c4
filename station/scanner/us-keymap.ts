/**
 * The US keyboard layout, by physical key (the `KeyboardEvent.code` names, which Linux evdev key
 * numbers map onto in evdev-keys.ts). A keyboard-wedge scanner "types" on a US layout by default, so
 * reading physical keys through this table gives the scanned text whatever the PC's input method
 * (Telex or VNI would turn "AA" into "Â"). One definition for both readers: the officer screen's page
 * receives this table from the station (GET /api/screen-scanners).
 *
 * Each entry is [unshifted, shifted]. Letters are listed lowercase; Caps Lock inverts them only.
 */
export const US_KEYMAP: Readonly<Record<string, readonly [string, string]>> = Object.freeze({
  Backquote: ['`', '~'], Digit1: ['1', '!'], Digit2: ['2', '@'], Digit3: ['3', '#'], Digit4: ['4', '$'], Digit5: ['5', '%'],
  Digit6: ['6', '^'], Digit7: ['7', '&'], Digit8: ['8', '*'], Digit9: ['9', '('], Digit0: ['0', ')'], Minus: ['-', '_'], Equal: ['=', '+'],
  BracketLeft: ['[', '{'], BracketRight: [']', '}'], Backslash: ['\\', '|'], Semicolon: [';', ':'], Quote: ["'", '"'],
  Comma: [',', '<'], Period: ['.', '>'], Slash: ['/', '?'], Space: [' ', ' '],
  ...Object.fromEntries([...'abcdefghijklmnopqrstuvwxyz'].map((c) => [`Key${c.toUpperCase()}`, [c, c.toUpperCase()] as const])),
  // The keypad: scanners configured for "keypad digits" type these; Num Lock is taken as on.
  ...Object.fromEntries([...'0123456789'].map((d) => [`Numpad${d}`, [d, d] as const])),
  NumpadDecimal: ['.', '.'], NumpadAdd: ['+', '+'], NumpadSubtract: ['-', '-'], NumpadMultiply: ['*', '*'], NumpadDivide: ['/', '/'],
});

/** Keys that end a read, by the `keySuffix` setting. */
export const SUFFIX_KEYS = { enter: ['Enter', 'NumpadEnter'], tab: ['Tab'] } as const;

/** The character a physical key types on a US layout, or null for a key that types none. */
export function usChar(code: string, shift: boolean, capsLock: boolean): string | null {
  const entry = US_KEYMAP[code];
  if (!entry) return null;
  const isLetter = code.startsWith('Key');
  return entry[(isLetter ? shift !== capsLock : shift) ? 1 : 0];
}
