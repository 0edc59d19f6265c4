import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FeedItem } from '../../shared/contracts/feed.js';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { draft, NOW } from './record-draft.js';
import { openStationStore, StoreError, type StationStore } from '../../station/store/store.js';

const authority = createTestAuthority({ now: NOW });

let dir: string;
let store: StationStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'station-store-'));
  store = openStationStore(join(dir, 'station.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('station store', () => {
  it('migrates a fresh file and sets its pragmas explicitly', () => {
    // No busy timeout: the deciding thread's connections never wait on a lock (see store-split.test.ts).
    expect(store.pragmas()).toMatchObject({ journalMode: 'wal', synchronous: 2, foreignKeys: 1, busyTimeout: 0 });
    const raw = new Database(join(dir, 'station.db'), { readonly: true });
    const tables = raw.prepare("select name from sqlite_master where type='table'").all().map((r) => (r as { name: string }).name);
    raw.close();
    expect(tables).toEqual(expect.arrayContaining(['passes', 'health_flags', 'pass_status', 'zones', 'journal', 'upload_state', 'presence', 'open_crossings', 'sync_state', 'documents']));
    // Re-opening applies no migration twice.
    store.close();
    store = openStationStore(join(dir, 'station.db'));
    expect(store.lastSeq()).toBe(0);
  });

  it('applies feed items with their cursor and looks them up by key', () => {
    const pass = authority.issuePass();
    const person = authority.issueHealth();
    const flagged = { ...authority.issueHealth().facts, status: 'F1' as const };
    store.applyFeedItems(
      [pass.facts, person.facts, flagged, { type: 'zone', zone: '79', level: 2 }, { type: 'trustList', document: authority.trustDocument }],
      { cursor: 7, syncedAt: NOW },
    );
    expect(store.getPass(pass.facts)).toEqual(pass.facts);
    // A person's whole record is not kept: only a flag of one who is F0/F1 or tested positive.
    expect(store.healthFlag(person.facts.citizenId)).toBeNull();
    expect(store.healthFlag(flagged.citizenId)).toEqual({ type: 'flag', citizenId: flagged.citizenId, status: 'F1', statusAsOf: flagged.statusAsOf, test: null });
    expect(store.zoneLevel('79')).toBe(2);
    expect(store.zoneLevel('01')).toBeNull();
    expect(store.document('trustList')).toEqual(authority.trustDocument);
    expect(store.documentsRevision()).toBe(1);
    expect(store.syncState()).toEqual({ cursor: 7, syncedAt: NOW });

    store.applyFeedItems([{ ...pass.facts, status: 'REVOKED', statusReason: 'off route' }, { type: 'delete', entity: 'person', key: flagged.citizenId }], { cursor: 8, syncedAt: NOW + 1 });
    expect(store.getPass(pass.facts)?.status).toBe('REVOKED');
    // the pass's own status keeps its line of the national list in step
    expect(store.passStatus(pass.facts)).toMatchObject({ status: 'REVOKED' });
    expect(store.healthFlag(flagged.citizenId)).toBeNull();
  });

  it('rolls back every item of a batch when one fails', () => {
    const good = authority.issuePass().facts;
    const bad = { ...authority.issuePass().facts, plate: 'not a plate' } as FeedItem;
    expect(() => store.applyFeedItems([good, bad], { cursor: 1, syncedAt: NOW })).toThrow(StoreError);
    expect(() => store.applyFeedItems([good, bad], { cursor: 1, syncedAt: NOW })).toThrow(/feed item 1 is invalid at \/plate/);
    // Skipping validation, the database itself refuses the second item: still nothing applied.
    const broken = { type: 'delete', entity: 'pass', key: 'x' } as FeedItem;
    expect(() => store.applyFeedItems([good, broken], { cursor: 1, syncedAt: NOW, validate: false })).toThrow(/not a pass ref/);
    expect(store.getPass(good)).toBeNull();
    expect(store.syncState()).toEqual({ cursor: null, syncedAt: null });
  });

  it('replaces the whole cache with a snapshot, and a paged snapshot is invisible until committed', () => {
    const old = authority.issuePass().facts;
    store.applyFeedItems([old, { type: 'zone', zone: '01', level: 4 }], { cursor: 1, syncedAt: NOW });
    const fresh = authority.issuePass().facts;
    store.applyFeedItems([fresh], { cursor: 5, syncedAt: NOW + 1, replaceAll: true });
    expect(store.getPass(old)).toBeNull();
    expect(store.getPass(fresh)).toEqual(fresh);
    expect(store.zoneLevel('01')).toBeNull();

    const paged = [authority.issuePass().facts, authority.issuePass().facts];
    const snap = store.beginSnapshot();
    snap.addPage([paged[0]!, { type: 'policy', document: authority.policyDocument }]);
    expect(store.getPass(paged[0]!)).toBeNull();
    expect(store.getPass(fresh)).toEqual(fresh);
    expect(store.document('policy')).toBeNull();
    snap.addPage([paged[1]!]);
    expect(snap.commit({ cursor: 9, syncedAt: NOW + 2 })).toEqual({ applied: 3 });
    expect(store.getPass(fresh)).toBeNull();
    expect(store.getPass(paged[1]!)).toEqual(paged[1]);
    expect(store.document('policy')).toEqual(authority.policyDocument);
    expect(store.syncState()).toEqual({ cursor: 9, syncedAt: NOW + 2 });
    expect(() => snap.addPage([])).toThrow(/already committed/);

    // An aborted snapshot leaves the cache as it was, and so does a restart in the middle of one.
    const aborted = store.beginSnapshot();
    aborted.addPage([authority.issuePass().facts]);
    aborted.abort();
    const interrupted = store.beginSnapshot();
    const lost = authority.issuePass().facts;
    interrupted.addPage([lost]);
    store.close();
    store = openStationStore(join(dir, 'station.db'));
    expect(store.getPass(paged[0]!)).toEqual(paged[0]);
    expect(store.getPass(lost)).toBeNull();
    store.beginSnapshot().commit({ cursor: 10, syncedAt: NOW + 3 });
    expect(store.getPass(lost)).toBeNull();
  });

  it('stages snapshot pages without an fsync each but leaves decisions durable as configured, also after a page fails', () => {
    expect(store.pragmas().synchronous).toBe(2); // FULL
    const snap = store.beginSnapshot();
    snap.addPage([authority.issuePass().facts]);
    expect(store.pragmas().synchronous).toBe(2);
    const broken = { type: 'delete', entity: 'pass', key: 'not-a-number' } as FeedItem;
    expect(() => snap.addPage([broken], { validate: false })).toThrow(/not a pass ref/);
    expect(store.pragmas().synchronous).toBe(2);
    snap.abort();

    const relaxed = openStationStore(join(dir, 'relaxed.db'), { synchronous: 'NORMAL' });
    try {
      relaxed.beginSnapshot().addPage([authority.issuePass().facts]);
      expect(relaxed.pragmas().synchronous).toBe(1);
    } finally {
      relaxed.close();
    }
  });

  it('commits a retention purge without an fsync of its own and leaves the next decision as durable as configured', () => {
    store.appendDecision({ records: [draft({ citizenId: '001099000001' }), draft({ citizenId: '001099000002' })] });
    store.ackOutbox(store.lastSeq());
    expect(store.purgePersonalData(NOW + 40 * 86_400_000, 30).records).toBe(2);
    expect(store.pragmas().synchronous).toBe(2); // FULL again for the decisions
    expect(store.journalSince(0).map((r) => r.citizenId)).toEqual([null, null]);

    const relaxed = openStationStore(join(dir, 'relaxed.db'), { synchronous: 'NORMAL' });
    try {
      relaxed.appendDecision({ records: [draft()] });
      relaxed.ackOutbox(1);
      expect(relaxed.purgePersonalData(NOW + 40 * 86_400_000, 30).records).toBe(1);
      expect(relaxed.pragmas().synchronous).toBe(1);
    } finally {
      relaxed.close();
    }
  });

  it('chains journal records; the outbox is the journal above the acknowledged watermark', () => {
    const a = store.appendDecision({
      records: [draft(), draft({ kind: 'crossing', scannerId: null })],
      presence: [{ key: 'pass:1', inside: true, at: NOW, crossingId: 'c-1' }],
    });
    expect(a.map((r) => r.seq)).toEqual([1, 2]);
    expect(a[1]!.prevHash).toBe(a[0]!.hash);
    expect(store.isInside('pass:1')).toBe(true);
    const b = store.appendDecision({ records: [draft({ at: NOW + 5 })], presence: [{ key: 'pass:1', inside: false, at: NOW + 5, crossingId: 'c-2' }] });
    expect(b[0]!.prevHash).toBe(a[1]!.hash);
    expect(store.isInside('pass:1')).toBe(false);

    expect(store.outboxBacklog()).toBe(3);
    expect(store.outboxBatch(2)).toEqual(a);
    expect(store.ackOutbox(2)).toBe(2);
    expect(store.outboxBacklog()).toBe(1);
    expect(store.outboxBatch(10)).toEqual(b);
    expect(store.journalSince(1)).toEqual([a[1], b[0]]);
    expect(store.verifyChain()).toEqual({ ok: true, records: 3 });

    // The chain continues across a restart.
    store.close();
    store = openStationStore(join(dir, 'station.db'));
    expect(store.outboxBacklog()).toBe(1);
    const c = store.appendDecision({ records: [draft()] });
    expect(c[0]).toMatchObject({ seq: 4, prevHash: b[0]!.hash });
    expect(store.verifyChain().ok).toBe(true);
  });

  it('detects an edited or removed journal row', () => {
    for (let i = 0; i < 5; i++) store.appendDecision({ records: [draft({ at: NOW + i })] });
    store.ackOutbox(5);
    const raw = new Database(join(dir, 'station.db'));
    raw.prepare("update journal set verdict = 'DENY' where seq = 3").run();
    expect(store.verifyChain()).toMatchObject({ ok: false, seq: 3, message: 'record hash does not match its content' });
    raw.prepare("update journal set verdict = 'ALLOW' where seq = 3").run();
    expect(store.verifyChain().ok).toBe(true);
    raw.prepare('delete from journal where seq = 2').run();
    raw.close();
    expect(store.verifyChain()).toMatchObject({ ok: false, seq: 2, message: 'record 2 is missing' });
  });

  it('keeps and resumes open crossings per lane', () => {
    const crossing = {
      id: 'c-9', kind: 'vehicle' as const, lane: 'L1', direction: 'entry' as const, openedAt: NOW, closesAt: NOW + 120_000,
      state: 'open' as const, pass: null, findings: [], members: [], verdict: 'ALLOW' as const, reasons: [], closedBy: null,
    };
    store.appendDecision({ records: [draft()], crossings: [{ lane: 'L1', crossing }] });
    store.close();
    store = openStationStore(join(dir, 'station.db'));
    expect(store.openCrossings()).toEqual([crossing]);
    store.appendDecision({ records: [draft()], crossings: [{ lane: 'L1', crossing: null }] });
    expect(store.openCrossings()).toEqual([]);
  });
});
