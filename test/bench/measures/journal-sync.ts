import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestAuthority } from '../../../hardware-sim/fixtures/authority.js';
import { crossingScans, issueWithAuthority } from '../../../hardware-sim/fixtures/issue-samples.js';
import { makePopulation } from '../../../hardware-sim/fixtures/population.js';
import { ScanEngine } from '../../../station/engine/engine.js';
import { openLinkStore, openStationStore, type LinkStore, type StationStore } from '../../../station/store/store.js';
import { FsyncFloor } from './fsync-floor.js';
import { summarize, type Summary } from '../lib/stats.js';

export type JournalSyncResult = {
  samples: number;
  /** FULL, SQLite checkpointing inside a commit every 1,000 WAL pages (its default) */
  full: Summary;
  /** FULL, no checkpoint inside a commit: another connection checkpoints (PASSIVE) once a second, as the station's link worker does */
  fullCheckpointApart: Summary;
  normal: Summary;
  /** one write of two pages over a preallocated file and its fsync, nothing else: the disk's floor */
  fsyncFloor: Summary;
};

/**
 * The durability choice side by side: the same scans decided by the real engine on three stores,
 * `synchronous=FULL` (a shown verdict survives power loss) with SQLite's own checkpoints inside
 * commits or with the checkpoints apart (the station's way), and `NORMAL` (it survives a killed
 * process), beside the bare fsync floor, alternating in blocks so all see the same machine load.
 * Times are the engine's own decideMs: line received → verdict durable.
 */
export function measureJournalSync(samples: number): JournalSyncResult {
  const now = Date.now();
  const auth = createTestAuthority({ now, checkpointIds: [7901] });
  const issued = issueWithAuthority(auth, makePopulation({ now, checkpointA: 7901, checkpointB: 7902, vehicles: 200, walkIns: 200 }));
  const scans = [...issued.vehicles.flatMap((v) => crossingScans(v)), ...issued.walkIns.map((w) => w.code)];
  const dir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
  const open = (name: string, synchronous: 'FULL' | 'NORMAL', checkpointApart = false) => {
    const path = join(dir, `${name}.db`);
    const store = openStationStore(path, { synchronous, ...(checkpointApart ? { walAutocheckpoint: 0 } : {}) });
    store.applyFeedItems(issued.items, { cursor: 1, syncedAt: now });
    const engine = new ScanEngine({ stationId: `bench-${name}`, checkpointId: 7901, province: 79, rootPublicKey: auth.keys.root.publicKey, store });
    return { store, engine, times: [] as number[], link: checkpointApart ? openLinkStore(path) : null, checkpointedAt: 0 };
  };
  const runs = { full: open('full', 'FULL'), fullCheckpointApart: open('apart', 'FULL', true), normal: open('normal', 'NORMAL') };
  const floor = new FsyncFloor(dir);
  try {
    let i = 0;
    const block = 50;
    const all = Object.values(runs);
    while (all.some((r) => r.times.length < samples) || floor.ms.length < samples) {
      for (const run of all) {
        for (let k = 0; k < block && run.times.length < samples; k++, i++) {
          const payload = scans[i % scans.length]!;
          const v = run.engine.handleScan({ kind: 'payload', scannerId: 's1', lane: 'L1', direction: i % 400 < 200 ? 'entry' : 'exit', payload, symbology: null, receivedAt: Date.now() });
          if (v) run.times.push(v.decideMs);
          if (run.link && performance.now() - run.checkpointedAt >= 1000) {
            run.link.checkpointJournal();
            run.checkpointedAt = performance.now();
          }
        }
      }
      for (let k = 0; k < block && floor.ms.length < samples; k++) floor.once();
    }
    return {
      samples, full: summarize(runs.full.times), fullCheckpointApart: summarize(runs.fullCheckpointApart.times),
      normal: summarize(runs.normal.times), fsyncFloor: summarize(floor.ms),
    };
  } finally {
    floor.close();
    for (const r of Object.values(runs) as { store: StationStore; link: LinkStore | null }[]) {
      r.link?.close();
      r.store.close();
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(measureJournalSync(Number(process.argv[2] ?? 2000)), null, 2));
}
