// A keyboard-wedge scanner plugged into this PC or tablet "types" each code then Enter or Tab. Its
// keys are read here by physical key (KeyboardEvent.code) through the US layout the station sends,
// never by the characters the input method produced: with Telex or VNI on, "AA" arrives as "Â" and
// `key` is "Process" during a composition, but `code` is still KeyA. A scanner is told from a person
// by timing: a scanner's keys come a few ms apart, a person's tens to hundreds of ms apart.

const MODIFIERS = new Set(['ShiftLeft', 'ShiftRight', 'CapsLock', 'ControlLeft', 'ControlRight', 'AltLeft', 'AltRight', 'MetaLeft', 'MetaRight']);

/** The character a physical key types on a US layout (letters: Caps Lock inverts Shift), or null. */
export function usChar(keymap, code, shift, capsLock) {
  const entry = keymap[code];
  if (!entry) return null;
  return entry[(code.startsWith('Key') ? shift !== capsLock : shift) ? 1 : 0];
}

function editable(el) {
  return el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA') ? el : null;
}

/**
 * Watch the whole page for scanner bursts. `send(text)` is called with each read. A burst is at least
 * `minBurstLength` characters, each key within `maxKeyGapMs` of the one before, ended by a suffix key
 * within the same gap; anything slower is a person typing and is left alone. Whatever a burst typed
 * into a focused field (letters, or an input method's composition) is taken back out of it.
 * Returns a function that stops watching.
 */
export function watchWedge({ keymap, suffixKeys, keySuffix, maxKeyGapMs, minBurstLength, send, target = window }) {
  const suffixes = new Set(keySuffix === 'any' ? [...suffixKeys.enter, ...suffixKeys.tab] : suffixKeys[keySuffix]);
  let chars = [];
  let lastAt = -Infinity;
  let shiftHeld = 0;
  /** the field focused when the burst began, and its value then */
  let field = null;
  let fieldValue = '';

  const reset = () => {
    chars = [];
    field = null;
  };

  const restoreField = () => {
    if (!field) return;
    const el = field;
    const value = fieldValue;
    el.value = value;
    // An input method may commit its composition after the Enter: put the value back after that too.
    setTimeout(() => {
      if (el.value !== value) el.value = value;
    }, 0);
  };

  const onKeyDown = (e) => {
    const code = e.code;
    if (code === 'ShiftLeft' || code === 'ShiftRight') shiftHeld++;
    if (MODIFIERS.has(code)) return;
    const now = e.timeStamp;
    const gap = now - lastAt;
    lastAt = now;
    if (e.ctrlKey || e.altKey || e.metaKey) return reset();
    if (chars.length && gap > maxKeyGapMs) reset();
    if (suffixes.has(code)) {
      if (chars.length >= minBurstLength) {
        e.preventDefault();
        e.stopImmediatePropagation();
        restoreField();
        const text = chars.join('');
        reset();
        send(text);
      } else reset();
      return;
    }
    const ch = usChar(keymap, code, e.shiftKey || shiftHeld > 0, e.getModifierState?.('CapsLock') ?? false);
    if (ch === null) return reset();
    if (!chars.length) {
      field = editable(document.activeElement);
      // the value before this key reached the field
      fieldValue = field ? field.value : '';
    }
    chars.push(ch);
  };
  const onKeyUp = (e) => {
    if (e.code === 'ShiftLeft' || e.code === 'ShiftRight') shiftHeld = Math.max(0, shiftHeld - 1);
  };
  // Keys released while the page had no focus would leave Shift stuck.
  const onBlur = () => {
    shiftHeld = 0;
    reset();
  };
  target.addEventListener('keydown', onKeyDown, true);
  target.addEventListener('keyup', onKeyUp, true);
  window.addEventListener('blur', onBlur);
  return () => {
    target.removeEventListener('keydown', onKeyDown, true);
    target.removeEventListener('keyup', onKeyUp, true);
    window.removeEventListener('blur', onBlur);
  };
}
