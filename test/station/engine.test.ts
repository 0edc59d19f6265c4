import { presenceKey } from '../../shared/rules/crossing.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../shared/codes/keys.js';
import { signPassCode } from '../../shared/codes/pass-code.js';
import { signDocument } from '../../shared/trust/signed-document.js';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { ScanEngine, type CrossingClosedEvent, type VerdictEvent } from '../../station/engine/engine.js';
import { verifyFeedDocuments } from '../../station/engine/trust-state.js';
import type { ScanEvent } from '../../station/scanner/scanner-port.js';
import { openStationStore, type StationStore } from '../../station/store/store.js';
import { FakeScanner } from './fake-scanner.js';

const NOW = Date.UTC(2021, 8, 1, 8);
const authority = createTestAuthority({ now: NOW, checkpointIds: [1] });

let dir: string;
let store: StationStore;
let clock: number;
let engine: ScanEngine;

function newEngine(): ScanEngine {
  const e = new ScanEngine({ stationId: 'st-1', checkpointId: 1, province: 79, rootPublicKey: authority.keys.root.publicKey, store, clock: () => clock });
  e.start();
  return e;
}

function seed(items: Parameters<StationStore['applyFeedItems']>[0] = []): void {
  store.applyFeedItems(
    [{ type: 'trustList', document: authority.trustDocument }, { type: 'policy', document: authority.policyDocument }, ...items],
    { cursor: 1, syncedAt: NOW },
  );
}

function scan(payload: string, lane = 'L1', direction: 'entry' | 'exit' = 'entry'): VerdictEvent {
  const event: ScanEvent = { scannerId: `sc-${lane}`, lane, direction, kind: 'payload', payload, symbology: 'Q', receivedAt: clock };
  const v = engine.handleScan(event);
  if (!v) throw new Error('no verdict');
  return v;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'station-engine-'));
  store = openStationStore(join(dir, 'station.db'));
  clock = NOW;
  engine = newEngine();
});
afterEach(() => {
  engine.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('scan engine', () => {
  it('allows a valid pass and its crew, journals the scans and the crossing, and puts the vehicle inside', () => {
    const pass = authority.issuePass();
    const [driver, assistant] = pass.facts.crew.map((c) => authority.issueHealth({ citizenId: c.citizenId, name: c.name }));
    seed([pass.facts, driver!.facts, assistant!.facts]);

    const p = scan(pass.code);
    expect(p).toMatchObject({ verdict: 'ALLOW', reasons: [], codeKind: 'pass', subject: { passId: pass.facts.passId, plate: pass.facts.plate } });
    expect(p.crossing?.state).toBe('open');
    expect(scan(driver!.code).verdict).toBe('ALLOW');
    const last = scan(assistant!.code);
    expect(last.verdict).toBe('ALLOW');
    expect(last.crossing).toMatchObject({ state: 'closed', closedBy: 'complete', verdict: 'ALLOW' });
    expect(last.records.map((r) => r.kind)).toEqual(['scan', 'crossing']);

    const journal = store.journalSince(0);
    expect(journal.map((r) => [r.kind, r.verdict, r.crossingId])).toEqual([
      ['scan', 'ALLOW', p.crossing!.id], ['scan', 'ALLOW', p.crossing!.id], ['scan', 'ALLOW', p.crossing!.id], ['crossing', 'ALLOW', p.crossing!.id],
    ]);
    expect(journal[1]).toMatchObject({ citizenId: driver!.facts.citizenId, codeKind: 'health', policyVersion: authority.policy.version });
    expect(journal[0]!.payloadHash).toMatch(/^[0-9a-f]{64}$/);
    expect(store.isInside(presenceKey.pass(pass.facts))).toBe(true);
    expect(store.outboxBacklog()).toBe(4);
    expect(store.verifyChain()).toEqual({ ok: true, records: 4 });
    expect(engine.openCrossing('L1')).toBeNull();
    expect(p.decideMs).toBeGreaterThan(0);
  });

  it('denies a forged code (BAD_SIGNATURE), a revoked pass, a pass off its route, and a stranger in the crew', () => {
    const pass = authority.issuePass();
    const forged = signPassCode({ ...pass.body, plate: '30A-999.99' }, authority.keys.transport.kid, generateSigningKey().privateKey);
    const revoked = authority.issuePass({ status: 'REVOKED', statusReason: 'rời lộ trình' });
    const offRoute = authority.issuePass({ routeCheckpoints: [9], routeProvinces: [] });
    const stranger = authority.issueHealth();
    seed([pass.facts, revoked.facts, offRoute.facts, stranger.facts]);

    expect(scan(forged)).toMatchObject({ verdict: 'DENY', reasons: ['BAD_SIGNATURE'], codeKind: 'none', detail: 'signature does not verify' });
    expect(scan(revoked.code, 'L2')).toMatchObject({ verdict: 'DENY', reasons: ['REVOKED'] });
    expect(scan(offRoute.code, 'L3')).toMatchObject({ verdict: 'DENY', reasons: ['ROUTE_NOT_ALLOWED'] });
    scan(pass.code, 'L4');
    expect(scan(stranger.code, 'L4')).toMatchObject({ verdict: 'DENY', reasons: ['PERSON_NOT_ON_PASS'], subject: { passId: pass.facts.passId } });
    const verdicts = store.journalSince(0).filter((r) => r.kind === 'scan').map((r) => r.reasons);
    expect(verdicts).toEqual([['BAD_SIGNATURE'], ['REVOKED'], ['ROUTE_NOT_ALLOWED'], [], ['PERSON_NOT_ON_PASS']]);
  });

  it('flags an exit with no entry as NOT_INSIDE (REVIEW under the soft policy), and an exit after an entry passes', () => {
    const walker = authority.issueHealth();
    seed([walker.facts]);
    expect(scan(walker.code, 'OUT', 'exit')).toMatchObject({ verdict: 'REVIEW', reasons: ['NOT_INSIDE'] });
    expect(scan(walker.code, 'IN', 'entry')).toMatchObject({ verdict: 'ALLOW' });
    expect(store.isInside(`person:${walker.facts.citizenId}`)).toBe(true);
    expect(scan(walker.code, 'OUT', 'exit')).toMatchObject({ verdict: 'ALLOW', reasons: [] });
    expect(store.isInside(`person:${walker.facts.citizenId}`)).toBe(false);
  });

  it('turns unreadable lines and refused symbologies into journaled DENY verdicts', () => {
    seed();
    const base = { scannerId: 'sc', lane: 'L1', direction: 'entry' as const, receivedAt: clock };
    expect(engine.handleScan({ ...base, kind: 'unreadable', cause: 'NOT_UTF8', detail: 'byte 0xff' })).toMatchObject({ verdict: 'DENY', reasons: ['UNREADABLE'], detail: 'NOT_UTF8: byte 0xff' });
    expect(engine.handleScan({ ...base, kind: 'unreadable', cause: 'SYMBOLOGY_NOT_ALLOWED', detail: ']E0' })).toMatchObject({ reasons: ['SYMBOLOGY_NOT_ALLOWED'] });
    expect(store.journalSince(0).map((r) => [r.codeKind, r.payloadHash])).toEqual([['none', null], ['none', null]]);
  });

  it('closes a crossing when its window passes and journals it, with the driver missing', () => {
    const pass = authority.issuePass();
    const assistant = authority.issueHealth({ citizenId: pass.facts.crew[1]!.citizenId });
    seed([pass.facts, assistant.facts]);
    const closedEvents: CrossingClosedEvent[] = [];
    engine.on('crossing', (e) => closedEvents.push(e));
    const opened = scan(pass.code).crossing!;
    scan(assistant.code);
    clock += authority.policy.crossingWindowSeconds * 1000 - 1;
    expect(engine.expireDue()).toEqual([]);
    clock += 1;
    const [closed] = engine.expireDue();
    expect(closed).toMatchObject({ crossing: { id: opened.id, closedBy: 'timeout', verdict: 'REVIEW', reasons: ['DRIVER_NOT_SCANNED'] } });
    expect(closed!.record).toMatchObject({ kind: 'crossing', crossingId: opened.id, verdict: 'REVIEW', note: 'closedBy=timeout', seq: 3 });
    expect(closedEvents).toHaveLength(1);
    expect(store.openCrossings()).toEqual([]);
    expect(store.isInside(presenceKey.pass(pass.facts))).toBe(false);
  });

  it('journals the previous crossing, closed by the next vehicle, before the new scan', () => {
    const first = authority.issuePass();
    const second = authority.issuePass();
    seed([first.facts, second.facts]);
    const a = scan(first.code).crossing!;
    const v = scan(second.code);
    expect(v.closed).toEqual([expect.objectContaining({ id: a.id, closedBy: 'next-vehicle', reasons: ['DRIVER_NOT_SCANNED'] })]);
    expect(v.records.map((r) => [r.kind, r.crossingId])).toEqual([['crossing', a.id], ['scan', v.crossing!.id]]);
    expect(v.seq).toBe(v.records[1]!.seq);
    expect(engine.openCrossing('L1')?.id).toBe(v.crossing!.id);
    expect(store.openCrossings().map((c) => c.id)).toEqual([v.crossing!.id]);
  });

  it('resumes an open crossing after a restart on the same files', () => {
    const pass = authority.issuePass();
    const [driver, assistant] = pass.facts.crew.map((c) => authority.issueHealth({ citizenId: c.citizenId }));
    seed([pass.facts, driver!.facts, assistant!.facts]);
    const opened = scan(pass.code).crossing!;
    scan(driver!.code);
    engine.stop();
    store.close();

    store = openStationStore(join(dir, 'station.db'));
    clock += 10_000;
    engine = newEngine();
    expect(engine.openCrossing('L1')?.id).toBe(opened.id);
    const last = scan(assistant!.code);
    expect(last.crossing).toMatchObject({ id: opened.id, state: 'closed', closedBy: 'complete', verdict: 'ALLOW' });
    expect(store.verifyChain()).toEqual({ ok: true, records: 4 });
  });

  it('closes crossings that expired while the station was down, at start', () => {
    const pass = authority.issuePass();
    seed([pass.facts]);
    scan(pass.code);
    engine.stop();
    clock += 3_600_000;
    engine = newEngine();
    expect(engine.openCrossing('L1')).toBeNull();
    expect(store.journalSince(1)).toEqual([expect.objectContaining({ kind: 'crossing', note: 'closedBy=timeout', reasons: ['DRIVER_NOT_SCANNED'] })]);
  });

  it('uses the signed policy and trust list from the store, re-verified when they change', () => {
    const pass = authority.issuePass();
    // No trust list yet: nothing can be verified.
    expect(scan(pass.code)).toMatchObject({ verdict: 'DENY', reasons: ['UNTRUSTED_KEY'] });
    seed([pass.facts]);
    expect(scan(pass.code, 'L2').crossing?.closesAt).toBe(clock + authority.policy.crossingWindowSeconds * 1000);
    const shortWindow = authority.signPolicy({ ...authority.policy, version: 2, crossingWindowSeconds: 30 });
    store.applyFeedItems([{ type: 'policy', document: shortWindow }], { cursor: 2, syncedAt: NOW });
    const v = scan(pass.code, 'L3');
    expect(v.crossing?.closesAt).toBe(clock + 30_000);
    expect(v.records[0]!.policyVersion).toBe(2);
    // A policy signed by a key outside the trust list is refused; the last good one stays.
    const rogue = signDocument({ ...authority.policy, version: 3, crossingWindowSeconds: 3600 }, generateSigningKey());
    store.applyFeedItems([{ type: 'policy', document: rogue }], { cursor: 3, syncedAt: NOW });
    expect(scan(pass.code, 'L4').records[0]!.policyVersion).toBe(2);
  });

  it('emits the verdict only once it is durable, then sends the scanner its feedback', async () => {
    const pass = authority.issuePass();
    seed([pass.facts]);
    const scanner = new FakeScanner('sc-1', 'L1', 'entry');
    engine.attach(scanner);
    const seen: { verdict: string; inJournal: boolean }[] = [];
    engine.on('verdict', (v) => seen.push({ verdict: v.verdict, inJournal: store.journalSince(v.seq - 1, 1)[0]?.hash === v.hash }));
    const fed = new Promise((resolve) => scanner.once('feedback', resolve));
    scanner.scan(pass.code);
    expect(await fed).toBe('good');
    const bad = new Promise((resolve) => scanner.once('feedback', resolve));
    scanner.scan('garbage');
    expect(await bad).toBe('bad');
    expect(seen).toEqual([{ verdict: 'ALLOW', inJournal: true }, { verdict: 'DENY', inJournal: true }]);
    engine.detach(scanner);
    scanner.scan(pass.code);
    expect(seen).toHaveLength(2);
  });

  it('reports a fault and shows no verdict when the journal cannot be written', () => {
    seed();
    const faults: string[] = [];
    const verdicts: VerdictEvent[] = [];
    engine.on('fault', (f) => faults.push(f.message));
    engine.on('verdict', (v) => verdicts.push(v));
    store.close();
    expect(engine.handleScan({ scannerId: 'sc', lane: 'L1', direction: 'entry', kind: 'payload', payload: 'x', symbology: null, receivedAt: clock })).toBeNull();
    expect(verdicts).toEqual([]);
    expect(faults[0]).toMatch(/could not be decided and journaled/);
    store = openStationStore(join(dir, 'station.db'));
    expect(store.lastSeq()).toBe(0);
  });
});

describe('verifyFeedDocuments', () => {
  it('accepts documents signed along the chain and names what fails', () => {
    const root = authority.keys.root.publicKey;
    expect(() => verifyFeedDocuments([{ type: 'trustList', document: authority.trustDocument }, { type: 'policy', document: authority.policyDocument }], root, null, NOW)).not.toThrow();
    expect(() => verifyFeedDocuments([{ type: 'policy', document: authority.policyDocument }], root, authority.trustDocument, NOW)).not.toThrow();
    expect(() => verifyFeedDocuments([{ type: 'policy', document: authority.policyDocument }], root, null, NOW)).toThrow(/no trust list/);
    const other = createTestAuthority({ now: NOW });
    expect(() => verifyFeedDocuments([{ type: 'trustList', document: other.trustDocument }], root, null, NOW)).toThrow(/does not verify/);
    expect(() => verifyFeedDocuments([{ type: 'policy', document: other.policyDocument }], root, authority.trustDocument, NOW)).toThrow(/unknown key/);
  });
});
