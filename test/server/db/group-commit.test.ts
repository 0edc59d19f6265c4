import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroupCommit } from '../../../server/db/group-commit.js';
import type { SqlClient } from '../../../server/db/sql-client.js';
import { SqliteClient } from '../../../server/db/sqlite-client.js';

/** Units of work queued in one turn of the event loop are handed over together, in one transaction. */
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

  const saveOne = (b: { station: string; at: number }) =>
    client.run('INSERT INTO beats (station, at) VALUES (?, ?)', [b.station, b.at]).then(() => b.station);
  /** the group's work: every unit, in order */
  const save = async (units: readonly { station: string; at: number }[]) => {
    const out: string[] = [];
    for (const u of units) out.push(await saveOne(u));
    return out;
  };

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

  it('when a group fails, runs each unit again alone: only the unit that failed fails', async () => {
    const group = new GroupCommit(client, async (units: readonly { station: string; at: number; fail?: boolean }[]) => {
      const out: string[] = [];
      for (const b of units) {
        out.push(await saveOne(b));
        if (b.fail) throw new Error(`unit ${b.station} failed after writing`);
      }
      return out;
    });
    const settled = await Promise.allSettled([
      group.run({ station: 'a', at: 1 }),
      group.run({ station: 'b', at: 2, fail: true }),
      group.run({ station: 'a', at: 3 }), // a unique violation: fails before writing
      group.run({ station: 'c', at: 4 }),
    ]);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    expect(transactions).toBe(1 + 4); // the group, rolled back; then each unit alone
    expect(await client.all('SELECT station, at FROM beats ORDER BY station')).toEqual([{ station: 'a', at: 1 }, { station: 'c', at: 4 }]);
  });

  it('gathers the next group while one is in flight, within its unit and size limits', async () => {
    const groups: string[][] = [];
    const group = new GroupCommit(client, async (units: readonly { station: string; at: number }[]) => {
      groups.push(units.map((u) => u.station));
      return save(units);
    }, { maxUnits: 3, size: (u) => u.at, maxSize: 10 });
    const first = group.run({ station: 'a', at: 1 });
    await new Promise((r) => setImmediate(r)); // the first group is in flight
    const rest = ['b', 'c', 'd', 'e', 'f'].map((station) => group.run({ station, at: ({ e: 9, f: 2 } as Record<string, number>)[station] ?? 1 }));
    await Promise.all([first, ...rest]);
    // b, c, d: three units at most; e (9) and f (2) would exceed the size 10 together
    expect(groups).toEqual([['a'], ['b', 'c', 'd'], ['e'], ['f']]);
  });
});

/**
 * With several transactions allowed at once (PostgreSQL's pool), units queued beyond one group's
 * limits go as further groups at once, not after the first commits. The client here runs each
 * transaction's body as it comes, as a pool of connections would; its only job is to let them overlap.
 */
describe('GroupCommit with concurrent transactions', () => {
  const overlapping: SqlClient = {
    dialect: 'postgres',
    transaction: (fn) => fn(),
    inTransaction: () => false,
    all: () => Promise.reject(new Error('not used')),
    get: () => Promise.reject(new Error('not used')),
    run: () => Promise.reject(new Error('not used')),
    exec: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve(),
  };

  it('starts the units left over past a group\'s size limit as another group while the first is in flight', async () => {
    const started: string[][] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let secondStartedWhileFirstHeld = false;
    const group = new GroupCommit(overlapping, async (units: readonly string[]) => {
      started.push([...units]);
      if (started.length === 1) await firstHeld; // the first group's transaction is still running
      else secondStartedWhileFirstHeld = true;
      return units.map((u) => u.toUpperCase());
    }, { size: () => 500, maxSize: 1000, concurrency: 4 });
    // a backlog's uploads, all queued in one turn: three fit no group of 1,000 records
    const answers = Promise.all(['a', 'b', 'c'].map((u) => group.run(u)));
    // a few turns of the event loop: enough for a second group to start, if it is going to
    for (let turn = 0; turn < 5; turn++) await new Promise((r) => setImmediate(r));
    expect(started).toEqual([['a', 'b'], ['c']]);
    expect(secondStartedWhileFirstHeld).toBe(true);
    releaseFirst();
    expect(await answers).toEqual(['A', 'B', 'C']);
  });
});
