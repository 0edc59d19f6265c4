import { describe, expect, it } from 'vitest';
import { openServerDatabase } from '../../server/db/database.js';
import { openPgServerDatabase } from '../../server/db/pg/database.js';
import type { SqlClient } from '../../server/db/sql-client.js';
import type { SqliteClient } from '../../server/db/sqlite-client.js';
import { SqlChangeLog } from '../../server/services/feed/change-log.js';
import { PgSnapshotReader } from '../../server/services/feed/pg-snapshot.js';
import type { SnapshotReader } from '../../server/services/feed/snapshot.js';
import { SqliteSnapshotReader } from '../../server/services/feed/sqlite-snapshot.js';
import { SqlZoneRepository } from '../../server/services/zones/service.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();
const SCOPE = { checkpointId: 7901, province: 79 };
const T = Date.UTC(2021, 8, 1);

/** The same rows, through the same portable SQL, into either engine; each row's change appended as writers do. */
async function fill(client: SqlClient): Promise<void> {
  const log = new SqlChangeLog(client);
  await new SqlZoneRepository(client, log).set({ zone: '79', level: 3, updatedAt: T, updatedBy: 't' });
  await new SqlZoneRepository(client, log).set({ zone: '01', level: 4, updatedAt: T, updatedBy: 't' });
  await client.transaction(async () => {
    const doc = (n: number) => JSON.stringify({ kid: 'k', body: JSON.stringify({ version: n }), sig: 's' });
    const trustSeq = await log.append('trustList', 'current', JSON.stringify({ type: 'trustList', document: JSON.parse(doc(1)) }), T);
    await client.run('INSERT INTO trust_lists (version, document, issued_at, item, change_seq) VALUES (1, ?, ?, ?, ?)', [doc(1), T, JSON.stringify({ type: 'trustList', document: JSON.parse(doc(1)) }), trustSeq]);
    for (const [version, province] of [[1, null], [2, 79], [3, 80]] as const) {
      const item = JSON.stringify({ type: 'policy', document: JSON.parse(doc(version)) });
      const seq = await log.append('policy', province === null ? 'current' : String(province), item, T);
      await client.run('INSERT INTO policies (version, province, document, published_at, published_by, item, change_seq) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [version, province, doc(version), T, 't', item, seq]);
    }
    // 1 crosses 7901; 2 crosses province 79; 3 does not cross and is REVOKED (its status line); 4 neither.
    const passes: [number, string, number[], number[]][] = [[1, 'ACTIVE', [7901], [79]], [2, 'ACTIVE', [8001], [79, 80]], [3, 'REVOKED', [8001], [80]], [4, 'ACTIVE', [101], [1]]];
    for (const [id, status, checkpoints, provinces] of passes) {
      const item = JSON.stringify({ type: 'pass', passId: id, issuingProvince: 80, status, routeCheckpoints: checkpoints, routeProvinces: provinces });
      const seq = await log.append('pass', String(id), item, T);
      await client.run(
        `INSERT INTO passes (id, version, status, plate, goods, crew, origin_zone, destination_zone, route_checkpoints, route_provinces, valid_from, direction,
          max_stay_hours, issuing_province, issued_at, code, created_at, created_by, updated_at, updated_by, item, change_seq)
          VALUES (?, 1, ?, '51C-000.01', 1, '[]', '79', '80', ?, ?, ?, 'both', 24, 80, ?, 'code', ?, 't', ?, 't', ?, ?)`,
        [id, status, JSON.stringify(checkpoints), JSON.stringify(provinces), T, T, T, T + id, item, seq]);
    }
    // F1; positive test only; nobody (never on the flag list)
    const people: [string, string, string | null][] = [
      ['079000000001', 'F1', null],
      ['079000000002', 'NONE', JSON.stringify({ type: 'RT_PCR', result: 'POSITIVE', sampledAt: T - 1000 })],
      ['079000000003', 'NONE', JSON.stringify({ type: 'RT_PCR', result: 'NEGATIVE', sampledAt: T - 1000 })],
    ];
    for (const [citizenId, status, test] of people) {
      const item = JSON.stringify({ type: 'person', citizenId, status, statusAsOf: T, test: test === null ? null : JSON.parse(test) });
      const seq = await log.append('person', citizenId, item, T);
      await client.run(
        'INSERT INTO people (citizen_id, name, doses, status, status_as_of, updated_at, updated_by, item, change_seq, test) VALUES (?, ?, 2, ?, ?, ?, ?, ?, ?, ?)',
        [citizenId, 'X', status, T, T, 't', item, seq, test]);
    }
  });
}

async function walkAll(reader: SnapshotReader, cursor: number, limit: number): Promise<unknown[]> {
  const items: unknown[] = [];
  let pos: Parameters<SnapshotReader['page']>[1] | null = { cursor, entity: 0, after: null };
  while (pos) {
    const page = await reader.page(SCOPE, pos, limit);
    items.push(...page.items.map((i) => JSON.parse(i) as unknown));
    pos = page.next;
  }
  return items;
}

describe.skipIf(skip)(`the snapshot walk and the deltas on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('feedsnapshot');

  it('give a station the same items as on SQLite, page by page', async () => {
    const pgDb = await openPgServerDatabase(pg.url(), { max: 2 });
    const lite = openServerDatabase(':memory:');
    try {
      await fill(pgDb.client);
      await fill(lite.client);
      const head = await new SqlChangeLog(pgDb.client).head();
      expect(head).toBe(await new SqlChangeLog(lite.client).head());
      const onPg = await walkAll(new PgSnapshotReader(pgDb.client), head, 2);
      const onLite = await walkAll(new SqliteSnapshotReader(lite.client as SqliteClient), head, 2);
      expect(onPg).toEqual(onLite);
      // What the station should hold: the list, its own province's policy, both zones, passes 1 and 2,
      // pass 3's status line, the two flags (never the third person, never pass 4).
      expect(onPg.map((i) => (i as { type: string }).type)).toEqual(['trustList', 'policy', 'zone', 'zone', 'pass', 'pass', 'passStatus', 'flag', 'flag']);
      expect(onPg).toContainEqual({ type: 'flag', citizenId: '079000000002', status: 'NONE', statusAsOf: T, test: { type: 'RT_PCR', result: 'POSITIVE', sampledAt: T - 1000 } });
      expect(onPg).toContainEqual({ type: 'passStatus', issuingProvince: 80, passId: 3, status: 'REVOKED', since: T + 3 });
      // A cursor before the people: their rows are left to the deltas, which carry them.
      const beforePeople = head - 2;
      expect((await walkAll(new PgSnapshotReader(pgDb.client), beforePeople, 100)).filter((i) => (i as { type: string }).type === 'flag')).toEqual([]);
      const d = await new SqlChangeLog(pgDb.client).deltas(SCOPE, beforePeople, 100);
      expect(d.items.map((i) => (JSON.parse(i) as { citizenId: string }).citizenId)).toEqual(['079000000001', '079000000002']);
      expect(d.cursor).toBe(head);
      // The third person changed nothing stations hold: no change was appended for them.
      expect(await pgDb.client.get('SELECT count(*)::int AS n FROM changes WHERE key = ?', ['079000000003'])).toEqual({ n: 0 });
    } finally {
      lite.close();
      await pgDb.close();
    }
  });
});
