/**
 * When the link worker checkpoints the journal's WAL, side by side in one run: the deciding thread's
 * commit (the real store, synchronous=FULL, no checkpoint inside a commit) paced like a station's
 * lanes, with the WAL checkpointed (PASSIVE, the link's own connection) once a second, as the station
 * did, or once every 1,000 commits, as it does now; and the bare fsync floor beside them. A checkpoint
 * that empties the WAL makes the next commit restart it: the WAL header written and fsynced before
 * the commit's own fsync. Blocks alternate so all arms see the same load of this shared machine.
 *   node --import tsx test/bench/journal-checkpoint.ts [decisions per arm, default 600] [ms between decisions, default 25]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { openLinkStore, openStationStore } from '../../station/store/store.js';
import { draft } from '../station/record-draft.js';
import { FsyncFloor } from './measures/fsync-floor.js';
import { sleep, summarize } from './lib/stats.js';

const round = (x: number) => Math.round(x * 1000) / 1000;
const perArm = Number(process.argv[2] ?? 600);
const gapMs = Number(process.argv[3] ?? 25);
const dir = mkdtempSync(join(tmpdir(), 'bench-ckpt-'));
const arm = (name: string, every: { commits?: number; ms?: number }) => {
  const path = join(dir, `${name}.db`);
  const store = openStationStore(path, { walAutocheckpoint: 0 });
  return { name, store, link: openLinkStore(path), every, times: [] as number[], commits: 0, lastAt: performance.now(), checkpoints: 0 };
};
const arms = [arm('everySecond', { ms: 1000 }), arm('every1000Commits', { commits: 1000 })];
const floor = new FsyncFloor(dir);
const floorMs: number[] = [];
const load0 = loadavg();
try {
  const block = Math.max(1, Math.round(1000 / gapMs)); // a second of decisions per arm and block
  while (arms.some((a) => a.times.length < perArm)) {
    for (const a of arms) {
      for (let k = 0; k < block && a.times.length < perArm; k++) {
        const t0 = performance.now();
        a.store.appendDecision({ records: [draft({ at: Date.now() })] });
        a.times.push(performance.now() - t0);
        a.commits++;
        if ((a.every.commits && a.commits >= a.every.commits) || (a.every.ms && performance.now() - a.lastAt >= a.every.ms)) {
          a.link.checkpointJournal();
          a.commits = 0;
          a.lastAt = performance.now();
          a.checkpoints++;
        }
        await sleep(gapMs);
      }
    }
    for (let k = 0; k < block / 4; k++) {
      floorMs.push(floor.once());
      await sleep(gapMs);
    }
  }
  // p90 and the mean too: the restart's second fsync falls on one decision in (decisions per checkpoint), above the median
  const more = (xs: number[]) => {
    const sorted = [...xs].sort((x, y) => x - y);
    return { p90Ms: round(sorted[Math.floor(0.9 * (sorted.length - 1))]!), meanMs: round(xs.reduce((t, x) => t + x, 0) / xs.length) };
  };
  const out = Object.fromEntries(arms.map((a) => [a.name, { ...summarize(a.times), ...more(a.times), checkpoints: a.checkpoints }]));
  console.log(JSON.stringify({ decisionsPerArm: perArm, gapMs, ...out, fsyncFloor: summarize(floorMs), loadAtStart: load0, loadAtEnd: loadavg() }, null, 2));
} finally {
  floor.close();
  for (const a of arms) {
    a.link.close();
    a.store.close();
  }
  rmSync(dir, { recursive: true, force: true });
}
