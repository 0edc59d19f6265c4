import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestAuthority } from '../../../hardware-sim/fixtures/authority.js';
import { crossingScans, issueWithAuthority } from '../../../hardware-sim/fixtures/issue-samples.js';
import { makePopulation } from '../../../hardware-sim/fixtures/population.js';
import { ScanEngine } from '../../../station/engine/engine.js';
import { openStationStore, type StationStore } from '../../../station/store/store.js';
import { summarize, type Summary } from '../lib/stats.js';

export interface JournalSyncResult {
  samples: number;
  full: Summary;
  normal: Summary;
}

/**
 * The durability choice side by side: the same scans decided by the real engine on two stores,
 * `synchronous=FULL` (a shown verdict survives power loss) and `NORMAL` (it survives a killed
 * process), alternating in blocks so both see the same machine load. Times are the engine's own
 * decideMs: line received → verdict durable.
 */
export function measureJournalSync(samples: number): JournalSyncResult {
  const now = Date.now();
  const auth = createTestAuthority({ now, checkpointIds: [7901] });
  const issued = issueWithAuthority(auth, makePopulation({ now, checkpointA: 7901, checkpointB: 7902, vehicles: 200, walkIns: 200 }));
  const scans = [...issued.vehicles.flatMap((v) => crossingScans(v)), ...issued.walkIns.map((w) => w.code)];
  const dir = mkdtempSync(join(tmpdir(), 'bench-sync-'));
  const open = (name: string, synchronous: 'FULL' | 'NORMAL') => {
    const store = openStationStore(join(dir, `${name}.db`), { synchronous });
    store.applyFeedItems(issued.items, { cursor: 1, syncedAt: now });
    const engine = new ScanEngine({ stationId: `bench-${name}`, checkpointId: 7901, province: 79, rootPublicKey: auth.keys.root.publicKey, store });
    return { store, engine, times: [] as number[] };
  };
  const runs = { full: open('full', 'FULL'), normal: open('normal', 'NORMAL') };
  try {
    let i = 0;
    const block = 50;
    while (runs.full.times.length < samples || runs.normal.times.length < samples) {
      for (const run of [runs.full, runs.normal]) {
        for (let k = 0; k < block && run.times.length < samples; k++, i++) {
          const payload = scans[i % scans.length]!;
          const v = run.engine.handleScan({ kind: 'payload', scannerId: 's1', lane: 'L1', direction: i % 400 < 200 ? 'entry' : 'exit', payload, symbology: null, receivedAt: Date.now() });
          if (v) run.times.push(v.decideMs);
        }
      }
    }
    return { samples, full: summarize(runs.full.times), normal: summarize(runs.normal.times) };
  } finally {
    for (const r of Object.values(runs) as { store: StationStore }[]) r.store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(measureJournalSync(Number(process.argv[2] ?? 2000)), null, 2));
}
