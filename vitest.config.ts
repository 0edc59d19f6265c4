import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Fault and soak runs have their own script (npm run test:faults).
    exclude: ['test/faults/**', 'node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest 4's default is one worker fewer than the cores: a single worker on the 2-core CI machine,
    // so files ran one at a time. Most of the slow files wait on I/O (chromium, socat ptys, child
    // processes, throwaway PostgreSQL clusters), so one file per core roughly halves the wall time
    // (2 cores: 535 s -> 358 s). Every file is parallel-safe: each starts its own servers, clusters and
    // browsers on ephemeral ports and temporary folders, and names its databases by pid.
    maxWorkers: '100%',
  },
});
