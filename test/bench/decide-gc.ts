/**
 * Garbage collection on the deciding thread: the real engine deciding `n` scans in-process on a store
 * of its own (synchronous=NORMAL, so fsync tails do not hide the pauses), with every GC counted.
 * Run it with the heap flags to compare, e.g.
 *   node --max-semi-space-size=2 --import tsx test/bench/decide-gc.ts 5000
 *   node --max-semi-space-size=16 --import tsx test/bench/decide-gc.ts 5000
 * The counts per 1,000 decisions do not depend on the machine's load; the times do.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { crossingScans, issueWithAuthority } from '../../hardware-sim/fixtures/issue-samples.js';
import { makePopulation } from '../../hardware-sim/fixtures/population.js';
import { ScanEngine } from '../../station/engine/engine.js';
import { openStationStore } from '../../station/store/store.js';
import { summarize } from './lib/stats.js';

const n = Number(process.argv[2] ?? 5000);
const now = Date.now();
const auth = createTestAuthority({ now, checkpointIds: [7901] });
const issued = issueWithAuthority(auth, makePopulation({ now, checkpointA: 7901, checkpointB: 7902, vehicles: 300, walkIns: 300 }));
const scans = [...issued.vehicles.flatMap((v) => crossingScans(v)), ...issued.walkIns.map((w) => w.code)];
const dir = mkdtempSync(join(tmpdir(), 'bench-gc-'));
const store = openStationStore(join(dir, 'station.db'), { synchronous: 'NORMAL' });
store.applyFeedItems(issued.items, { cursor: 1, syncedAt: now });
const engine = new ScanEngine({ stationId: 'bench-gc', checkpointId: 7901, province: 79, rootPublicKey: auth.keys.root.publicKey, store });

const decide = (i: number) => engine.handleScan({ kind: 'payload', scannerId: 's1', lane: 'L1', direction: i % 600 < 300 ? 'entry' : 'exit', payload: scans[i % scans.length]!, symbology: null, receivedAt: Date.now() });
for (let i = 0; i < 500; i++) decide(i); // warm up

const gcs: PerformanceEntry[] = [];
const obs = new PerformanceObserver((list) => gcs.push(...list.getEntries()));
obs.observe({ entryTypes: ['gc'] });
const times: number[] = [];
for (let i = 0; i < n; i++) {
  const v = decide(i);
  if (v) times.push(v.decideMs);
  // Let the observer's callbacks run now and then, as the event loop would between scans.
  if (i % 100 === 99) await new Promise((r) => setImmediate(r));
}
await new Promise((r) => setTimeout(r, 50));
obs.disconnect();
const kindOf = (e: PerformanceEntry) => (e as unknown as { detail?: { kind: number } }).detail?.kind;
const kind = (e: PerformanceEntry) => (kindOf(e) === constants.NODE_PERFORMANCE_GC_MINOR ? 'minor' : kindOf(e) === constants.NODE_PERFORMANCE_GC_MAJOR ? 'major' : 'other');
const per1k = (x: number) => Math.round((x * 1000 * 100) / n) / 100;
const minor = gcs.filter((e) => kind(e) === 'minor');
const major = gcs.filter((e) => kind(e) === 'major');
const other = gcs.filter((e) => kind(e) === 'other');
const flags = process.execArgv.filter((a) => a.startsWith('--max'));
console.log(JSON.stringify({
  flags, decisions: n, load: loadavg().map((x) => Math.round(x * 100) / 100),
  decideMs: summarize(times),
  minorGcPer1k: per1k(minor.length), minorGcMs: summarize(minor.map((e) => e.duration)),
  majorGcPer1k: per1k(major.length), majorGcMs: major.length ? summarize(major.map((e) => e.duration)) : null,
  /** incremental marking steps and weak callbacks */
  otherGcPer1k: per1k(other.length),
  heapUsedMb: Math.round(getHeapStatistics().used_heap_size / 2 ** 20),
}, null, 2));
store.close();
rmSync(dir, { recursive: true, force: true });
