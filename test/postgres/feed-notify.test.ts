import { describe, expect, it } from 'vitest';
import { listenForNotifications } from '../../server/db/pg-notifications.js';
import { openPgServerDatabase } from '../../server/db/pg/database.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();

describe.skipIf(skip)(`feed change notifications on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('feednotify');

  it('wakes a listener on another connection when a change commits, and not for one rolled back', async () => {
    const db = await openPgServerDatabase(pg.url(), { max: 2 });
    const wakes: number[] = [];
    let onWake: (() => void) | null = null;
    const stop = await listenForNotifications(pg.url(), 'feed_change', () => {
      wakes.push(Date.now());
      onWake?.();
    });
    try {
      const afterConnect = wakes.length; // one wake on connecting: whatever was missed before
      expect(afterConnect).toBe(1);
      await expect(
        db.client.transaction(async () => {
          await db.client.run("INSERT INTO changes (entity, key, item, at) VALUES ('pass', '1', '{}', 1)");
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      const woken = new Promise<void>((resolve) => (onWake = resolve));
      await db.client.transaction(async () => {
        await db.client.run("INSERT INTO changes (entity, key, item, at) VALUES ('pass', '2', '{}', 2)");
        await db.client.run("INSERT INTO changes (entity, key, item, at) VALUES ('pass', '3', '{}', 3)");
      });
      await woken;
      // the rolled-back insert sent nothing, the committed transaction one notification for both rows;
      // a marker committed after shows no further wake is pending from the rolled-back one
      const marker = new Promise<void>((resolve) => (onWake = resolve));
      await db.client.run("INSERT INTO changes (entity, key, item, at) VALUES ('pass', '4', '{}', 4)");
      await marker;
      expect(wakes.length).toBe(afterConnect + 2);
    } finally {
      await stop();
      await db.close();
    }
  });
});
