import { describe, expect, it } from 'vitest';
import { SqlChangeLog } from '../../server/services/feed/change-log.js';
import type { FeedScope } from '../../server/services/feed/station-scope.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { blockedOnLock, gate, openTwoInstances } from './two-instances.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();
const SCOPE: FeedScope = { checkpointId: 7901, province: 79 };
const zoneItem = (zone: string, level: number) => JSON.stringify({ type: 'zone', zone, level });

describe.skipIf(skip)(`feed change numbers on PostgreSQL with two server instances${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('feedorder');

  it('never lets a station skip a change: a lower number drawn first cannot commit after a higher one was served', async () => {
    const [a, b] = await openTwoInstances(pg.url());
    const logA = new SqlChangeLog(a.client);
    const logB = new SqlChangeLog(b.client);
    try {
      // Instance A draws its number and holds its transaction open.
      const holdA = gate();
      let seqA = 0;
      const drawnA = gate();
      const txA = a.client.transaction(async () => {
        seqA = await logA.append('zone', '79', zoneItem('79', 3), 1);
        drawnA.open();
        await holdA.wait;
      });
      await drawnA.wait;
      // Instance B writes a change of its own and commits as soon as it can.
      let seqB = 0;
      const txB = b.client.transaction(async () => {
        seqB = await logB.append('zone', '01', zoneItem('01', 4), 2);
      });
      // B either finishes (it got a higher number and committed before A) or waits behind A's lock.
      const bFinished = await Promise.race([txB.then(() => true), blockedOnLock(a.client).then(() => false)]);

      // A station polls now (through instance B), then after A commits, from the cursor it was given.
      const seen: string[] = [];
      const first = await logB.deltas(SCOPE, 0, 100);
      seen.push(...first.items);
      holdA.open();
      await txA;
      await txB;
      const second = await logB.deltas(SCOPE, first.cursor, 100);
      seen.push(...second.items);

      // The station holds both changes, whatever order they committed in.
      expect(seen.map((i) => JSON.parse(i) as { zone: string }).map((i) => i.zone).sort()).toEqual(['01', '79']);
      expect(bFinished).toBe(false); // B could not draw a number while A's was uncommitted
      expect(seqA).toBeLessThan(seqB);
      expect(second.cursor).toBe(seqB);
      expect(await logA.head()).toBe(seqB);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('a rolled-back append releases the order: the other instance draws next and nothing is served from the rollback', async () => {
    const [a, b] = await openTwoInstances(pg.url());
    const logA = new SqlChangeLog(a.client);
    const logB = new SqlChangeLog(b.client);
    try {
      const start = await logA.head();
      const holdA = gate();
      const drawnA = gate();
      const txA = a.client.transaction(async () => {
        await logA.append('zone', '48', zoneItem('48', 2), 3);
        drawnA.open();
        await holdA.wait;
        throw new Error('A fails after drawing its number');
      });
      await drawnA.wait;
      const txB = b.client.transaction(() => logB.append('zone', '31', zoneItem('31', 1), 4));
      await blockedOnLock(a.client);
      holdA.open();
      await expect(txA).rejects.toThrow('A fails');
      const seqB = await txB;
      const d = await logA.deltas(SCOPE, start, 100);
      expect(d.items.map((i) => (JSON.parse(i) as { zone: string }).zone)).toEqual(['31']);
      expect(d.cursor).toBe(seqB);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('append refuses to run outside a transaction (its lock and its state read would not hold)', async () => {
    const [a, b] = await openTwoInstances(pg.url());
    try {
      await expect(new SqlChangeLog(a.client).append('zone', '79', zoneItem('79', 1), 5)).rejects.toThrow(/inside the transaction/);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
