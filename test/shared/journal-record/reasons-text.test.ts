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

  it('holds only identifier codes, which need no escaping and never contain another code\'s needle', () => {
    for (const c of REASON_CODES) expect(c).toMatch(/^[A-Z][A-Z0-9_]*$/);
    const all = encodeReasons(REASON_CODES.filter((c) => c !== 'TEST_REQUIRED'));
    expect(all.includes(reasonNeedle('TEST_REQUIRED'))).toBe(false);
    expect(encodeReasons(['TEST_REQUIRED']).includes(reasonNeedle('TEST_REQUIRED'))).toBe(true);
  });

  it('refuses stored text that is not a JSON array, rather than reading it as codes', () => {
    expect(() => decodeReasons('EXPIRED,TEST_REQUIRED')).toThrow();
    expect(() => decodeReasons('{"a":1}')).toThrow(/not a JSON array/);
  });
});
