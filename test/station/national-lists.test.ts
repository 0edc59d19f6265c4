import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import type { FeedItem } from '../../shared/contracts/feed.js';
import { ScanEngine, type VerdictEvent } from '../../station/engine/engine.js';
import type { ScanEvent } from '../../station/scanner/scanner-port.js';
import { openStationStore, type StationStore } from '../../station/store/store.js';

/**
 * A station holds the passes that may cross it and two national lists (passes not ACTIVE, health
 * flags), not the population: what it decides for a pass or a person it does not hold.
 */
const NOW = Date.UTC(2021, 8, 1, 8);
const HOUR = 3_600_000;
const authority = createTestAuthority({ now: NOW, checkpointIds: [1] });

let dir: string;
let store: StationStore;
let engine: ScanEngine;

function seed(items: FeedItem[] = []): void {
  store.applyFeedItems(
    [{ type: 'trustList', document: authority.trustDocument }, { type: 'policy', document: authority.policyDocument }, ...items],
    { cursor: 1, syncedAt: NOW },
  );
}

function scan(payload: string, direction: 'entry' | 'exit' = 'entry'): VerdictEvent {
  const event: ScanEvent = { scannerId: 'sc-L1', lane: 'L1', direction, kind: 'payload', payload, symbology: 'Q', receivedAt: NOW };
  const v = engine.handleScan(event);
  if (!v) throw new Error('no verdict');
  return v;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'station-lists-'));
  store = openStationStore(join(dir, 'station.db'));
  // A station of province 80 (Long An); the authority issues for 79 (Hồ Chí Minh).
  engine = new ScanEngine({ stationId: 'st-1', checkpointId: 1, province: 80, rootPublicKey: authority.keys.root.publicKey, store, clock: () => NOW });
  engine.start();
});
afterEach(() => {
  engine.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a person the station does not hold', () => {
  const fresh = { declaredAt: NOW - HOUR, test: { type: 'RT_PCR' as const, result: 'NEGATIVE' as const, sampledAt: NOW - 2 * HOUR } };

  it('is decided from their signed health code alone', () => {
    seed();
    const walker = authority.issueHealth(fresh);
    expect(store.healthFlag(walker.facts.citizenId)).toBeNull();
    const v = scan(walker.code);
    expect(v).toMatchObject({ verdict: 'ALLOW', reasons: [], codeKind: 'health', subject: { citizenId: walker.facts.citizenId } });
  });

  it('is DENY when the national flag list names them F0 after their code was signed', () => {
    const walker = authority.issueHealth({ ...fresh, statusAsOf: NOW - 3 * HOUR });
    seed([{ type: 'flag', citizenId: walker.facts.citizenId, status: 'F0', statusAsOf: NOW - HOUR, test: null }]);
    const v = scan(walker.code);
    expect(v.verdict).toBe('DENY');
    expect(v.reasons).toContain('POSITIVE_OR_CONTACT');
  });

  it('is DENY when the list holds a positive test newer than the negative one the code carries', () => {
    const walker = authority.issueHealth(fresh);
    seed([{ type: 'flag', citizenId: walker.facts.citizenId, status: 'NONE', statusAsOf: 0, test: { type: 'RAPID_ANTIGEN', result: 'POSITIVE', sampledAt: NOW - HOUR } }]);
    expect(scan(walker.code)).toMatchObject({ verdict: 'DENY', reasons: ['POSITIVE_OR_CONTACT'] });
  });

  it('keeps the code when it is newer than the flag (a case declared recovered since)', () => {
    const walker = authority.issueHealth({ ...fresh, status: 'NONE', statusAsOf: NOW - HOUR });
    seed([{ type: 'flag', citizenId: walker.facts.citizenId, status: 'F1', statusAsOf: NOW - 48 * HOUR, test: null }]);
    expect(scan(walker.code)).toMatchObject({ verdict: 'ALLOW', reasons: [] });
  });
});

describe('a pass the station does not hold', () => {
  it('revoked in the national list: DENY, and the reason says revoked', () => {
    // Issued by province 79 for a route that does not cross here: never in this station's cache.
    const pass = authority.issuePass({ routeCheckpoints: [7901], routeProvinces: [79] });
    seed([{ type: 'passStatus', issuingProvince: 79, passId: pass.facts.passId, status: 'REVOKED', since: NOW - HOUR }]);
    expect(store.getPass(pass.facts)).toBeNull();
    const v = scan(pass.code);
    expect(v.verdict).toBe('DENY');
    expect(v.reasons).toContain('REVOKED');
    expect(v.reasons).not.toContain('NOT_IN_WHITELIST');
  });

  it('not revoked and off its own route: the station does not hold it by design, and the reason is the route', () => {
    seed();
    const pass = authority.issuePass({ routeCheckpoints: [7901], routeProvinces: [79] });
    expect(scan(pass.code)).toMatchObject({ verdict: 'DENY', reasons: ['ROUTE_NOT_ALLOWED'] });
    // One whose signed route does cross here but that the station does not hold is still unknown.
    const unknown = authority.issuePass({ routeCheckpoints: [1], issuedAt: NOW - 24 * HOUR });
    expect(scan(unknown.code).reasons).toContain('NOT_IN_WHITELIST');
  });

  it('a pass that may cross here carries its own status: its line of the list follows it', () => {
    const pass = authority.issuePass({ routeCheckpoints: [1] });
    seed([pass.facts]);
    expect(scan(pass.code).verdict).toBe('ALLOW');
    store.applyFeedItems([{ ...pass.facts, status: 'SUSPENDED', statusReason: 'kiểm tra' }], { cursor: 2, syncedAt: NOW });
    expect(store.passStatus(pass.facts)).toMatchObject({ status: 'SUSPENDED' });
    store.applyFeedItems([{ ...pass.facts, status: 'ACTIVE' }], { cursor: 3, syncedAt: NOW });
    expect(store.passStatus(pass.facts)).toBeNull();
  });
});
