import { describe, expect, it } from 'vitest';
import { openStationStore, type RecordDraft } from '../../station/store/store.js';
import { makeTestApp, registerStation, userWithRole, sqlColumn, sqlScalar } from '../server/helpers.js';
import { HOSTILE_TEXT } from './schema-arbitrary.js';

const draft = (note: string, officer = 'officer-1'): RecordDraft => ({
  stationId: 'chot-text', at: Date.UTC(2021, 8, 1, 8), kind: 'override', lane: 'L1', direction: 'entry', scannerId: null, crossingId: 'c-1',
  verdict: 'ALLOW', reasons: [], codeKind: 'pass', passId: 1, passProvince: 79, passVersion: 1, plate: '51C-123.45', citizenId: null, payloadHash: null,
  officer, note, policyVersion: 1,
});

describe('hostile text in the station journal (officer notes)', () => {
  it('is kept as written and the chain verifies; a lone surrogate or a NUL becomes U+FFFD before sealing, at the station and the server alike', async () => {
    const store = openStationStore(':memory:');
    const app = await makeTestApp();
    try {
      const notes = [...HOSTILE_TEXT, 'x'.repeat(1000)];
      for (const note of notes) store.appendDecision({ records: [draft(note, note.length <= 100 ? note : 'officer-1')] });
      // before the fix, the lone surrogate note was stored as replacement characters and its hash no longer matched
      expect(store.verifyChain()).toEqual({ ok: true, records: notes.length });
      const read = store.journalSince(0, 100);
      const expected = notes.map((n) => n.replace('\ud800', '\ufffd').replace('\u0000', '\ufffd'));
      expect(read.map((r) => r.note)).toEqual(expected);

      const admin = await userWithRole(app, 'admin', 1);
      const st = await registerStation(app, admin, { stationId: 'chot-text' });
      const up = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: 'chot-text', records: store.outboxBatch(100) } });
      expect(up.json()).toMatchObject({ ackedSeq: notes.length, rejected: [], chainBreaks: [] });
      const atServer = (await sqlColumn(app, "SELECT note FROM journal WHERE station_id = 'chot-text' ORDER BY seq"));
      expect(atServer).toEqual(expected);
    } finally {
      store.close();
      await app.close();
    }
  });

  it('a record carrying a NUL from a station that did not replace it is refused on its own, the rest of the batch stored', async () => {
    const store = openStationStore(':memory:');
    const app = await makeTestApp();
    try {
      store.appendDecision({ records: [draft('first')] });
      store.appendDecision({ records: [draft('second')] });
      const [a, b] = store.outboxBatch(10);
      const admin = await userWithRole(app, 'admin', 1);
      const st = await registerStation(app, admin, { stationId: 'chot-text' });
      const forged = { ...b!, note: 'x\u0000y' };
      const up = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: 'chot-text', records: [a, forged] } });
      expect(up.statusCode).toBe(200);
      // refused and quarantined, not retried forever: the station sees the rejection and moves on
      expect(up.json()).toMatchObject({ ackedSeq: 2, rejected: [{ seq: 2, message: expect.stringContaining('NUL') }] });
      expect(await sqlScalar(app, "SELECT count(*) FROM journal_rejects WHERE station_id = 'chot-text'")).toBe(1);
      expect(await sqlColumn(app, "SELECT note FROM journal WHERE station_id = 'chot-text' ORDER BY seq")).toEqual(['first']);
    } finally {
      store.close();
      await app.close();
    }
  });
});
