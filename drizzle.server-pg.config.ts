import { defineConfig } from 'drizzle-kit';

// PostgreSQL twin of drizzle.server.config.ts: `npm run db:generate:server-pg`.
export default defineConfig({
  dialect: 'postgresql',
  schema: './server/db/pg/schema/index.ts',
  out: './server/db/pg/migrations',
});
