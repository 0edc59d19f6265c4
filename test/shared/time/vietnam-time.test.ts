import { describe, expect, it } from 'vitest';
import { formatVnDate, formatVnDateTime, parseVnDateTime, vnDay, vnDayStart } from '../../../shared/time/vietnam-time.js';

const at0800 = Date.parse('2026-11-30T08:00:00+07:00');

describe('Vietnam time', () => {
  it('writes dd/mm/yyyy HH:mm in UTC+7 whatever the process zone', () => {
    expect(formatVnDateTime(at0800)).toBe('30/11/2026 08:00');
    expect(formatVnDateTime(Date.parse('2026-11-30T17:30:05Z'), { seconds: true })).toBe('01/12/2026 00:30:05');
    expect(formatVnDate(Date.parse('2026-12-31T17:00:00Z'))).toBe('01/01/2027');
    expect(vnDay(Date.parse('2026-11-29T17:00:00Z'))).toBe('2026-11-30');
    expect(vnDayStart('2026-11-30')).toBe(Date.parse('2026-11-30T00:00:00+07:00'));
  });

  it('reads the dates people write, as Vietnam time', () => {
    expect(parseVnDateTime('30/11/2026 08:00')).toBe(at0800);
    expect(parseVnDateTime('30/11/2026 8:00')).toBe(at0800);
    expect(parseVnDateTime('30/11/2026')).toBe(Date.parse('2026-11-30T00:00:00+07:00'));
    expect(parseVnDateTime('2026-11-30T08:00')).toBe(at0800);
    expect(parseVnDateTime('2026-11-30T01:00:00Z')).toBe(at0800);
    expect(parseVnDateTime('2026-11-30T08:00:00+07:00')).toBe(at0800);
  });

  it('refuses what is not a real date', () => {
    for (const bad of ['31/02/2026', '30/13/2026', '30/11/2026 24:00', 'hôm qua', '', '2026-11-30T08:00+0700']) {
      expect(parseVnDateTime(bad), bad).toBeNull();
    }
  });
});
