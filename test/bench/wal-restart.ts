/**
 * Does the journal's WAL start over after the link worker's checkpoints while decisions keep coming?
 * The deciding thread commits a decision every `gap` ms; a worker thread checkpoints it (PASSIVE, its
 * own connection) as the link worker does: every 1,000 commits alone (`once`), or through
 * JournalCheckpointer, which checkpoints again until the WAL starts over (`until-restart`). Prints the
 * WAL file's size as it goes; the WAL is reserved at 32 MiB as the station reserves it.
 *   node --import tsx test/bench/wal-restart.ts [once|until-restart] [decisions, default 3500] [gap ms, default 2]
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { isMainThread, Worker, workerData } from 'node:worker_threads';
import { openLinkStore, openStationStore } from '../../station/store/store.js';
import { JournalCheckpointer } from '../../station/sync/checkpoint-policy.js';
import { draft } from '../station/record-draft.js';

interface Data { path: string; signal: Int32Array; mode: string; entry: string }

if (isMainThread) {
  const mode = process.argv[2] ?? 'until-restart';
  const decisions = Number(process.argv[3] ?? 3500);
  const gapMs = Number(process.argv[4] ?? 2);
  mkdirSync(resolve('.tmp'), { recursive: true });
  const dir = mkdtempSync(join(resolve('.tmp'), 'bench-walrestart-'));
  const path = join(dir, 'station.db');
  openStationStore(path).close();
  const store = openStationStore(path, { walAutocheckpoint: 0, walReserveBytes: 32 << 20 });
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const data: Data = { path, signal, mode, entry: import.meta.url };
  const worker = new Worker(new URL('../../station/sync/tsx-worker.mjs', import.meta.url), { workerData: data });
  const walMb = () => Math.round(statSync(`${path}-wal`).size / 1e5) / 10;
  const sizes: number[] = [];
  const load0 = loadavg();
  try {
    await new Promise((r) => setTimeout(r, 500)); // the worker's first (start-up) checkpoint
    for (let n = 0; n < decisions; n++) {
      const at = Date.now();
      store.appendDecision({ records: [draft({ at, crossingId: `c-${n}` })], presence: [{ key: `pass:79-${n}`, inside: true, at, crossingId: null }] });
      Atomics.add(signal, 0, 1);
      if (n % 500 === 499) sizes.push(walMb());
      await new Promise((r) => setTimeout(r, gapMs));
    }
    console.log(JSON.stringify({ mode, decisions, gapMs, walMbEvery500: sizes, loadAtStart: load0, loadAtEnd: loadavg() }));
  } finally {
    await worker.terminate();
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
} else {
  const { path, signal, mode } = workerData as Data;
  const link = openLinkStore(path);
  const policy = { everyCommits: 1000, everyMs: 300_000 };
  const checkpointer = new JournalCheckpointer(policy, () => link.checkpointJournal(), 0);
  let last = 0;
  setInterval(() => {
    const commits = Atomics.load(signal, 0);
    if (mode === 'until-restart') checkpointer.tick(commits, performance.now());
    else if (commits - last >= policy.everyCommits) {
      last = commits;
      link.checkpointJournal();
    }
  }, 50);
}
