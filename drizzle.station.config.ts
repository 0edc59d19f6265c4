import { defineConfig } from 'drizzle-kit';

/** Migrations for the station's local SQLite store: `npm run db:generate:station`. */
export default defineConfig({
  dialect: 'sqlite',
  schema: './station/store/schema.ts',
  out: './station/store/migrations',
});
