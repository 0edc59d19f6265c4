import { describe, expect, it } from 'vitest';
import { decodeReasons, encodeReasons, reasonNeedle } from '../../../shared/journal-record/reasons-text.js';
import { REASON_CODES } from '../../../shared/rules/reasons.js';

describe('reason codes as a journal row stores them (a JSON array\'s text)', () => {
  it('writes JSON.stringify\'s text for every code alone, none, and all of them together, and reads it back', () => {
    for (const codes of [[], ...REASON_CODES.map((c) => [c]), REASON_CODES]) {
      expect(encodeReasons(codes)).toBe(JSON.stringify(codes));
      expect(decodeReasons(encodeReasons(codes))).toEqual(codes);
    }
  });

  it('holds only identifier codes, which need no escaping, and a list holds a code\'s needle only when it holds that code', () => {
    for (const c of REASON_CODES) expect(c).toMatch(/^[A-Z][A-Z0-9_]*$/);
    // EXPIRED sits inside TEST_EXPIRED: only the quotes keep one from matching the other
    for (const a of REASON_CODES) {
      for (const b of REASON_CODES) expect(encodeReasons([a]).includes(reasonNeedle(b)), `${a} holds ${b}`).toBe(a === b);
    }
  });

  it('refuses stored text that is not a JSON array, rather than reading it as codes', () => {
    expect(() => decodeReasons('EXPIRED,TEST_REQUIRED')).toThrow();
    expect(() => decodeReasons('{"a":1}')).toThrow(/not a JSON array/);
  });
});
