import { keystrokesFor } from '../../hardware-sim/keystrokes.js';

/** One keydown as a Vietnamese input method (Telex, as in Unikey or IBus) delivers it to a page. */
export interface ImeKey {
  /** the physical key: what a scanner pressed */
  code: string;
  shift: boolean;
  /** what the input method reports: 'Process' while composing, an accented letter, or the character */
  key: string;
  keyCode: number;
  /** composition text after this key (null: no composition open) */
  composition: string | null;
  /** the focused field's whole value after the input method handled this key */
  fieldValue: string;
}

const CIRCUMFLEX: Record<string, string> = { a: 'â', e: 'ê', o: 'ô', d: 'đ' };
/** Telex's w: a breve or horn on the vowel before it, or ư on its own */
const HORN: Record<string, string> = { a: 'ă', o: 'ơ', u: 'ư' };
const TONES: Record<string, Record<string, string>> = {
  s: { a: 'á', e: 'é', i: 'í', o: 'ó', u: 'ú', y: 'ý', â: 'ấ', ê: 'ế', ô: 'ố' },
  f: { a: 'à', e: 'è', i: 'ì', o: 'ò', u: 'ù', y: 'ỳ', â: 'ầ', ê: 'ề', ô: 'ồ' },
  r: { a: 'ả', e: 'ẻ', i: 'ỉ', o: 'ỏ', u: 'ủ', y: 'ỷ', â: 'ẩ', ê: 'ể', ô: 'ổ' },
  x: { a: 'ã', e: 'ẽ', i: 'ĩ', o: 'õ', u: 'ũ', y: 'ỹ', â: 'ẫ', ê: 'ễ', ô: 'ỗ' },
  j: { a: 'ạ', e: 'ẹ', i: 'ị', o: 'ọ', u: 'ụ', y: 'ỵ', â: 'ậ', ê: 'ệ', ô: 'ộ' },
};
const caseOf = (like: string, ch: string) => (like === like.toUpperCase() ? ch.toUpperCase() : ch);

/**
 * The key events a keyboard-wedge scanner typing `text` then Enter produces on a PC with Telex on: the
 * `code` of each key is the physical key the scanner pressed, but letters open a composition (`key`
 * is 'Process', keyCode 229), a doubled vowel, a tone key or W rewrites the letter before it ("AA" →
 * "Â", "AS" → "Á", "OW" → "Ơ"; a lone W is "Ư"), reported as the accented letter, and a digit or a
 * symbol commits the word. (A Base45 code of ~245 characters holds a W or such a pair almost always.)
 */
export function telexBurst(text: string, startValue = ''): ImeKey[] {
  let committed = startValue;
  let word = '';
  const out: ImeKey[] = [];
  const keys = keystrokesFor(text);
  [...text].forEach((ch, i) => {
    const { code, shift } = keys[i]!;
    if (/[A-Za-z]/.test(ch)) {
      const prev = word.slice(-1);
      const lower = ch.toLowerCase();
      let key = 'Process';
      if (prev && prev.toLowerCase() === lower && CIRCUMFLEX[lower]) {
        word = word.slice(0, -1) + caseOf(prev, CIRCUMFLEX[lower]!);
        key = word.slice(-1);
      } else if (prev && TONES[lower]?.[prev.toLowerCase()]) {
        word = word.slice(0, -1) + caseOf(prev, TONES[lower]![prev.toLowerCase()]!);
        key = word.slice(-1);
      } else if (lower === 'w') {
        if (prev && HORN[prev.toLowerCase()]) word = word.slice(0, -1) + caseOf(prev, HORN[prev.toLowerCase()]!);
        else word += caseOf(ch, 'ư');
        key = word.slice(-1);
      } else word += ch;
      out.push({ code, shift, key, keyCode: 229, composition: word, fieldValue: committed + word });
    } else {
      committed += word + ch;
      word = '';
      out.push({ code, shift, key: ch, keyCode: ch.charCodeAt(0), composition: null, fieldValue: committed });
    }
  });
  committed += word;
  out.push({ code: 'Enter', shift: false, key: 'Enter', keyCode: 13, composition: null, fieldValue: committed });
  return out;
}
