import { describe, expect, it } from 'vitest';
import { Debouncer } from '../../station/scanner/debounce.js';

describe('Debouncer', () => {
  it('suppresses repeats within the window and counts them', () => {
    const d = new Debouncer(1500);
    const admitted = [0, 100, 200, 900, 1400].map((t) => d.admit('A', t));
    expect(admitted).toEqual([true, false, false, false, false]);
    expect(d.suppressed).toBe(4);
  });

  it('each repeat restarts the window (a code held in front of the scanner reads once)', () => {
    const d = new Debouncer(1000);
    expect([0, 800, 1600, 2400].map((t) => d.admit('A', t))).toEqual([true, false, false, false]);
    expect(d.admit('A', 3500)).toBe(true);
  });

  it('different payloads are independent', () => {
    const d = new Debouncer(1000);
    expect([d.admit('A', 0), d.admit('B', 10), d.admit('A', 20), d.admit('B', 30)]).toEqual([true, true, false, false]);
  });

  it('a zero window suppresses nothing', () => {
    const d = new Debouncer(0);
    expect([d.admit('A', 0), d.admit('A', 0)]).toEqual([true, true]);
  });

  it('forgets old keys and bounds memory', () => {
    const d = new Debouncer(100, 50);
    for (let i = 0; i < 500; i++) d.admit(`k${i}`, 0);
    expect(d.size).toBeLessThanOrEqual(50);
    d.admit('x', 1000);
    expect(d.size).toBe(1);
  });
});
