import { defineConfig } from 'vitest/config';

/**
 * `npm run test:faults`: the heavier fault runs (crashes, a bad network, hostile serial input) with
 * child processes and ptys. One file at a time so they do not fight over a 2-core machine; whole
 * runs take minutes, so the timeouts are generous (each file bounds its own loops).
 */
export default defineConfig({
  test: {
    include: ['test/faults/**/*.test.ts'],
    exclude: ['node_modules/**'],
    testTimeout: 600_000,
    hookTimeout: 180_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
