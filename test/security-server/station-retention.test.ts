import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { parseStationConfig } from '../../station/config.js';
import { applySeed } from '../../station/seed.js';
import { Station } from '../../station/station.js';
import { openStationStore, type RecordDraft, type StationStore } from '../../station/store/store.js';
import { FakeScanner } from '../station/fake-scanner.js';
import { stationConfigInput } from '../station/station-files.js';
import { makeTestApp, registerStation, userWithRole } from '../server/helpers.js';

const DAY = 86_400_000;
const NOW = Date.UTC(2021, 8, 1, 8);
const STATION = 'st-79-001';

function draft(at: number, over: Partial<RecordDraft> = {}): RecordDraft {
  return {
    stationId: STATION, at, kind: 'scan', lane: 'L1', direction: 'entry', scannerId: 'sc-1', crossingId: `c-${at}`,
    verdict: 'ALLOW', reasons: [], codeKind: 'pass', passId: 7, passProvince: 79, passVersion: 1, plate: '51C-123.45', citizenId: '001099000001',
    payloadHash: 'a'.repeat(64), officer: 'officer-1', note: 'Nguyễn Văn A, lái xe', policyVersion: 1, ...over,
  };
}

const PERSONAL = ['plate', 'citizenId', 'passId', 'passVersion', 'payloadHash', 'crossingId', 'scannerId', 'officer', 'note'] as const;

let dir: string;
let store: StationStore;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sec-retention-'));
  store = openStationStore(join(dir, 'station.db'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('station retention: personal data purged once uploaded and older than retentionDays', () => {
  it('clears only acknowledged records older than the retention, keeps what counts, and the chain still verifies', () => {
    // seq 1-3: 40 days old; 4-5: 40 days old; 6: 5 days old. The server acknowledged 1-3 and 6 (after a re-send).
    for (let i = 0; i < 5; i++) store.appendDecision({ records: [draft(NOW - 40 * DAY + i)] });
    store.appendDecision({ records: [draft(NOW - 5 * DAY)] });
    store.ackOutbox(3);
    expect(store.purgePersonalData(NOW, 30)).toEqual({ records: 3, cutoff: NOW - 30 * DAY });

    const all = store.journalSince(0, 100);
    for (const r of all.slice(0, 3)) {
      for (const f of PERSONAL) expect(r[f], `seq ${r.seq} ${f}`).toBeNull();
      // what is not personal stays: the counts per checkpoint, hour, verdict and reason still add up
      expect(r).toMatchObject({ stationId: STATION, kind: 'scan', lane: 'L1', direction: 'entry', verdict: 'ALLOW', codeKind: 'pass', policyVersion: 1 });
      expect(Object.keys(r)).not.toContain('purgedAt'); // the row's bookkeeping never reaches the wire record
    }
    // in the outbox (not yet uploaded): kept whole, whatever its age
    expect(all[3]).toMatchObject({ citizenId: '001099000001', note: 'Nguyễn Văn A, lái xe', plate: '51C-123.45' });
    expect(store.outboxBatch(10).map((r) => r.seq)).toEqual([4, 5, 6]);
    expect(all[5]).toMatchObject({ citizenId: '001099000001' }); // young
    expect(store.verifyChain()).toEqual({ ok: true, records: 6 });

    // idempotent; once uploaded, the old ones go at the next sweep; the young one waits for its day
    expect(store.purgePersonalData(NOW, 30).records).toBe(0);
    store.ackOutbox(6);
    expect(store.purgePersonalData(NOW, 30).records).toBe(2);
    expect(store.purgePersonalData(NOW + 26 * DAY, 30).records).toBe(1);
    expect(store.journalSince(0, 100).every((r) => r.citizenId === null)).toBe(true);
    expect(store.verifyChain()).toEqual({ ok: true, records: 6 });
    expect(() => store.purgePersonalData(NOW, 0)).toThrow(/retentionDays/);
    // at most maxRecords per call, oldest first
    store.appendDecision({ records: [draft(NOW - 40 * DAY), draft(NOW - 40 * DAY), draft(NOW - 40 * DAY)] });
    store.ackOutbox(9);
    expect(store.purgePersonalData(NOW, 30, 2).records).toBe(2);
    expect(store.journalSince(6).map((r) => r.citizenId === null)).toEqual([true, true, false]);
    expect(store.purgePersonalData(NOW, 30, 2).records).toBe(1);
  });

  it('still detects a removed, relinked or edited record around purged ones', () => {
    for (let i = 0; i < 6; i++) store.appendDecision({ records: [draft(NOW - 40 * DAY + i)] });
    store.ackOutbox(4);
    store.purgePersonalData(NOW, 30);
    const raw = new Database(join(dir, 'station.db'));
    try {
      raw.prepare("UPDATE journal SET verdict = 'DENY' WHERE seq = 5").run(); // not purged: content checked
      expect(store.verifyChain()).toMatchObject({ ok: false, seq: 5, message: 'record hash does not match its content' });
      raw.prepare("UPDATE journal SET verdict = 'ALLOW' WHERE seq = 5").run();
      raw.prepare("UPDATE journal SET prev_hash = ? WHERE seq = 3").run('b'.repeat(64)); // purged: links still checked
      expect(store.verifyChain()).toMatchObject({ ok: false, seq: 3, message: 'prevHash does not match the previous record' });
      raw.prepare('UPDATE journal SET prev_hash = (SELECT hash FROM journal WHERE seq = 2) WHERE seq = 3').run();
      expect(store.verifyChain().ok).toBe(true);
      raw.prepare('DELETE FROM journal WHERE seq = 2').run();
      expect(store.verifyChain()).toMatchObject({ ok: false, seq: 2, message: 'record 2 is missing' });
    } finally {
      raw.close();
    }
  });

  it('the server accepts records chained after purged ones, with no chain break', async () => {
    const app = await makeTestApp({ clock: () => NOW });
    try {
      const admin = await userWithRole(app, 'admin', 1);
      const st = await registerStation(app, admin, { stationId: STATION });
      const post = async () => {
        const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: STATION, records: store.outboxBatch(100) } });
        expect(res.statusCode, res.body).toBe(200);
        const ack = res.json() as { ackedSeq: number; rejected: unknown[]; chainBreaks: unknown[] };
        expect(ack).toMatchObject({ rejected: [], chainBreaks: [] });
        store.ackOutbox(ack.ackedSeq);
        return ack;
      };
      for (let i = 0; i < 3; i++) store.appendDecision({ records: [draft(NOW - 40 * DAY + i)] });
      expect((await post()).ackedSeq).toBe(3);
      expect(store.purgePersonalData(NOW, 30).records).toBe(3);
      store.appendDecision({ records: [draft(NOW)] });
      expect(await post()).toMatchObject({ ackedSeq: 4, stored: 1 });
      const alerts = await app.inject({ url: '/api/v1/alerts?kind=CHAIN_BREAK', headers: admin.headers });
      expect(alerts.statusCode).toBe(200);
      expect(alerts.json()).toEqual([]);
    } finally {
      await app.close();
    }
  });
});

describe('the station runs the purge at start and on its sweep timer', () => {
  const authority = createTestAuthority({ now: NOW, checkpointIds: [1] });

  it('uses config.retentionDays (default 30) with the station clock', async () => {
    store.close();
    const input = { ...stationConfigInput(authority, join(dir, 'data')), retentionDays: 10 };
    expect(parseStationConfig(stationConfigInput(authority, 'x')).retentionDays).toBe(30);
    expect(() => parseStationConfig({ ...input, retentionDays: 0 })).toThrow(/retentionDays/);
    const config = parseStationConfig(input);
    let now = NOW;
    const purged: unknown[] = [];
    let onPurge: (() => void) | null = null;
    const scanner = new FakeScanner('in', 'L1', 'entry');
    const make = (sweepMs?: number) =>
      new Station(config, {
        clock: () => now,
        scanners: [scanner],
        ...(sweepMs ? { retentionSweepMs: sweepMs } : {}),
        log: (_level, message, fields) => {
          if (message !== 'personal data purged') return;
          purged.push(fields);
          onPurge?.();
        },
      });
    let station = make();
    await station.start();
    try {
      applySeed(station.store, config, {
        rootPublicKey: authority.keys.root.publicKeyB64, trustDocument: authority.trustDocument, policyDocument: authority.policyDocument,
        items: [], syncedAt: NOW,
      }, NOW);
      const crew = { citizenId: '001099000777', name: 'Trần Thị B' };
      const pass = authority.issuePass({ crew: [crew] });
      station.store.applyFeedItems([pass.facts], { cursor: 2, syncedAt: NOW });
      const verdict = new Promise((resolve) => station.once('verdict', resolve));
      scanner.scan(pass.code);
      expect(await verdict).toMatchObject({ verdict: expect.any(String) });
      const seq = station.store.lastSeq();
      expect(station.store.journalSince(0).some((r) => r.plate !== null)).toBe(true);
      station.store.ackOutbox(seq);
      await station.stop();

      // eleven days later the station restarts: the purge runs at start
      now = NOW + 11 * DAY;
      station = make();
      await station.start();
      expect(purged).toEqual([expect.objectContaining({ records: seq })]);
      // (the crossing left open 11 days ago is closed at start: a new record, at `now`, kept whole)
      const old = station.store.journalSince(0).filter((r) => r.seq <= seq);
      expect(old.every((r) => r.plate === null && r.citizenId === null && r.passId === null)).toBe(true);
      expect(station.store.verifyChain().ok).toBe(true);
      await station.stop();

      // and on its timer while it runs: a record acknowledged after start is purged at the next sweep
      station = make(20);
      await station.start();
      const sweep = new Promise<void>((resolve) => (onPurge = resolve));
      station.store.appendDecision({ records: [draft(NOW, { stationId: config.stationId })] });
      const last = station.store.lastSeq();
      station.store.ackOutbox(last);
      await sweep;
      expect(station.store.journalSince(last - 1)).toEqual([expect.objectContaining({ seq: last, citizenId: null, note: null })]);

      // a long backlog is swept a chunk at a time, with the event loop free between chunks
      const first = station.store.lastSeq() + 1;
      station.store.appendDecision({ records: Array.from({ length: 5000 }, (_, i) => draft(NOW + i, { stationId: config.stationId })) });
      station.store.ackOutbox(station.store.lastSeq());
      let ranBetween = false;
      const sweeping = station.purgePersonalData();
      setImmediate(() => (ranBetween = true));
      expect(await sweeping).toMatchObject({ records: 5000 });
      expect(ranBetween).toBe(true);
      expect(station.store.journalSince(first - 1, 10_000).every((r) => r.citizenId === null)).toBe(true);
    } finally {
      await station.stop();
    }
  });
});
