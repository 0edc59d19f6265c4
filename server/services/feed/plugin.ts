import fp from 'fastify-plugin';
import { SqliteChangeLog, type ChangeLog } from './change-log.js';
import { FeedService } from './service.js';
import { SqliteSnapshotReader } from './snapshot.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** the station feed (snapshot pages and deltas) */
    readonly feed: FeedService;
    /** the server change sequence every issuing write appends to, inside its own transaction */
    readonly changeLog: ChangeLog;
  }
}

export default fp(
  async (app) => {
    const log = new SqliteChangeLog(app.database.sqlite);
    const feed = new FeedService(log, new SqliteSnapshotReader(app.database.sqlite), app.clock);
    app.decorate('changeLog', log);
    app.decorate('feed', feed);
    app.addHook('onReady', async () => feed.start());
    app.addHook('onClose', async () => feed.stop());
  },
  { name: 'feed', fastify: '5.x', dependencies: ['database'] },
);
