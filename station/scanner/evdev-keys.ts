/**
 * Linux input event constants (linux/input-event-codes.h) that a keyboard-wedge scanner uses, and the
 * evdev key numbers by physical key name (the `KeyboardEvent.code` names of us-keymap.ts).
 */
export const EV_SYN = 0x00;
export const EV_KEY = 0x01;
export const EV_MSC = 0x04;
export const EV_LED = 0x11;
export const SYN_REPORT = 0;

export const KEY_LEFTSHIFT = 42;
export const KEY_RIGHTSHIFT = 54;
export const KEY_CAPSLOCK = 58;

/** evdev key number → physical key name; keys a scanner never types are left out (and ignored). */
export const EVDEV_KEY_CODES: Readonly<Record<number, string>> = Object.freeze({
  2: 'Digit1', 3: 'Digit2', 4: 'Digit3', 5: 'Digit4', 6: 'Digit5', 7: 'Digit6', 8: 'Digit7', 9: 'Digit8', 10: 'Digit9', 11: 'Digit0',
  12: 'Minus', 13: 'Equal', 15: 'Tab',
  16: 'KeyQ', 17: 'KeyW', 18: 'KeyE', 19: 'KeyR', 20: 'KeyT', 21: 'KeyY', 22: 'KeyU', 23: 'KeyI', 24: 'KeyO', 25: 'KeyP',
  26: 'BracketLeft', 27: 'BracketRight', 28: 'Enter',
  30: 'KeyA', 31: 'KeyS', 32: 'KeyD', 33: 'KeyF', 34: 'KeyG', 35: 'KeyH', 36: 'KeyJ', 37: 'KeyK', 38: 'KeyL',
  39: 'Semicolon', 40: 'Quote', 41: 'Backquote', 43: 'Backslash',
  44: 'KeyZ', 45: 'KeyX', 46: 'KeyC', 47: 'KeyV', 48: 'KeyB', 49: 'KeyN', 50: 'KeyM', 51: 'Comma', 52: 'Period', 53: 'Slash',
  55: 'NumpadMultiply', 57: 'Space',
  71: 'Numpad7', 72: 'Numpad8', 73: 'Numpad9', 74: 'NumpadSubtract', 75: 'Numpad4', 76: 'Numpad5', 77: 'Numpad6', 78: 'NumpadAdd',
  79: 'Numpad1', 80: 'Numpad2', 81: 'Numpad3', 82: 'Numpad0', 83: 'NumpadDecimal', 96: 'NumpadEnter', 98: 'NumpadDivide',
});

/** physical key name → evdev key number (for the simulator's virtual keyboard). */
export const EVDEV_KEY_NUMBERS: Readonly<Record<string, number>> = Object.freeze(
  Object.fromEntries(Object.entries(EVDEV_KEY_CODES).map(([n, name]) => [name, Number(n)])),
);
