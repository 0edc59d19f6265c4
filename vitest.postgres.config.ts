import { defineConfig } from 'vitest/config';

/**
 * `npm run test:postgres`: the server's tests against PostgreSQL, on the cluster named by
 * TEST_DATABASE_URL or on throwaway clusters the test files start themselves. `npm test` runs the
 * same files (skipped, with the reason in their names, where there is no PostgreSQL).
 */
export default defineConfig({
  test: {
    include: ['test/postgres/**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
