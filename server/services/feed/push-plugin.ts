import fp from 'fastify-plugin';
import { listenForNotifications } from '../../db/pg-notifications.js';
import { FeedHeadWatch } from './head-watch.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** the feed's head watcher: the long-poll doorbell's wait (see head-watch.ts) */
    readonly feedWatch: FeedHeadWatch;
  }
}

/** with LISTEN working, the poll is only the fallback; on SQLite (one process) it is the way */
const POLL_MS = { sqlite: 200, postgres: 1000 } as const;

/**
 * The feed's push channel (issue 13 item 9). On PostgreSQL a connection of its own listens on
 * feed_change (notified at commit by a trigger on `changes`), so a commit on any instance wakes the
 * stations waiting on this one; on SQLite the poll of one indexed head read suffices. Waiting
 * requests are released before the server closes, so a shutdown never waits out a long-poll.
 */
export default fp(
  async (app) => {
    const dialect = app.config.databaseUrl ? 'postgres' : 'sqlite';
    const watch = new FeedHeadWatch({ head: async () => app.feed.head() }, POLL_MS[dialect], (err) =>
      app.log.warn({ err }, 'feed head read failed; waiting stations keep waiting'),
    );
    app.decorate('feedWatch', watch);
    if (app.config.databaseUrl) {
      const url = app.config.databaseUrl;
      app.addHook('onReady', async () =>
        watch.listen((wake) => listenForNotifications(url, 'feed_change', wake, (err) => app.log.warn({ err }, 'feed_change listener: reconnecting'))),
      );
    }
    app.addHook('preClose', async () => watch.stop());
  },
  { name: 'feed-push', fastify: '5.x', dependencies: ['feed'] },
);
