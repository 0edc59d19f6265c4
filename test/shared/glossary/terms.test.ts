import { describe, expect, it } from 'vitest';
import { TERMS, glossaryModuleSource, term } from '../../../shared/glossary/index.js';

describe('glossary', () => {
  it('names each thing once, Vietnamese first', () => {
    expect(term('verdict', 'DENY')).toBe('KHÔNG CHO QUA');
    expect(term('word', 'pass')).toBe('Giấy phép');
    expect(term('testType', 'RT_PCR', 'en')).toBe('RT-PCR test');
    for (const [group, entries] of Object.entries(TERMS)) {
      for (const [key, t] of Object.entries(entries)) {
        expect(t.vi.trim(), `${group}.${key}`).not.toBe('');
        expect(t.en.trim(), `${group}.${key}`).not.toBe('');
      }
    }
  });

  it('is served as a plain ES module carrying the same data', async () => {
    const src = glossaryModuleSource();
    const mod = await import(`data:text/javascript;base64,${Buffer.from(src).toString('base64')}`);
    expect(mod.TERMS).toEqual(TERMS);
    expect(mod.PROVINCES).toHaveLength(63);
    expect(mod.REASONS.REVOKED.vi).toBe('Giấy phép đã bị thu hồi');
  });
});
