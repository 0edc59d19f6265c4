import fp from 'fastify-plugin';
import { openServerDatabase, type ServerDatabase } from '../db/database.js';
import type { ServerConfig } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    readonly config: ServerConfig;
    /** the server's clock in ms since epoch; tests pass a controlled one to buildApp */
    clock(): number;
    readonly database: ServerDatabase;
  }
}

export interface CoreOptions {
  config: ServerConfig;
  clock: () => number;
}

/** Config, clock and the database (migrated on open, closed with the app). */
export default fp<CoreOptions>(
  async (app, opts) => {
    const database = openServerDatabase(opts.config.dbFile);
    app.decorate('config', opts.config);
    app.decorate('clock', opts.clock);
    app.decorate('database', database);
    app.addHook('onClose', async () => database.close());
  },
  { name: 'database', fastify: '5.x' },
);
