import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import type { BatchAck, JournalRecord } from '../../shared/contracts/journal.js';
import { makeTestApp, registerStation, testClock, userWithRole, type TestStation } from './helpers.js';
import { journalChain } from './journal-fixtures.js';

const count = async (app: FastifyInstance, stationId: string) =>
  (await app.database.client.get<{ n: number }>('SELECT count(*) AS n FROM journal WHERE station_id = ?', [stationId]))!.n;

describe('ingest', () => {
  let app: FastifyInstance;
  let st: TestStation;
  const clock = testClock();

  beforeEach(async () => {
    app = await makeTestApp({ clock });
    const admin = await userWithRole(app, 'admin', 1);
    st = await registerStation(app, admin);
  });
  afterEach(async () => app.close());

  const post = async (records: unknown[], station = st, stationId = station.stationId) => {
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: station.headers, payload: { stationId, records } });
    return { status: res.statusCode, ack: res.json() as BatchAck };
  };

  it('stores a batch posted three times once, and acks its last seq', async () => {
    const recs = journalChain(st.stationId, 50);
    const first = await post(recs);
    expect(first.status).toBe(200);
    expect(first.ack).toMatchObject({ ackedSeq: 50, stored: 50, duplicates: 0, rejected: [], chainBreaks: [] });
    for (let i = 0; i < 2; i++) expect((await post(recs)).ack).toMatchObject({ ackedSeq: 50, stored: 0, duplicates: 50, rejected: [] });
    expect(await count(app, st.stationId)).toBe(50);
  });

  it('stores overlapping batches once; the ack waits at a gap and jumps when it is filled', async () => {
    const recs = journalChain(st.stationId, 30);
    expect((await post(recs.slice(0, 10))).ack.ackedSeq).toBe(10);
    // 15..30 arrive before 11..14: ack stays at 10
    const gapped = await post(recs.slice(14, 30));
    expect(gapped.ack).toMatchObject({ ackedSeq: 10, stored: 16, chainBreaks: [] });
    // an overlapping batch 5..20 fills the gap: 11..14 new, the rest duplicates
    const filled = await post(recs.slice(4, 20));
    expect(filled.ack).toMatchObject({ ackedSeq: 30, stored: 4, duplicates: 12, chainBreaks: [] });
    expect(await count(app, st.stationId)).toBe(30);
  });

  it('handles a batch whose seqs are far apart (no range read) the same way', async () => {
    const recs = journalChain(st.stationId, 300);
    await post(recs.slice(0, 1));
    const { ack } = await post([recs[0], recs[299]]);
    expect(ack).toMatchObject({ stored: 1, duplicates: 1, ackedSeq: 1, chainBreaks: [] });
    const other = journalChain(st.stationId, 1, () => ({ lane: 'L9' }))[0]!;
    expect((await post([other, recs[299]])).ack).toMatchObject({ stored: 0, duplicates: 1, rejected: [expect.objectContaining({ seq: 1 })] });
  });

  it('reports each bad record with its index, keeps it aside, and does not let it block the ack', async () => {
    const recs: unknown[] = journalChain(st.stationId, 3);
    const bad = { ...(recs[1] as JournalRecord), plate: 'not a plate' };
    const batch = [recs[0], bad, recs[2], 'garbage'];
    const { status, ack } = await post(batch);
    expect(status).toBe(200);
    expect(ack.stored).toBe(2);
    // seq 2 is quarantined as sent: counted as received, so the station's outbox can move on
    expect(ack.ackedSeq).toBe(3);
    expect(ack.rejected).toEqual([
      expect.objectContaining({ index: 1, seq: 2, message: expect.stringContaining('/plate') }),
      expect.objectContaining({ index: 3, seq: null }),
    ]);
    const kept = await app.database.client.all<{ seq: number | null; record: string }>('SELECT seq, record FROM journal_rejects ORDER BY id');
    expect(kept.map((k) => k.seq)).toEqual([2, null]);
    expect(JSON.parse(kept[0]!.record)).toEqual(bad);
    // a retry of the same batch keeps nothing twice and raises no second alert
    expect((await post(batch)).ack).toMatchObject({ stored: 0, duplicates: 2, ackedSeq: 3 });
    expect(await app.database.client.get('SELECT count(*) AS n FROM journal_rejects')).toEqual({ n: 2 });
    expect(await app.database.client.get("SELECT count(*) AS n FROM station_alerts WHERE kind = 'INVALID_RECORD'")).toEqual({ n: 2 });
  });

  it('flags a tampered record as a chain break and raises an alert', async () => {
    const recs = journalChain(st.stationId, 5);
    const tampered = { ...recs[2]!, verdict: 'DENY' as const };
    const { ack } = await post([recs[0], recs[1], tampered, recs[3], recs[4]]);
    expect(ack.stored).toBe(5);
    expect(ack.chainBreaks).toEqual([expect.objectContaining({ seq: 3, message: expect.stringContaining('altered') })]);
    const alerts = await app.database.client.all('SELECT kind, seq FROM station_alerts WHERE station_id = ?', [st.stationId]);
    expect(alerts).toEqual([{ kind: 'CHAIN_BREAK', seq: 3 }]);
    const flags = await app.database.client.all<{ seq: number }>('SELECT seq FROM journal WHERE station_id = ? AND NOT hash_ok', [st.stationId]);
    expect(flags.map((f) => f.seq)).toEqual([3]);
  });

  it('flags a missing-then-replaced record: a rewritten chain does not link to what was stored', async () => {
    const recs = journalChain(st.stationId, 6);
    await post(recs.slice(0, 3));
    // the station "rewrote" history from seq 4 on with a different chain start
    const forged = journalChain(st.stationId, 6, () => ({ verdict: 'DENY' })).slice(3);
    const { ack } = await post(forged);
    expect(ack.chainBreaks.map((b) => b.seq)).toEqual([4]);
  });

  it('keeps a different record under a stored seq aside as a conflict, never overwriting', async () => {
    const recs = journalChain(st.stationId, 2);
    await post(recs);
    const other = journalChain(st.stationId, 2, () => ({ plate: '29A-999.99' }))[1]!;
    const { ack } = await post([other]);
    expect(ack).toMatchObject({ stored: 0, duplicates: 0, ackedSeq: 2 });
    expect(ack.rejected[0]).toMatchObject({ index: 0, seq: 2, message: expect.stringContaining('different content') });
    const stored = await app.database.client.get('SELECT plate FROM journal WHERE station_id = ? AND seq = 2', [st.stationId]);
    expect(stored).toEqual({ plate: '51C-123.45' });
    expect(await app.database.client.get('SELECT count(*) AS n FROM journal_conflicts')).toEqual({ n: 1 });
  });

  it('keeps the station time and the server receipt time side by side', async () => {
    clock.set(Date.UTC(2021, 8, 1, 12));
    const recs = journalChain(st.stationId, 1, () => ({}), Date.UTC(2021, 8, 1, 9));
    await post(recs);
    const row = await app.database.client.get('SELECT at, received_at AS "receivedAt" FROM journal WHERE station_id = ?', [st.stationId]);
    expect(row).toEqual({ at: recs[0]!.at, receivedAt: Date.UTC(2021, 8, 1, 12) });
  });

  it('refuses a station posting as another station, and a batch with another station\'s records', async () => {
    const admin = await userWithRole(app, 'admin', 1);
    const other = await registerStation(app, admin);
    const asOther = await post(journalChain(other.stationId, 2), st, other.stationId);
    expect(asOther.status).toBe(403);
    const smuggled = await post(journalChain(other.stationId, 2), st, st.stationId);
    expect(smuggled.ack.stored).toBe(0);
    expect(smuggled.ack.rejected).toHaveLength(2);
    expect(smuggled.ack.ackedSeq).toBe(0);
    expect(await count(app, other.stationId)).toBe(0);
  });
});
