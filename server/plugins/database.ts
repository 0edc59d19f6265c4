import fp from 'fastify-plugin';
import { openDatabase, type AppDatabase } from '../db/open.js';
import type { ServerConfig } from '../config.js';

declare module 'fastify' {
  interface FastifyInstance {
    readonly config: ServerConfig;
    /** the server's clock in ms since epoch; tests pass a controlled one to buildApp */
    clock(): number;
    readonly database: AppDatabase;
  }
}

export interface CoreOptions {
  config: ServerConfig;
  clock: () => number;
}

/** Config, clock and the database (PostgreSQL when DATABASE_URL is set, else SQLite; migrated on open, closed with the app). */
export default fp<CoreOptions>(
  async (app, opts) => {
    const database = await openDatabase(opts.config);
    app.decorate('config', opts.config);
    app.decorate('clock', opts.clock);
    app.decorate('database', database);
    app.addHook('onClose', async () => database.close());
  },
  { name: 'database', fastify: '5.x' },
);
