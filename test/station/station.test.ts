import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { parseStationConfig } from '../../station/config.js';
import type { VerdictEvent } from '../../station/engine/engine.js';
import { SimulatedScanner } from '../../station/scanner/simulated-scanner.js';
import { applySeed, SeedError } from '../../station/seed.js';
import { Station } from '../../station/station.js';
import { FakeScanner } from './fake-scanner.js';
import { stationConfigInput } from './station-files.js';

const NOW = Date.UTC(2021, 8, 1, 8);
const authority = createTestAuthority({ now: NOW, checkpointIds: [1] });
const seedOf = (items: unknown[]) => ({
  rootPublicKey: authority.keys.root.publicKeyB64, trustDocument: authority.trustDocument, policyDocument: authority.policyDocument, items, syncedAt: NOW,
});

let dir: string;
let station: Station | null;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'station-'));
  station = null;
});
afterEach(async () => {
  await station?.stop();
  rmSync(dir, { recursive: true, force: true });
});

function nextVerdict(s: Station): Promise<VerdictEvent> {
  return new Promise((resolve) => s.once('verdict', resolve));
}

describe('Station component', () => {
  it('starts the store, the configured scanners and the engine, and stops them all', async () => {
    const config = parseStationConfig(stationConfigInput(authority, join(dir, 'data'), [{ id: 'in', path: 'sim', lane: 'L1', direction: 'entry', feedback: {} }]));
    const sims: SimulatedScanner[] = [];
    const extra = new FakeScanner('exit-1', 'L2', 'exit');
    station = new Station(config, {
      clock: () => NOW,
      createScanner: (c) => {
        const sim = new SimulatedScanner(c);
        sims.push(sim);
        return sim;
      },
      scanners: [extra],
    });
    await station.start();
    expect(station.scannerStates().map((s) => [s.id, s.state])).toEqual([['in', 'connected'], ['exit-1', 'connected']]);
    const pass = authority.issuePass();
    applySeed(station.store, config, seedOf([pass.facts]), NOW);

    const verdict = nextVerdict(station);
    const feedback = new Promise((resolve) => sims[0]!.once('feedback', resolve));
    sims[0]!.scan(pass.code);
    expect(await verdict).toMatchObject({ verdict: 'ALLOW', scannerId: 'in', lane: 'L1', seq: 1 });
    expect(await feedback).toBe('good');
    expect(sims[0]!.feedbackReceived()).toEqual(['good']);

    const exit = nextVerdict(station);
    extra.scan(pass.code);
    expect(await exit).toMatchObject({ lane: 'L2', direction: 'exit', reasons: ['NOT_INSIDE'] });

    await station.stop();
    expect(extra.started).toBe(false);
    expect(existsSync(join(dir, 'data', 'station.db-wal'))).toBe(false);
    await station.stop(); // twice is harmless
  });

  it('refuses a seed made for another root key or with documents that do not verify, writing nothing', async () => {
    const config = parseStationConfig(stationConfigInput(authority, join(dir, 'data')));
    station = new Station(config);
    await station.start();
    const other = createTestAuthority({ now: NOW });
    const pass = authority.issuePass();
    expect(() => applySeed(station!.store, config, { ...seedOf([pass.facts]), rootPublicKey: other.keys.root.publicKeyB64 })).toThrow(SeedError);
    expect(() => applySeed(station!.store, config, { ...seedOf([pass.facts]), trustDocument: other.trustDocument })).toThrow(/does not verify/);
    expect(station.store.getPass(pass.facts)).toBeNull();
    expect(station.store.document('trustList')).toBeNull();
  });
});
