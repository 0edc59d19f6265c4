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
    // One module graph per worker, not one per file: the files import the same server, station and
    // driver modules, and re-evaluating them for each of the 181 files cost 184 s of import (of 1,040 s
    // of tracked time) and about 3.4 CPU-minutes; without it a run took 469 s instead of 562 s on
    // 2 cores (2026-12-02). Safe because no test file changes process.env, mocks a module or leaves
    // fake timers on, and each starts and closes its own servers, databases and browsers.
    isolate: false,
  },
});
