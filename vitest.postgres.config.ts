import { defineConfig } from 'vitest/config';

/**
 * `npm run test:postgres`: everything the server does, on PostgreSQL.
 * - `postgres`: the PostgreSQL-only tests (migrations, the SqlClient contract, two instances writing
 *   at once, hot standby), on the cluster named by TEST_DATABASE_URL or on throwaway clusters the test
 *   files start themselves;
 * - `server-on-postgres`: the server's own test suites, unchanged, with every test app on its own
 *   PostgreSQL database copied from a migrated template (test/postgres/server-suite/), so each route
 *   and service is shown to behave the same on both engines.
 * `npm test` runs the first group too (skipped, with the reason in their names, where there is no
 * PostgreSQL) and the server suites on SQLite.
 */
const common = { testTimeout: 60_000, hookTimeout: 120_000, pool: 'forks' as const };

export default defineConfig({
  test: {
    projects: [
      { test: { ...common, name: 'postgres', include: ['test/postgres/**/*.test.ts'], fileParallelism: false } },
      {
        test: {
          ...common,
          name: 'server-on-postgres',
          include: ['test/server/**/*.test.ts', 'test/server-issuing/**/*.test.ts', 'test/server-national/**/*.test.ts', 'test/security-server/**/*.test.ts'],
          globalSetup: ['test/postgres/server-suite/global-setup.ts'],
        },
      },
    ],
  },
});
