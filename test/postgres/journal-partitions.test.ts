import { describe, expect, it } from 'vitest';
import { openPgServerDatabase } from '../../server/db/pg/database.js';
import { ensureJournalMonths } from '../../server/services/retention/journal-partitions.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();

/** Columns a journal row needs, the rest left to their defaults or null. */
function row(stationId: string, seq: number, at: number) {
  return [stationId, seq, 'p', 'h', at, at, 1, 79, 'scan', 'L1', 'entry', 'ALLOW', '[]', 'pass', 1, 1];
}
const INSERT = `INSERT INTO journal (station_id, seq, prev_hash, hash, at, received_at, checkpoint_id, province, kind, lane, direction,
  verdict, reasons, code_kind, policy_version, hash_ok) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;
const MONTH_2030_01 = Date.UTC(2030, 0, 15);
const MONTH_2030_02 = Date.UTC(2030, 1, 3);

describe.skipIf(skip)(`the journal partitioned by month on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('partitions');

  it('stores each record in its month, moves what the default partition held into a new month, and detaches whole months', async () => {
    const db = await openPgServerDatabase(pg.url(), { max: 2 });
    const c = db.client;
    try {
      // the migration made this month and the next two; 2030 lands in the default partition
      await c.run(INSERT, row('st-a', 1, Date.now()));
      await c.run(INSERT, row('st-a', 2, MONTH_2030_01));
      await c.run(INSERT, row('st-a', 3, MONTH_2030_02));
      const where = async () =>
        Object.fromEntries((await c.all<{ seq: number; part: string }>('SELECT seq, tableoid::regclass::text AS part FROM journal ORDER BY seq')).map((r) => [r.seq, r.part]));
      const thisMonth = `journal_y${new Date().getUTCFullYear()}m${String(new Date().getUTCMonth() + 1).padStart(2, '0')}`;
      expect(await where()).toEqual({ 1: thisMonth, 2: 'journal_default', 3: 'journal_default' });

      expect((await c.get<{ n: number }>('SELECT journal_add_month_partitions(?, 2) AS n', [MONTH_2030_01]))!.n).toBe(2);
      expect((await c.get<{ n: number }>('SELECT journal_add_month_partitions(?, 2) AS n', [MONTH_2030_01]))!.n).toBe(0); // idempotent
      expect(await where()).toEqual({ 1: thisMonth, 2: 'journal_y2030m01', 3: 'journal_y2030m02' });

      // a search with a time range reads only its month
      const plan = (await c.all<{ 'QUERY PLAN': string }>('EXPLAIN SELECT * FROM journal WHERE at >= ? AND at < ?', [Date.UTC(2030, 1, 1), Date.UTC(2030, 2, 1)]))
        .map((r) => r['QUERY PLAN']).join('\n');
      expect(plan).toContain('journal_y2030m02');
      expect(plan).not.toContain('journal_y2030m01');

      // the key still refuses the same record twice; (station, seq) stays findable through the key's prefix
      await expect(c.run(INSERT, row('st-a', 2, MONTH_2030_01))).rejects.toMatchObject({ code: '23505' });

      const detached = (await c.all<{ name: string }>('SELECT journal_detach_months_before(?) AS name', [Date.UTC(2030, 1, 1)])).map((r) => r.name);
      expect(detached).toEqual(expect.arrayContaining(['journal_y2030m01', thisMonth]));
      expect(detached).not.toContain('journal_y2030m02');
      expect(Object.keys(await where())).toEqual(['3']);
      // detached, not dropped: the month is still there to archive
      expect((await c.get<{ n: number }>('SELECT count(*) AS n FROM journal_y2030m01'))!.n).toBe(1);
    } finally {
      await db.close();
    }
  });

  it('the retention sweep keeps this month and the next two made ahead', async () => {
    const db = await openPgServerDatabase(pg.url(), { max: 1 });
    try {
      const at = Date.UTC(2031, 10, 20);
      expect(await ensureJournalMonths(db.client, at)).toBe(3);
      expect(await ensureJournalMonths(db.client, at)).toBe(0);
      const months = (await db.client.all<{ relname: string }>("SELECT relname FROM pg_class WHERE relkind = 'r' AND (relname LIKE 'journal_y2031%' OR relname LIKE 'journal_y2032%') ORDER BY relname")).map((r) => r.relname);
      expect(months).toEqual(['journal_y2031m11', 'journal_y2031m12', 'journal_y2032m01']);
    } finally {
      await db.close();
    }
  });
});
