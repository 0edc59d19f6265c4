import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import type { SqlClient } from '../../server/db/sql-client.js';
import { NoticeSource, type Notice, type NoticeCursor } from '../../server/services/notify/notices.js';
import { noticeStore } from '../../server/services/notify/store.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { DAY_START, HOUR, loadAuditFixture, MIN, NOW } from '../server/audit/audit-fixture.js';
import { usePostgres } from './use-postgres.js';

const unavailable = pgUnavailableReason();

/** A person refused as F0 at chot-b, as ingest stores it, received at `receivedAt`. */
async function refusal(client: SqlClient, seq: number, receivedAt: number): Promise<void> {
  await client.run(`INSERT INTO journal (station_id, seq, prev_hash, hash, at, received_at, checkpoint_id, province, kind, lane, direction, crossing_id, verdict,
      reasons, code_kind, citizen_id, policy_version, hash_ok)
    VALUES ('chot-b', @seq, 'p', 'h', @at, @receivedAt, 12, 79, 'scan', 'L1', 'entry', @crossingId, 'DENY', '["POSITIVE_OR_CONTACT"]', 'health', '079000000042', 1, @ok)`,
  { seq, at: DAY_START + 20 * HOUR + seq, receivedAt, crossingId: `late-${seq}`, ok: 1 });
}

async function alert(client: SqlClient, createdAt: number): Promise<void> {
  await client.run(`INSERT INTO station_alerts (station_id, kind, message, created_at) VALUES ('chot-b', 'CLONE', 'clone', @createdAt)`, { createdAt });
}

if (unavailable) {
  describe.skip(`notices after a cursor on PostgreSQL (skipped: ${unavailable})`, () => it('needs PostgreSQL', () => undefined));
} else {
  /**
   * Two server instances (two pools) on one database: a refusal and an alert written by instance A in a
   * transaction that commits AFTER instance B's later ones were read. Read by number or by time without a
   * margin, A's rows would be behind the cursor when they appear; the notices source must still announce
   * each of them once.
   */
  describe('notices after a cursor on PostgreSQL, with two instances writing', () => {
    const pg = usePostgres('notices');
    let a: PgServerDatabase;
    let b: PgServerDatabase;
    beforeAll(async () => {
      a = await openPgServerDatabase(pg.url(), { max: 2 });
      b = await openPgServerDatabase(pg.url(), { max: 2 });
      await loadAuditFixture(a.client);
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
    });

    it('announces a refusal and an alert that committed after later ones were read, each once', async () => {
      const source = new NoticeSource(b.client);
      const store = noticeStore(b.client);
      let cursor: NoticeCursor = await source.head();
      const poll = async () => {
        const r = await source.since(cursor, NOW, 15 * MIN);
        const kept = await store.add(r.notices, r.cursor);
        cursor = r.cursor;
        return kept.map((n) => n.key).filter((k) => !k.startsWith('silent:'));
      };
      // the fixture's refusals and alert are old news when the source starts
      expect(await poll()).toEqual([]);

      let commit!: () => void;
      const held = new Promise<void>((resolve) => (commit = resolve));
      let written!: () => void;
      const wroteA = new Promise<void>((resolve) => (written = resolve));
      const instanceA = a.client.transaction(async () => {
        await refusal(a.client, 100, NOW + 1000);
        await alert(a.client, NOW + 1000);
        written();
        await held;
      });
      await wroteA;
      await refusal(b.client, 101, NOW + 2000);
      await alert(b.client, NOW + 2000);
      const idB = (await b.client.get<{ id: number }>('SELECT max(id) AS id FROM station_alerts'))!.id;
      expect((await poll()).sort()).toEqual([`alert:${idB}`, 'turned-back:chot-b:101']);
      commit();
      await instanceA;
      const idA = (await b.client.get<{ id: number }>("SELECT id FROM station_alerts WHERE created_at = @t", { t: NOW + 1000 }))!.id;
      expect(idA).toBeLessThan(idB); // A drew the lower number, and committed it after B's higher one was read
      expect((await poll()).sort()).toEqual([`alert:${idA}`, 'turned-back:chot-b:100']);
      // read again inside the margin, and kept (so listed and sent) once
      expect(await poll()).toEqual([]);
      const kept = await b.client.all<{ key: string }>("SELECT key FROM notices WHERE key LIKE 'turned-back:chot-b:10%' OR key IN (@a, @b) ORDER BY key", { a: `alert:${idA}`, b: `alert:${idB}` });
      expect(kept.map((r) => r.key)).toEqual([`alert:${idA}`, `alert:${idB}`, 'turned-back:chot-b:100', 'turned-back:chot-b:101']);
    });

    it('numbers kept notices in commit order across instances, so a list read after its last seq misses none', async () => {
      const notice = (key: string): Notice => ({ key, kind: 'DAILY_REPORT', at: NOW, province: 79, stationId: null, checkpointId: null, messageVi: key, message: key });
      const storeA = noticeStore(a.client);
      const storeB = noticeStore(b.client);
      let commit!: () => void;
      const held = new Promise<void>((resolve) => (commit = resolve));
      let kept!: () => void;
      const keptA = new Promise<void>((resolve) => (kept = resolve));
      const instanceA = a.client.transaction(async () => {
        await storeA.add([notice('order:a')], null);
        kept();
        await held;
      });
      await keptA;
      const instanceB = storeB.add([notice('order:b')], null);
      // B waits for A's lock (seen in pg_locks), rather than drawing a later seq and committing first
      const waiting = async () => (await b.client.get<{ n: number }>("SELECT count(*) AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"))!.n;
      let bDone = false;
      void instanceB.then(() => (bDone = true));
      while (!bDone && (await waiting()) === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const before = await storeB.list(0, 500);
      expect(before.items.map((n) => n.key).filter((k) => k.startsWith('order:'))).toEqual([]);
      commit();
      await instanceA;
      await instanceB;
      const after = await storeB.list(before.last, 500);
      expect(after.items.map((n) => n.key)).toEqual(['order:a', 'order:b']);
      expect(after.items[0]!.seq).toBeLessThan(after.items[1]!.seq);
    });
  });
}
