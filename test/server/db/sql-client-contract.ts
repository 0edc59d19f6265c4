import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isUniqueViolation, type SqlClient } from '../../../server/db/sql-client.js';

/**
 * What every SqlClient promises the repositories, run against each dialect: SQLite in `npm test`
 * (sqlite-client.test.ts), PostgreSQL in `npm run test:postgres` (test/postgres/pg-client.test.ts).
 * The table is created per dialect; everything after that is the same portable SQL.
 */
export function describeSqlClient(name: string, open: () => Promise<SqlClient>, ddl: string): void {
  describe(`SqlClient on ${name}`, () => {
    let client: SqlClient;
    beforeEach(async () => {
      client = await open();
      await client.exec(ddl);
    });
    afterEach(async () => {
      await client.close();
    });

    it('binds ? and @name parameters and gives rows the same shape: numbers, 1/0, JSON as text', async () => {
      await client.run('INSERT INTO things (id, at, flag, doc, label) VALUES (?, ?, ?, ?, ?)', [1, 1_700_000_000_123, 1, '{"a":[1,2]}', "it's"]);
      await client.run('INSERT INTO things (id, at, flag, doc, label) VALUES (@id, @at, @flag, @doc, @label)', { id: 2, at: 5, flag: 0, doc: '[]', label: 'x' });
      const rows = await client.all<{ id: number; at: number; flag: number; doc: string; label: string }>(
        "SELECT id, at, flag, doc, label FROM things WHERE label <> '?' AND label <> '@x' ORDER BY id",
      );
      // JSON comes back as text (jsonb may respace it: compare what it means)
      expect(rows.map((r) => ({ ...r, doc: JSON.parse(r.doc) as unknown }))).toEqual([
        { id: 1, at: 1_700_000_000_123, flag: 1, doc: { a: [1, 2] }, label: "it's" },
        { id: 2, at: 5, flag: 0, doc: [], label: 'x' },
      ]);
      expect(await client.get('SELECT id FROM things WHERE id = @id OR at = @id', { id: 5 })).toEqual({ id: 2 });
      expect(await client.get('SELECT id FROM things WHERE id = ?', [99])).toBeUndefined();
    });

    it('says how many rows a write touched, and gives generated ids through RETURNING', async () => {
      const a = await client.get<{ seq: number }>("INSERT INTO log (note) VALUES ('a') RETURNING seq");
      const b = await client.get<{ seq: number }>("INSERT INTO log (note) VALUES ('b') RETURNING seq");
      expect(b!.seq).toBe(a!.seq + 1);
      expect((await client.run("UPDATE log SET note = 'c'")).changes).toBe(2);
      expect((await client.run('DELETE FROM log WHERE seq = ?', [b!.seq])).changes).toBe(1);
    });

    it('commits a transaction, and rolls it all back when its body throws', async () => {
      await client.transaction(async () => {
        await client.run("INSERT INTO log (note) VALUES ('kept')");
        expect(client.inTransaction()).toBe(true);
      });
      await expect(
        client.transaction(async () => {
          await client.run("INSERT INTO log (note) VALUES ('lost 1')");
          await client.transaction(async () => client.run("INSERT INTO log (note) VALUES ('lost 2')"));
          throw new Error('refused');
        }),
      ).rejects.toThrow('refused');
      expect(client.inTransaction()).toBe(false);
      expect(await client.all('SELECT note FROM log ORDER BY seq')).toEqual([{ note: 'kept' }]);
    });

    it('keeps a statement from outside an open transaction out of it: the rollback does not take it along', async () => {
      let proceed!: () => void;
      const gate = new Promise<void>((resolve) => (proceed = resolve));
      let entered!: () => void;
      const inside = new Promise<void>((resolve) => (entered = resolve));
      const tx = client.transaction(async () => {
        await client.run("INSERT INTO log (note) VALUES ('inside')");
        entered();
        await gate;
        throw new Error('rolled back');
      });
      await inside;
      const outside = client.run("INSERT INTO log (note) VALUES ('outside')");
      proceed();
      await expect(tx).rejects.toThrow('rolled back');
      await outside;
      expect(await client.all('SELECT note FROM log')).toEqual([{ note: 'outside' }]);
    });

    it('reports a duplicate key as a unique violation', async () => {
      await client.run('INSERT INTO things (id, at, flag, doc, label) VALUES (?, ?, ?, ?, ?)', [7, 1, 0, '{}', 'a']);
      const err = await client.run('INSERT INTO things (id, at, flag, doc, label) VALUES (?, ?, ?, ?, ?)', [7, 1, 0, '{}', 'b']).catch((e: unknown) => e);
      expect(isUniqueViolation(err)).toBe(true);
      const skipped = await client.run('INSERT INTO things (id, at, flag, doc, label) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING', [7, 1, 0, '{}', 'b']);
      expect(skipped.changes).toBe(0);
    });

    it('refuses a call whose parameters do not match its SQL', async () => {
      await expect(client.get('SELECT id FROM things WHERE id = @id', { other: 1 })).rejects.toThrow();
    });
  });
}
