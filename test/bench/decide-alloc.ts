/**
 * Allocation and CPU per decision, by stage, on the deciding thread's real code (engine, store on a
 * small cache, synchronous=NORMAL): bytes of JS heap each call leaves behind, measured with a young
 * generation large enough that no collection runs during a stage (so the load of the machine does not
 * change the answer). Run it as
 *   node --expose-gc --min-semi-space-size=128 --max-semi-space-size=128 --import tsx test/bench/decide-alloc.ts
 * Through tsx the figures include esbuild's keepNames wrappers (a few KB per decision more than the
 * compiled station in dist/).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { crossingScans, issueWithAuthority } from '../../hardware-sim/fixtures/issue-samples.js';
import { makePopulation } from '../../hardware-sim/fixtures/population.js';
import { base45Decode } from '../../shared/codes/base45.js';
import { readCode } from '../../shared/codes/read-code.js';
import { decodeCanonical, parseSignedCode } from '../../shared/codes/signed-code.js';
import { ScanEngine } from '../../station/engine/engine.js';
import { TrustState } from '../../station/engine/trust-state.js';
import { openStationStore } from '../../station/store/store.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) {
  console.error('run with --expose-gc --min-semi-space-size=128 --max-semi-space-size=128 (see the header)');
  process.exit(2);
}
const now = Date.now();
const auth = createTestAuthority({ now, checkpointIds: [7901] });
const issued = issueWithAuthority(auth, makePopulation({ now, checkpointA: 7901, checkpointB: 7902, vehicles: 300, walkIns: 300 }));
const scans = [...issued.vehicles.flatMap((v) => crossingScans(v)), ...issued.walkIns.map((w) => w.code)];
const dir = mkdtempSync(join(tmpdir(), 'bench-alloc-'));
const store = openStationStore(join(dir, 'station.db'), { synchronous: 'NORMAL' });
store.applyFeedItems(issued.items, { cursor: 1, syncedAt: now });
const engine = new ScanEngine({ stationId: 'bench-alloc', checkpointId: 7901, province: 79, rootPublicKey: auth.keys.root.publicKey, store });
const trust = new TrustState(store, auth.keys.root.publicKey).current(now).trust!;

let i = 0;
const next = () => scans[i++ % scans.length]!;
const raws = scans.map((s) => base45Decode(s.slice(5)));
const rows: Record<string, { allocatedKb: number; cpuUs: number }> = {};
function measure(name: string, fn: () => unknown, n = 1000): void {
  for (let k = 0; k < 200; k++) fn();
  gc!();
  const h0 = process.memoryUsage().heapUsed;
  const c0 = process.cpuUsage();
  for (let k = 0; k < n; k++) fn();
  const c = process.cpuUsage(c0);
  const h1 = process.memoryUsage().heapUsed;
  rows[name] = { allocatedKb: Math.round((h1 - h0) / n / 102.4) / 10, cpuUs: Math.round((c.user + c.system) / n) };
}
measure('base45 decode', () => base45Decode(next().slice(5)));
measure('CBOR envelope', () => decodeCanonical(raws[i++ % raws.length]!, 'envelope'));
measure('parse envelope', () => parseSignedCode(next()));
measure('readCode (verify + body)', () => readCode(next(), trust, now));
measure('cache read transaction', () => store.readCache(() => store.syncState()));
measure('handleScan (whole decision)', () => engine.handleScan({ kind: 'payload', scannerId: 's1', lane: 'L1', direction: i % 600 < 300 ? 'entry' : 'exit', payload: next(), symbology: null, receivedAt: Date.now() }));
console.table(rows);
store.close();
rmSync(dir, { recursive: true, force: true });
