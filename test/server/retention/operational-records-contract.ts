import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlClient } from '../../../server/db/sql-client.js';
import { sqlOperationalRecordsPruner } from '../../../server/services/retention/operational-records.js';

const DAY = 86_400_000;
const MIN = 60_000;
const NOW = Date.UTC(2021, 8, 1);
const CUTOFF = NOW - 30 * DAY;

/** The retention sweep's pruning of heartbeat minutes, notices and health history, run on each engine. */
export function describeOperationalRecordsPruner(engine: string, open: () => Promise<{ client: SqlClient; close: () => Promise<void> }>): void {
  describe(`operational records pruning on ${engine}`, () => {
    let db: { client: SqlClient; close: () => Promise<void> };
    const count = async (table: string) => Number((await db.client.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`))!.n);
    const ats = async (table: string, key: string) => (await db.client.all<{ at: number }>(`SELECT at FROM ${table} ORDER BY ${key}`)).map((r) => r.at);

    beforeAll(async () => {
      db = await open();
      const c = db.client;
      for (const id of ['chot-7901', 'chot-7902']) {
        await c.run(`INSERT INTO stations (station_id, checkpoint_id, name, province, lanes, secret_hash, created_at) VALUES (?, 7901, 'Chốt', 79, '[]', 'x', 0)`, [id]);
      }
      // minutes on both sides of the cutoff for two stations
      for (const id of ['chot-7901', 'chot-7902']) {
        for (const minute of [CUTOFF - 2 * MIN, CUTOFF - MIN, CUTOFF, CUTOFF + MIN]) {
          await c.run('INSERT INTO heartbeat_minutes (station_id, minute) VALUES (?, ?)', [id, minute]);
        }
      }
      // 12 notices and 12 health changes: 7 old, then one new among the old (a clock set back), then new ones
      const times = [1, 2, 3, 4, 5, 6, 7].map((d) => CUTOFF - d * MIN).concat([CUTOFF + MIN, CUTOFF - 8 * MIN, CUTOFF, CUTOFF + 2 * MIN, NOW]);
      for (const [i, at] of times.entries()) {
        await c.run(`INSERT INTO notices (key, kind, at, province, message_vi, message) VALUES (?, 'STATION_SILENT', ?, 79, 'Chốt im lặng', 'Station silent')`, [`k${i}`, at]);
        await c.run(`INSERT INTO health_changes (at, citizen_id, kind, change, by_user, reason) VALUES (?, '079099000001', 'flag', '{"status":"F1"}', 'yt', 'import')`, [at]);
      }
    });
    afterAll(async () => db?.close());

    it('deletes what is older than the cutoff, walking the notices and health history in chunks, and keeps the rest', async () => {
      const pruner = sqlOperationalRecordsPruner(db.client);
      // chunks of 3: the walk must cross chunk boundaries and the out-of-order row
      expect(await pruner.prune(CUTOFF, 3)).toEqual({ heartbeatMinutes: 4, notices: 8, healthChanges: 8 });
      expect(await count('heartbeat_minutes')).toBe(4);
      expect((await db.client.all<{ minute: number }>('SELECT minute FROM heartbeat_minutes')).every((r) => r.minute >= CUTOFF)).toBe(true);
      expect(await ats('notices', 'seq')).toEqual([CUTOFF + MIN, CUTOFF, CUTOFF + 2 * MIN, NOW]);
      expect(await ats('health_changes', 'id')).toEqual([CUTOFF + MIN, CUTOFF, CUTOFF + 2 * MIN, NOW]);
      // idempotent
      expect(await pruner.prune(CUTOFF, 3)).toEqual({ heartbeatMinutes: 0, notices: 0, healthChanges: 0 });
    });
  });
}
