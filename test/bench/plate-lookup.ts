import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { lookupPlate } from '../../station/screen/plate-lookup.js';
import { openStationStore } from '../../station/store/store.js';
import { passFacts, plateFor } from './lib/dataset.js';
import { summarize } from './lib/stats.js';

/**
 * The officer's plate lookup on a station cache of N passes (default 1,000,000): a whole plate (the
 * plate-key index), the start of a plate and a part in the middle (a walk of the plate-key index).
 * The lookup runs on the station's main thread, so its time is time the next scan's decision may wait.
 *   npx tsx test/bench/plate-lookup.ts [passes]
 */
const N = Number(process.argv[2] ?? 1_000_000);
const dir = mkdtempSync(join(tmpdir(), 'plate-lookup-'));
try {
  const store = openStationStore(join(dir, 'station.db'), { synchronous: 'NORMAL' });
  const now = Date.now();
  for (let start = 1; start <= N; start += 5000) {
    const items = Array.from({ length: Math.min(5000, N - start + 1) }, (_, i) => passFacts(start + i, now));
    store.applyFeedItems(items, { cursor: start, syncedAt: now, validate: false });
  }
  const time = (what: string, typed: (i: number) => string, rounds = 30, run = (t: string) => store.passesByPlate(t, 20).length) => {
    const ms: number[] = [];
    let found = 0;
    for (let i = 0; i < rounds; i++) {
      const t0 = performance.now();
      found += run(typed(i));
      ms.push(performance.now() - t0);
    }
    console.log(JSON.stringify({ what, passes: N, foundPerLookup: found / rounds, ...summarize(ms) }));
  };
  const pick = (i: number) => 1 + ((i * 7919) % N);
  time('whole plate', (i) => plateFor(pick(i)));
  time('start of a plate (51C)', () => '51C');
  // A part inside a plate: one slice of 20,000 rows is the longest a scan can wait behind the lookup.
  const slice = (what: string, typed: (i: number) => string) => time(what, (i) => typed(i), 30, (t) => store.passesWithPlateInside(t, 0, 5_000, 20).passes.length);
  slice('one slice of a part inside a plate (5,000 rows)', (i) => plateFor(pick(i)).replace(/[^0-9]/g, '').slice(3));
  const walks: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    await lookupPlate(store, 'ZZ999');
    walks.push(performance.now() - t0);
  }
  console.log(JSON.stringify({ what: 'whole walk, no match (yielding between slices)', passes: N, ...summarize(walks) }));
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
