/**
 * A journal WAL reserved before the station opens it against one that grows from empty, side by side
 * in one run: the deciding thread's commit (the real store, synchronous=FULL, no checkpoint inside a
 * commit, the link's PASSIVE checkpoint every 1,000 commits) paced like a station's lanes, and the bare
 * fsync floors (overwrite, append) beside them. Blocks alternate so all arms see the same load of this
 * shared machine. Each arm reopens an existing store, as a station does at every start.
 *   node --import tsx test/bench/wal-reserve.ts [decisions per arm, default 1000] [ms between decisions, default 10] [reserve MiB, default 32]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { openLinkStore, openStationStore } from '../../station/store/store.js';
import { draft } from '../station/record-draft.js';
import { FsyncFloor } from './measures/fsync-floor.js';
import { sleep, summarize } from './lib/stats.js';

const perArm = Number(process.argv[2] ?? 1000);
const gapMs = Number(process.argv[3] ?? 10);
const reserveMb = Number(process.argv[4] ?? 32);
// on the disk the station's data lives on (tmpfs would measure nothing)
const dir = mkdtempSync(join(resolve('.tmp'), 'bench-walres-'));
const arm = (name: string, walReserveBytes: number) => {
  const path = join(dir, `${name}.db`);
  openStationStore(path).close();
  const store = openStationStore(path, { walAutocheckpoint: 0, walReserveBytes });
  return { name, path, store, link: openLinkStore(path), times: [] as number[], commits: 0, checkpoints: 0 };
};
const arms = [arm('grows', 0), arm('reserved', reserveMb << 20)];
const floors = { overwrite: new FsyncFloor(dir, { call: 'fsync', write: 'overwrite' }, 'f1.bin'), append: new FsyncFloor(dir, { call: 'fsync', write: 'append' }, 'f2.bin') };
const load0 = loadavg();
let n = 0;
try {
  const block = 50;
  let round = 0;
  while (arms.some((a) => a.times.length < perArm)) {
    // each arm goes first in every other round: neither gets the disk after the floors' fsyncs more often
    for (const a of round++ % 2 === 0 ? arms : [...arms].reverse()) {
      for (let k = 0; k < block && a.times.length < perArm; k++) {
        const t0 = performance.now();
        const at = Date.now();
        a.store.appendDecision({
          records: [draft({ at, crossingId: `c-${++n}` })],
          presence: [{ key: `pass:79-${n}`, inside: true, at, crossingId: `c-${n}` }],
          crossings: [{ lane: 'L1', crossing: null }],
        });
        a.times.push(performance.now() - t0);
        if (++a.commits % 1000 === 0) {
          a.link.checkpointJournal();
          a.checkpoints++;
        }
        await sleep(gapMs);
      }
    }
    for (let k = 0; k < block / 5; k++) {
      floors.overwrite.once();
      floors.append.once();
      await sleep(gapMs);
    }
  }
  const walKb = (a: (typeof arms)[number]) => Math.round(statSync(`${a.path}-wal`).size / 1024);
  const out = Object.fromEntries(arms.map((a) => [a.name, { ...summarize(a.times), checkpoints: a.checkpoints, walKbAtEnd: walKb(a) }]));
  console.log(JSON.stringify({ decisionsPerArm: perArm, gapMs, reserveMb, ...out, fsyncOverwrite: summarize(floors.overwrite.ms), fsyncAppend: summarize(floors.append.ms), loadAtStart: load0, loadAtEnd: loadavg() }, null, 2));
} finally {
  floors.overwrite.close();
  floors.append.close();
  for (const a of arms) {
    a.link.close();
    a.store.close();
  }
  rmSync(dir, { recursive: true, force: true });
}
