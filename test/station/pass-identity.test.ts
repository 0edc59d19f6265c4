import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { passRef } from '../../shared/codes/pass-ref.js';
import type { FeedItem } from '../../shared/contracts/feed.js';
import { presenceKey } from '../../shared/rules/crossing.js';
import { ScanEngine, type VerdictEvent } from '../../station/engine/engine.js';
import { openStationStore, type StationStore } from '../../station/store/store.js';
import { twoProvinces } from './two-provinces.js';

/**
 * A pass is (issuing province, pass id). Province 79 and province 80 each issued a pass 17; one
 * station that trusts both must never judge one with the other's facts, presence or history.
 */
const NOW = Date.UTC(2021, 8, 1, 8);
const HOUR = 3_600_000;
const { a, b, trustDocument } = twoProvinces(NOW, [1]);

let dir: string;
let store: StationStore;
let engine: ScanEngine;
let now: number;

function vehicle(auth: typeof a, plate: string, status: 'ACTIVE' | 'REVOKED' = 'ACTIVE') {
  const pass = auth.issuePass({ passId: 17, plate, status, crew: [{ citizenId: `0${auth.province}0990000${auth.province}`, name: `Lái xe ${auth.province}` }] });
  const driver = auth.issueHealth({ citizenId: pass.facts.crew[0]!.citizenId, name: pass.facts.crew[0]!.name });
  return { pass, driver, items: [pass.facts, driver.facts] as FeedItem[] };
}

function scan(payload: string, direction: 'entry' | 'exit' = 'entry'): VerdictEvent {
  const lane = direction === 'entry' ? 'L1' : 'L2';
  const v = engine.handleScan({ scannerId: `sc-${lane}`, lane, direction, kind: 'payload', payload, symbology: 'Q', receivedAt: now });
  if (!v) throw new Error('no verdict');
  return v;
}

/** The pass then its driver: the crossing closes with the driver's scan. */
function cross(v: ReturnType<typeof vehicle>, direction: 'entry' | 'exit' = 'entry') {
  const pass = scan(v.pass.code, direction);
  const closed = scan(v.driver.code, direction);
  return { pass, closed };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'pass-identity-'));
  store = openStationStore(join(dir, 'station.db'));
  now = NOW;
  engine = new ScanEngine({ stationId: 'st-80-001', checkpointId: 1, province: 80, rootPublicKey: b.keys.root.publicKey, store, clock: () => now });
  engine.start();
});
afterEach(() => {
  engine.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

function seed(items: FeedItem[]): void {
  store.applyFeedItems([{ type: 'trustList', document: trustDocument }, { type: 'policy', document: b.policyDocument }, ...items], { cursor: 1, syncedAt: NOW });
}

describe('pass identity: (issuing province, pass id)', () => {
  it('pass 17 of 79 and pass 17 of 80 are cached side by side and each is decided on its own facts', () => {
    const fromA = vehicle(a, '51C-111.11');
    const fromB = vehicle(b, '62C-222.22', 'REVOKED');
    seed([...fromA.items, ...fromB.items]);
    expect(store.getPass({ issuingProvince: 79, passId: 17 })?.plate).toBe('51C-111.11');
    expect(store.getPass({ issuingProvince: 80, passId: 17 })?.plate).toBe('62C-222.22');

    const okA = cross(fromA);
    expect(okA.pass).toMatchObject({ verdict: 'ALLOW', subject: { plate: '51C-111.11', passId: 17, passProvince: 79 } });
    expect(okA.closed.crossing).toMatchObject({ state: 'closed', verdict: 'ALLOW' });
    const deniedB = scan(fromB.pass.code);
    expect(deniedB).toMatchObject({ verdict: 'DENY', subject: { plate: '62C-222.22', passId: 17, passProvince: 80 } });
    expect(deniedB.reasons).toContain('REVOKED');
    // A's driver is a stranger to B's pass
    expect(scan(fromA.driver.code).reasons).toContain('PERSON_NOT_ON_PASS');

    // the journal says which pass 17 each record is about
    const passRecords = store.journalSince(0).filter((r) => r.passId === 17);
    expect(new Set(passRecords.map((r) => `${r.passProvince}/${r.plate}`))).toEqual(new Set(['79/51C-111.11', '80/62C-222.22']));
    expect(store.verifyChain().ok).toBe(true);
  });

  it('presence and anti-passback keep the two apart: one inside does not put the other inside', () => {
    const fromA = vehicle(a, '51C-111.11');
    const fromB = vehicle(b, '62C-222.22');
    seed([...fromA.items, ...fromB.items]);

    expect(cross(fromA).closed.crossing?.verdict).toBe('ALLOW');
    expect(store.isInside(presenceKey.pass({ issuingProvince: 79, passId: 17 }))).toBe(true);
    expect(store.isInside(presenceKey.pass({ issuingProvince: 80, passId: 17 }))).toBe(false);
    expect(presenceKey.pass({ issuingProvince: 79, passId: 17 })).toBe(`pass:${passRef(79, 17)}`);

    now += HOUR;
    // B's pass 17 enters although A's pass 17 is inside: not ALREADY_INSIDE
    const inB = cross(fromB);
    expect(inB.pass.reasons).not.toContain('ALREADY_INSIDE');
    expect(inB.closed.crossing?.verdict).toBe('ALLOW');
    now += HOUR;
    // A's pass 17 entering again is
    expect(scan(fromA.pass.code).reasons).toContain('ALREADY_INSIDE');
    now += HOUR;
    // B leaves; A is still inside, and A's exit is not NOT_INSIDE
    expect(cross(fromB, 'exit').closed.crossing?.verdict).toBe('ALLOW');
    expect(store.isInside(presenceKey.pass({ issuingProvince: 80, passId: 17 }))).toBe(false);
    expect(store.isInside(presenceKey.pass({ issuingProvince: 79, passId: 17 }))).toBe(true);
    now += HOUR;
    expect(cross(fromA, 'exit').pass.reasons).not.toContain('NOT_INSIDE');
  });

  it('a delta about pass 17 of one province changes only that pass', () => {
    const fromA = vehicle(a, '51C-111.11');
    const fromB = vehicle(b, '62C-222.22');
    seed([...fromA.items, ...fromB.items]);
    store.applyFeedItems([{ ...fromB.pass.facts, status: 'SUSPENDED', statusReason: 'Kiểm tra' }], { cursor: 2, syncedAt: NOW });
    store.applyFeedItems([{ type: 'delete', entity: 'pass', key: passRef(79, 17) }], { cursor: 3, syncedAt: NOW });
    expect(store.getPass({ issuingProvince: 79, passId: 17 })).toBeNull();
    expect(store.getPass({ issuingProvince: 80, passId: 17 })?.status).toBe('SUSPENDED');
  });
});
