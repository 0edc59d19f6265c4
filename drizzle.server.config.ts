import { defineConfig } from 'drizzle-kit';

// Generate with `npm run db:generate:server`; the server applies server/db/migrations at start.
export default defineConfig({
  dialect: 'sqlite',
  schema: './server/db/schema/index.ts',
  out: './server/db/migrations',
});
