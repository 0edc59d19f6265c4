import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { loadStationConfig, parseStationConfig, StationConfigError } from '../../station/config.js';
import { stationConfigInput } from './station-files.js';

const authority = createTestAuthority();
const scanner = { id: 'lane1-in', path: '/dev/serial/by-id/usb-scanner', lane: 'L1', direction: 'entry' };
const dir = mkdtempSync(join(tmpdir(), 'station-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(input: unknown): string {
  try {
    parseStationConfig(input, dir);
  } catch (err) {
    expect(err).toBeInstanceOf(StationConfigError);
    return (err as Error).message;
  }
  throw new Error('config was accepted');
}

describe('station config', () => {
  it('parses a valid file, fills scanner defaults and resolves dataDir from the file', () => {
    const file = join(dir, 'station.json');
    writeFileSync(file, JSON.stringify({ ...stationConfigInput(authority, 'data', [scanner]), server: { url: 'http://127.0.0.1:3000', credential: 's3cret' } }));
    const config = loadStationConfig(file);
    expect(config).toMatchObject({ stationId: 'st-79-001', checkpointId: 1, province: 79, dataDir: join(dir, 'data'), officerScreen: null, server: { url: 'http://127.0.0.1:3000' } });
    expect(config.scanners[0]).toMatchObject({ id: 'lane1-in', suffix: 'auto', baudRate: 9600, feedback: null });
    expect(config.rootKey.asymmetricKeyType).toBe('ed25519');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('names the offending field', () => {
    const base = stationConfigInput(authority, 'data', [scanner]);
    expect(errorOf({ ...base, stationId: undefined })).toMatch(/^stationId: /);
    expect(errorOf({ ...base, checkpointId: 0 })).toMatch(/^checkpointId: /);
    expect(errorOf({ ...base, rootPublicKey: 'short' })).toMatch(/^rootPublicKey: /);
    expect(errorOf({ ...base, crossingWindowSeconds: 60 })).toMatch(/^crossingWindowSeconds: Unexpected property/);
    expect(errorOf({ ...base, server: { url: 'ftp://x', credential: 'c' } })).toMatch(/^server\.url: /);
    expect(errorOf({ ...base, scanners: [scanner, { ...scanner, id: 'two', baudRate: 'fast' }] })).toMatch(/^scanners\[1\]\.baudRate: /);
    expect(errorOf({ ...base, scanners: [scanner, { ...scanner }] })).toMatch(/^scanners\[1\]\.id: lane1-in is already used/);
    expect(errorOf({ ...base, scanners: [scanner, { ...scanner, id: 'b', direction: 'exit' }] })).toMatch(/^scanners\[1\]\.direction: lane L1/);
  });

  it('says when the file is missing or not JSON', () => {
    expect(() => loadStationConfig(join(dir, 'absent.json'))).toThrow(/cannot read config file .*absent\.json: ENOENT/);
    writeFileSync(join(dir, 'bad.json'), '{ "stationId": ');
    expect(() => loadStationConfig(join(dir, 'bad.json'))).toThrow(/is not valid JSON/);
  });
});

describe('station config: scanner kinds', () => {
  it('refuses a screen or camera scanner when no officer screen would read it, naming the entry', () => {
    const base = stationConfigInput(authority, 'data', [scanner, { id: 'tablet', kind: 'camera', lane: 'L2', direction: 'entry' }]);
    expect(errorOf(base)).toMatch(/^scanners\[1\]\.kind: a camera scanner is read by the officer screen, and this config has no officerScreen/);
    const config = parseStationConfig({ ...base, officerScreen: { host: '127.0.0.1', port: 0 } }, dir);
    expect(config.scanners.map((s) => s.kind)).toEqual(['serial', 'camera']);
  });
});
