/**
 * The retention sweep's step on the deciding thread: how long one chunk of the purge holds it (the
 * longest a scan can wait behind it), on a journal of N acknowledged records all past retention.
 *   node --import tsx test/bench/purge-chunk.ts [records, default 200000] [chunk, default 100]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { openLinkStore, openStationStore } from '../../station/store/store.js';
import { draft, NOW } from '../station/record-draft.js';
import { summarize } from './lib/stats.js';

const records = Number(process.argv[2] ?? 200_000);
const chunk = Number(process.argv[3] ?? 100);
const dir = mkdtempSync(join(resolve('.tmp'), 'bench-purge-'));
const path = join(dir, 'station.db');
const store = openStationStore(path, { walAutocheckpoint: 0 });
const link = openLinkStore(path);
try {
  const batch = Array.from({ length: 1000 }, () => draft({ at: NOW, citizenId: '079123456789', plate: '51C-123.45' }));
  for (let i = 0; i < records; i += 1000) store.appendDecision({ records: batch });
  link.checkpointJournal(); // as the link worker does; the station's own connection never checkpoints (walAutocheckpoint 0)
  link.ackOutbox(store.lastSeq());
  const now = NOW + 40 * 86_400_000;
  const ms: number[] = [];
  for (;;) {
    const t0 = performance.now();
    const r = store.purgePersonalData(now, 30, chunk);
    ms.push(performance.now() - t0);
    if (r.records < chunk) break;
  }
  console.log(JSON.stringify({ records, chunk, steps: ms.length, stepMs: summarize(ms), load: loadavg() }, null, 2));
} finally {
  link.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
}
