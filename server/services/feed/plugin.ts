import fp from 'fastify-plugin';
import type { SqliteClient } from '../../db/sqlite-client.js';
import { SqlChangeLog, type ChangeLog } from './change-log.js';
import { PgSnapshotReader } from './pg-snapshot.js';
import { FeedService } from './service.js';
import { SqliteSnapshotReader } from './sqlite-snapshot.js';

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
    const client = app.database.client;
    const sqlite = client.dialect === 'sqlite' ? (client as SqliteClient) : null;
    const log = new SqlChangeLog(client);
    const snapshots = sqlite ? new SqliteSnapshotReader(sqlite) : new PgSnapshotReader(client);
    const feed = new FeedService(log, snapshots, app.clock, (err) => app.log.error({ err }, 'feed compaction failed'));
    app.decorate('changeLog', log);
    app.decorate('feed', feed);
    app.addHook('onReady', async () => feed.start());
    app.addHook('onClose', async () => feed.stop());
  },
  { name: 'feed', fastify: '5.x', dependencies: ['database'] },
);
