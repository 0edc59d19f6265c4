import { describe, expect, it } from 'vitest';
import { copyText } from '../../../server/db/pg-copy.js';

describe('copyText (COPY … FROM STDIN text format)', () => {
  it('writes one line a row, a tab between columns, \\N for NULL, t/f for booleans, in the columns given', () => {
    expect(copyText(['a', 'b', 'c', 'd'], [{ d: true, c: null, b: 42, a: 'x' }, { a: '', b: -1, c: undefined, d: false }])).toBe('x\t42\t\\N\tt\n\t-1\t\\N\tf\n');
  });

  it('escapes a backslash, tab, newline and carriage return inside text, so a value cannot end its field or row', () => {
    const text = copyText(['v'], [{ v: 'a\tb\nc\rd\\e' }, { v: '\\N' }]);
    expect(text).toBe('a\\tb\\nc\\rd\\\\e\n\\\\N\n');
    expect(text.split('\n')).toHaveLength(3);
  });

  it('refuses values that have no faithful text form rather than storing something else', () => {
    expect(() => copyText(['v'], [{ v: Number.NaN }])).toThrow(/finite/);
    expect(() => copyText(['v'], [{ v: { nested: 1 } }])).toThrow(/object/);
  });
});
