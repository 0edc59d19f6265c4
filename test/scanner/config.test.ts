import { describe, expect, it } from 'vitest';
import { parseScannerConfig, ScannerConfigError } from '../../station/scanner/config.js';

const lane = { lane: 'L1', direction: 'entry' } as const;

function errorOf(input: unknown): string {
  try {
    parseScannerConfig(input, 'scanners[3]');
  } catch (err) {
    expect(err).toBeInstanceOf(ScannerConfigError);
    return (err as Error).message;
  }
  throw new Error('config was accepted');
}

describe('scanner kinds in the config', () => {
  it('takes an entry without a kind as serial, as configs written before the kinds are', () => {
    const c = parseScannerConfig({ id: 's', path: '/dev/ttyACM0', ...lane });
    expect(c).toMatchObject({ kind: 'serial', path: '/dev/ttyACM0', suffix: 'auto', baudRate: 9600 });
  });

  it('fills each kind with its defaults', () => {
    expect(parseScannerConfig({ id: 'k', kind: 'evdev', path: '/dev/input/by-id/usb-X-event-kbd', ...lane })).toMatchObject({
      kind: 'evdev', grab: true, keySuffix: 'any', suffix: 'cr', feedback: null,
    });
    expect(parseScannerConfig({ id: 'w', kind: 'screen', ...lane, maxKeyGapMs: 50 })).toMatchObject({ kind: 'screen', path: '', maxKeyGapMs: 50, minBurstLength: 8 });
    expect(parseScannerConfig({ id: 'c', kind: 'camera', ...lane, debounceMs: 3000 })).toMatchObject({ kind: 'camera', path: '', facing: 'environment', debounceMs: 3000 });
  });

  it('names the field when an entry is wrong for its kind', () => {
    expect(errorOf({ id: 's', kind: 'usb', ...lane })).toMatch(/^scanners\[3\]\.kind: must be one of serial, evdev, screen, camera \(got "usb"\)/);
    expect(errorOf({ id: 's', kind: 7, ...lane })).toMatch(/^scanners\[3\]\.kind: must be one of/);
    expect(errorOf({ id: 'k', kind: 'evdev', ...lane })).toMatch(/^scanners\[3\]\.path: Expected required property/);
    expect(errorOf({ id: 'w', kind: 'screen', path: '/dev/ttyACM0', ...lane })).toMatch(/^scanners\[3\]\.path: not a field of a screen scanner \(its fields: .*maxKeyGapMs/);
    expect(errorOf({ id: 'k', kind: 'evdev', path: '/dev/input/event3', baudRate: 9600, ...lane })).toMatch(/^scanners\[3\]\.baudRate: not a field of a evdev scanner/);
    expect(errorOf({ id: 'k', kind: 'evdev', path: '/dev/input/event3', feedback: {}, ...lane })).toMatch(/^scanners\[3\]\.feedback: not a field/);
    expect(errorOf({ id: 'k', kind: 'evdev', path: '/dev/input/event3', keySuffix: 'space', ...lane })).toMatch(/^scanners\[3\]\.keySuffix: /);
    expect(errorOf({ id: 'w', kind: 'screen', maxKeyGapMs: 1, ...lane })).toMatch(/^scanners\[3\]\.maxKeyGapMs: Expected integer to be greater or equal to 5/);
    expect(errorOf({ id: 'c', kind: 'camera', facing: 'back', ...lane })).toMatch(/^scanners\[3\]\.facing: /);
    expect(errorOf('serial')).toBe('scanners[3]: Expected object');
  });
});
