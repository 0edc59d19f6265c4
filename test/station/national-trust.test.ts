import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createNationalFixture, type NationalFixture } from '../../hardware-sim/fixtures/national.js';
import { generateSigningKey } from '../../shared/codes/keys.js';
import { signPassCode } from '../../shared/codes/pass-code.js';
import type { FeedItem } from '../../shared/contracts/feed.js';
import { DEFAULT_POLICY } from '../../shared/rules/policy.js';
import { signAuthority } from '../../shared/trust/authority.js';
import { signDocument } from '../../shared/trust/signed-document.js';
import { trustedKeyEntry } from '../../shared/trust/trusted-key.js';
import { ScanEngine, type VerdictEvent } from '../../station/engine/engine.js';
import { TrustState, verifyFeedDocuments } from '../../station/engine/trust-state.js';
import { openStationStore, type StationStore } from '../../station/store/store.js';

/**
 * A station of Long An (80) installed with the national root's public key only: it learns every
 * province's issuer keys from authority documents the national root signed, and decides codes of
 * any province offline. Rotation, revocation and keys acting outside their province or role.
 */
const NOW = Date.UTC(2021, 8, 1, 8);
const DAY = 86_400_000;

let nation: NationalFixture;
let dir: string;
let store: StationStore;
let engine: ScanEngine;
let now: number;
let cursor: number;

/** What the sync client does with a feed page: verify the documents, then apply all of it or nothing. */
function sync(items: FeedItem[]): void {
  verifyFeedDocuments(items, nation.root.publicKey, store.document('trustList'), now);
  store.applyFeedItems(items, { cursor: ++cursor, syncedAt: now });
}

function scan(payload: string): VerdictEvent {
  const v = engine.handleScan({ scannerId: 'sc-L1', lane: 'L1', direction: 'entry', kind: 'payload', payload, symbology: 'Q', receivedAt: now });
  if (!v) throw new Error('no verdict');
  return v;
}

/** A vehicle of `province` with a one-person crew, its facts for the cache, and its two scans. */
function vehicle(province: number, spec: { issuedAt?: number } = {}) {
  const auth = nation.province(province);
  const pass = auth.issuePass({ routeProvinces: [80], routeCheckpoints: [], ...spec });
  const driver = auth.issueHealth({ citizenId: pass.facts.crew[0]!.citizenId, name: pass.facts.crew[0]!.name });
  const assistant = auth.issueHealth({ citizenId: pass.facts.crew[1]!.citizenId, name: pass.facts.crew[1]!.name });
  return { pass, codes: [pass.code, driver.code, assistant.code], items: [pass.facts, driver.facts, assistant.facts] as FeedItem[] };
}

function crossing(v: ReturnType<typeof vehicle>): VerdictEvent {
  let last: VerdictEvent | null = null;
  for (const c of v.codes) last = scan(c);
  return last!;
}

beforeEach(() => {
  nation = createNationalFixture({ now: NOW, provinces: [79, 80] });
  dir = mkdtempSync(join(tmpdir(), 'national-trust-'));
  store = openStationStore(join(dir, 'station.db'));
  now = NOW;
  cursor = 0;
  engine = new ScanEngine({ stationId: 'st-80-001', checkpointId: 8001, province: 80, rootPublicKey: nation.root.publicKey, store, clock: () => now });
  engine.start();
});
afterEach(() => {
  engine.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a station installed with the national root only', () => {
  it('with an empty store, accepts a proper chain and then decides passes of its own and another province offline', () => {
    const fromHcm = vehicle(79);
    const fromLongAn = vehicle(80);
    // before any trust document: nothing can be verified
    expect(scan(fromHcm.pass.code)).toMatchObject({ verdict: 'DENY', reasons: ['UNTRUSTED_KEY'] });
    sync([{ type: 'trustList', document: nation.chain() }, { type: 'policy', document: nation.province(80).policyDocument }, ...fromHcm.items, ...fromLongAn.items]);
    now += 60_000;
    expect(crossing(fromHcm).crossing).toMatchObject({ state: 'closed', verdict: 'ALLOW' });
    now += 60_000;
    expect(crossing(fromLongAn).crossing).toMatchObject({ state: 'closed', verdict: 'ALLOW' });
  });

  it('refuses a chain with one document not signed by the national root, and applies nothing of that page', () => {
    const rogueRoot = generateSigningKey();
    const rogue = signAuthority({ type: 'authority', province: 79, version: 1, issuedAt: NOW, keys: nation.entries(79) }, rogueRoot);
    const v = vehicle(79);
    const chain = { type: 'trust-chain' as const, authorities: [nation.documents.get(80)!, rogue] };
    expect(() => sync([{ type: 'trustList', document: chain }, ...v.items])).toThrow(/authority document 1.*does not verify/);
    expect(store.document('trustList')).toBeNull();
    expect(store.getPass(v.pass.facts)).toBeNull();
    expect(store.syncState().cursor).toBeNull();
    // a province's own root-signed list (not chained to the national root) is refused the same way
    expect(() => sync([{ type: 'trustList', document: nation.province(79).trustDocument }])).toThrow();
    expect(store.document('trustList')).toBeNull();
  });

  it('refuses an authority document that lists another province\'s key, and one that goes back to an older version', () => {
    const hcmTransport = nation.entries(79).find((k) => k.role === 'transport')!;
    const body = { type: 'authority', province: 80, version: 2, issuedAt: NOW, keys: [...nation.entries(80), hcmTransport] } as const;
    expect(() => signAuthority({ ...body, keys: [...body.keys] }, nation.root)).toThrow(/for province 79/); // the tool will not sign it
    const grabbing = signDocument(body, nation.root); // and a station refuses it signed by other means
    expect(() => sync([{ type: 'trustList', document: { type: 'trust-chain', authorities: [grabbing] } }])).toThrow(/lists key .* for province 79/);

    sync([{ type: 'trustList', document: nation.chain() }]);
    const v1 = nation.documents.get(79)!;
    nation.reissue(79, nation.entries(79));
    sync([{ type: 'trustList', document: nation.chain() }]);
    const replay = { type: 'trust-chain' as const, authorities: [nation.documents.get(80)!, v1] };
    expect(() => sync([{ type: 'trustList', document: replay }])).toThrow(/goes back from version 2 to 1/);
  });
});

describe('keys act only for their province and role', () => {
  it('a transport key of 80 signing a pass of 79, or a health key signing a pass, is UNTRUSTED_KEY', () => {
    const v = vehicle(79);
    sync([{ type: 'trustList', document: nation.chain() }, ...v.items]);
    const longAn = nation.province(80);
    const forgedByNeighbour = signPassCode(v.pass.body, longAn.keys.transport.kid, longAn.keys.transport.privateKey);
    expect(scan(forgedByNeighbour)).toMatchObject({ verdict: 'DENY', reasons: ['UNTRUSTED_KEY'] });
    now += 60_000;
    const hcm = nation.province(79);
    const signedByHealthKey = signPassCode(v.pass.body, hcm.keys.health.kid, hcm.keys.health.privateKey);
    expect(scan(signedByHealthKey)).toMatchObject({ verdict: 'DENY', reasons: ['UNTRUSTED_KEY'] });
    now += 60_000;
    expect(scan(v.pass.code).verdict).not.toBe('DENY');
  });
});

describe('rotation', () => {
  it('a code signed by a retired key before its retirement is ALLOW; one it signed after is UNTRUSTED_KEY; a new key overlaps', () => {
    const hcm = nation.province(79);
    const before = vehicle(79, { issuedAt: NOW - 2 * DAY });
    // rotation at NOW - DAY: a new transport key, the old one retired
    const fresh = generateSigningKey();
    const retiredAt = NOW - DAY;
    const entries = nation.entries(79).map((k) => (k.kid === hcm.keys.transport.kid ? { ...k, retiredAt } : k));
    nation.reissue(79, [...entries, trustedKeyEntry(fresh, 'transport', 79, retiredAt - DAY, null)]);
    const after = vehicle(79, { issuedAt: NOW - DAY / 2 });
    const byNewKey = { ...after.pass.body, passId: 999_001 };
    const newKeyItem = { ...after.pass.facts, passId: 999_001 };
    sync([{ type: 'trustList', document: nation.chain() }, ...before.items, ...after.items, newKeyItem]);

    expect(crossing(before).crossing).toMatchObject({ state: 'closed', verdict: 'ALLOW' });
    now += 60_000;
    expect(scan(after.pass.code)).toMatchObject({ verdict: 'DENY', reasons: ['UNTRUSTED_KEY'] });
    now += 60_000;
    expect(scan(signPassCode(byNewKey, fresh.kid, fresh.privateKey)).reasons).not.toContain('UNTRUSTED_KEY');
  });

  it('a compromised key left out of the next document: its codes are UNTRUSTED_KEY from that sync on', () => {
    const hcm = nation.province(79);
    const v = vehicle(79);
    sync([{ type: 'trustList', document: nation.chain() }, ...v.items]);
    expect(crossing(v).crossing?.verdict).toBe('ALLOW');
    now += 60_000;
    nation.reissue(79, nation.entries(79).filter((k) => k.kid !== hcm.keys.transport.kid));
    sync([{ type: 'trustList', document: nation.chain() }]);
    expect(scan(v.pass.code)).toMatchObject({ verdict: 'DENY', reasons: ['UNTRUSTED_KEY'] });
  });
});

describe('layered policy at the station', () => {
  it('applies its province\'s policy held to the national baseline the chain carries: stricter kept, looser tightened back', () => {
    const baseline = nation.signBaseline({ ...DEFAULT_POLICY, version: 3, issuedAt: NOW, testRequiredZoneLevels: [3, 4] });
    const longAn = nation.province(80);
    const provincePolicy = longAn.signPolicy({ ...DEFAULT_POLICY, version: 7, issuedAt: NOW,
      testValidityHours: { RT_PCR: 168, RAPID_ANTIGEN: 48 }, testRequiredZoneLevels: [4], antiPassback: 'hard' });
    sync([{ type: 'trustList', document: nation.chain(baseline) }, { type: 'policy', document: provincePolicy }]);
    const { policy, policyVersion } = new TrustState(store, nation.root.publicKey).current(now);
    expect(policyVersion).toBe(7);
    expect(policy.testValidityHours).toEqual({ RT_PCR: 72, RAPID_ANTIGEN: 48 }); // looser RT-PCR held to 72 h, stricter antigen kept
    expect(policy.testRequiredZoneLevels).toEqual([3, 4]);
    expect(policy.antiPassback).toBe('hard');
  });

  it("ignores a policy signed by another province's policy key and keeps its own province's (fail closed)", () => {
    const own = nation.province(80).signPolicy({ ...DEFAULT_POLICY, version: 7, issuedAt: NOW, antiPassback: 'hard', maxCacheStaleHours: 12 });
    sync([{ type: 'trustList', document: nation.chain() }, { type: 'policy', document: own }]);
    const logged: string[] = [];
    const rules = new TrustState(store, nation.root.publicKey, (_level, message) => logged.push(message), 80);
    expect(rules.current(now)).toMatchObject({ policyVersion: 7, policy: { maxCacheStaleHours: 12 } });
    // a newer, well-signed policy of Hồ Chí Minh (79) reaches Long An's store: not this station's policy
    const other = nation.province(79).signPolicy({ ...DEFAULT_POLICY, version: 9, issuedAt: NOW, maxCacheStaleHours: 2 });
    sync([{ type: 'policy', document: other }]);
    expect(rules.current(now)).toMatchObject({ policyVersion: 7, policy: { maxCacheStaleHours: 12 } });
    expect(logged).toContain('policy in the store does not verify; keeping the previous one');
    // a station of 80 that never held a policy stays on the built-in default, not 79's
    expect(new TrustState(store, nation.root.publicKey, () => {}, 80).current(now)).toMatchObject({ policyVersion: 0, policy: { maxCacheStaleHours: DEFAULT_POLICY.maxCacheStaleHours } });
    // the same document is 79's own policy at a station of 79
    expect(new TrustState(store, nation.root.publicKey, () => {}, 79).current(now)).toMatchObject({ policyVersion: 9 });
  });

  it('refuses a baseline not signed by a policy key of the centre', () => {
    const hcm = nation.province(79);
    const fake = hcm.signPolicy({ ...DEFAULT_POLICY, version: 1, issuedAt: NOW, testValidityHours: { RT_PCR: 720, RAPID_ANTIGEN: 720 } });
    expect(() => sync([{ type: 'trustList', document: nation.chain(fake) }])).toThrow(/may not sign for province null|not valid|policy/);
    expect(store.document('trustList')).toBeNull();
  });
});
