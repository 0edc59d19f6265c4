import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../../../server/db/sql-client.js';
import { ArrivalsRepository, type ArrivalQuery, type Declaration } from '../../../server/services/arrivals/repository.js';

/**
 * The arrivals repository's SQL on a migrated server database of either engine (SQLite in
 * repository.test.ts, PostgreSQL in test/postgres/arrivals-repository.test.ts): the same rows in, the
 * same arrivals and counts out. Rows are written with plain SQL so only the repository is under test.
 */
const NOW = Date.parse('2026-11-30T08:00:00+07:00');
const HOUR = 3_600_000;

export function describeArrivalsRepository(engine: string, open: () => Promise<{ client: SqlClient; close(): Promise<void> }>): void {
  describe(`arrivals repository on ${engine}`, () => {
    let db: { client: SqlClient; close(): Promise<void> };
    let repo: ArrivalsRepository;
    const query = (commune: string | null, levels = [4]): ArrivalQuery => ({
      scope: { province: 79, district: commune ? '760' : null, commune }, levels, declaredSince: NOW - 14 * 24 * HOUR, before: 24 * HOUR, after: 168 * HOUR,
    });
    const decl = (citizenId: string, commune: string, originZone: string, declaredAt = NOW - 3 * HOUR): Declaration => ({
      citizenId, name: `Người ${citizenId.slice(-1)}`, phone: '0901234567', originZone, province: 79, district: '760', commune, address: '1 Lê Lợi', declaredAt,
    });
    let seq = 0;
    const entry = (citizenId: string, at: number, verdict = 'ALLOW', kind = 'scan') => db.client.run(
      `INSERT INTO journal (station_id, seq, prev_hash, hash, at, received_at, checkpoint_id, province, kind, lane, direction, verdict, reasons, code_kind, citizen_id, policy_version, hash_ok)
       VALUES ('chot-7901', @seq, 'p', 'h', @at, @at, 7901, 79, @kind, 'L1', 'entry', @verdict, '[]', 'health', @citizenId, 1, @ok)`,
      { seq: ++seq, at, kind, verdict, citizenId, ok: 1 });

    beforeAll(async () => {
      db = await open();
      repo = new ArrivalsRepository(db.client);
      await db.client.exec(`
        INSERT INTO zones (zone, level, updated_at, updated_by, item, change_seq) VALUES ('01', 4, 0, 't', '{}', 1), ('79', 2, 0, 't', '{}', 2);
        INSERT INTO stations (station_id, checkpoint_id, name, province, lanes, secret_hash, created_at) VALUES ('chot-7901', 7901, 'Chốt Suối Tiên', 79, '[]', 'x', 0);
        INSERT INTO people (citizen_id, name, phone, test, doses, status, status_as_of, updated_at, updated_by, item, change_seq)
          VALUES ('001099000001', 'Người 1', NULL, '{"type":"RT_PCR","result":"NEGATIVE","sampledAt":1}', 2, 'F1', 0, 0, 't', '{}', 1);`);
      await repo.transaction(async () => {
        expect(await repo.upsert(decl('001099000001', '26734', '01-001'), NOW, 'yt')).toBe(true);
        expect(await repo.upsert(decl('001099000002', '26737', '01'), NOW, 'yt')).toBe(true);
        expect(await repo.upsert(decl('079099000003', '26737', '79-760'), NOW, 'yt')).toBe(true);
        expect(await repo.upsert(decl('001099000004', '26737', '01'), NOW, 'yt')).toBe(true);
      });
      await entry('001099000001', NOW - 2 * HOUR);
      await entry('001099000001', NOW - 2 * HOUR, 'ALLOW', 'crossing');
      await entry('001099000001', NOW - HOUR);
      await entry('001099000002', NOW - 2 * HOUR, 'REVIEW');
      await entry('079099000003', NOW - 2 * HOUR);
      await entry('001099000004', NOW - 2 * HOUR, 'DENY');
      // outside the declaration's window: a week and more before it
      await entry('001099000002', NOW - 30 * 24 * HOUR);
    });
    afterAll(async () => db?.close());

    it('lists each arrival once at its first entry, with the checkpoint, the test and the flag; refused and level-2 people are not arrivals', async () => {
      const a = await repo.list(query('26734'), 'unconfirmed', 10);
      expect(a).toEqual([expect.objectContaining({
        citizenId: '001099000001', originLevel: 4, enteredAt: NOW - 2 * HOUR, checkpointId: 7901, checkpointName: 'Chốt Suối Tiên',
        test: { type: 'RT_PCR', result: 'NEGATIVE', sampledAt: 1 }, healthStatus: 'F1', outcome: null,
      })]);
      expect((await repo.list(query('26737'), 'all', 10)).map((r) => r.citizenId)).toEqual(['001099000002']);
      expect((await repo.list(query(null), 'all', 10)).map((r) => r.citizenId).sort()).toEqual(['001099000001', '001099000002']);
      expect((await repo.list(query(null, [2, 4]), 'all', 10)).map((r) => r.citizenId).sort()).toEqual(['001099000001', '001099000002', '079099000003']);
      expect(await repo.list(query(null, []), 'all', 10)).toEqual([]);
    });

    it('counts per commune, unconfirmed and overdue; an outcome clears the count and is kept in the history', async () => {
      expect(await repo.countByCommune(query(null), NOW - HOUR)).toEqual([
        { province: 79, district: '760', commune: '26734', arrivals: 1, unconfirmed: 1, overdue: 1 },
        { province: 79, district: '760', commune: '26737', arrivals: 1, unconfirmed: 1, overdue: 1 },
      ]);
      const [a] = await repo.list(query('26734'), 'all', 1);
      await repo.transaction(async () => expect(await repo.setOutcome(a!.id, a!.citizenId, 'monitored', 'gọi được', 'tyt', NOW)).toBe(true));
      expect(await repo.setOutcome(a!.id, 'someone-else', 'monitored', null, 'tyt', NOW)).toBe(false);
      expect((await repo.countByCommune(query(null), NOW - 3 * HOUR)).map((c) => [c.commune, c.unconfirmed, c.overdue])).toEqual([['26734', 0, 0], ['26737', 1, 0]]);
      expect(await db.client.all('SELECT outcome, note, by_user AS "byUser" FROM arrival_outcomes')).toEqual([{ outcome: 'monitored', note: 'gọi được', byUser: 'tyt' }]);
    });

    it('a newer declaration replaces the stored one and clears its outcome; the same or an older one changes nothing', async () => {
      expect(await repo.upsert(decl('001099000001', '26734', '01-001'), NOW, 'yt')).toBe(false);
      expect(await repo.upsert(decl('001099000001', '26734', '01-001', NOW - 4 * HOUR), NOW, 'yt')).toBe(false);
      expect((await repo.list(query('26734'), 'all', 1))[0]?.outcome).toBe('monitored');
      expect(await repo.upsert({ ...decl('001099000001', '26734', '01-001', NOW - 2.5 * HOUR), address: '9 Hàm Nghi' }, NOW, 'yt')).toBe(true);
      expect(await repo.list(query('26734'), 'all', 1)).toEqual([expect.objectContaining({ address: '9 Hàm Nghi', outcome: null, enteredAt: NOW - 2 * HOUR })]);
      expect(await repo.declarationOf('001099000001')).toMatchObject({ address: '9 Hàm Nghi', declaredAt: NOW - 2.5 * HOUR });
    });
  });
}
