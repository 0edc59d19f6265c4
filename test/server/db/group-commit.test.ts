import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../server/db/group-commit.js';
import { SqliteClient } from '../../../server/db/sqlite-client.js';

/** Units of work queued in one turn of the event loop share one transaction (one fsync on SQLite). */
describe('GroupCommit on SQLite', () => {
  let client: SqliteClient;
  let transactions: number;

  beforeEach(async () => {
    client = new SqliteClient(new Database(':memory:'));
    await client.exec('CREATE TABLE beats (station TEXT PRIMARY KEY, at INTEGER NOT NULL)');
    transactions = 0;
    const open = client.transaction.bind(client);
    client.transaction = (fn) => {
      transactions++;
      return open(fn);
    };
  });
  afterEach(async () => client.close());

  const save = (b: { station: string; at: number }) =>
    client.run('INSERT INTO beats (station, at) VALUES (?, ?)', [b.station, b.at]).then(() => b.station);

  it('commits units queued together in one transaction, answering each once it is committed', async () => {
    const group = new GroupCommit(client, save);
    const answers = await Promise.all(['a', 'b', 'c', 'd'].map((station, at) => group.run({ station, at })));
    expect(answers).toEqual(['a', 'b', 'c', 'd']);
    expect(transactions).toBe(1);
    expect(await client.all('SELECT station FROM beats ORDER BY station')).toEqual(['a', 'b', 'c', 'd'].map((station) => ({ station })));
    // a later turn is a group of its own
    await group.run({ station: 'e', at: 9 });
    expect(transactions).toBe(2);
  });

  it('undoes only the unit that failed; the others of its group commit', async () => {
    const group = new GroupCommit(client, async (b: { station: string; at: number; fail?: boolean }) => {
      await save(b);
      if (b.fail) throw new Error(`unit ${b.station} failed after writing`);
      return b.station;
    });
    const settled = await Promise.allSettled([
      group.run({ station: 'a', at: 1 }),
      group.run({ station: 'b', at: 2, fail: true }),
      group.run({ station: 'a', at: 3 }), // a unique violation: fails before writing
      group.run({ station: 'c', at: 4 }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(transactions).toBe(1);
    expect(await client.all('SELECT station, at FROM beats ORDER BY station')).toEqual([{ station: 'a', at: 1 }, { station: 'c', at: 4 }]);
  });

  it('runs each unit in a transaction of its own when not grouped (PostgreSQL)', async () => {
    const group = new GroupCommit(client, save, false);
    await Promise.all(['a', 'b', 'c'].map((station, at) => group.run({ station, at })));
    expect(transactions).toBe(3);
  });
});
