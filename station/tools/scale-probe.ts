/**
 * Scale probe for the station core (not a test): fill a store with N passes and M health flags (a station
 * holds the national flag list, not the population: issue 12) through the
 * paged snapshot path, then, in a fresh process like a restarted station, decide real scans against it
 * and report the in-process time from line to durable verdict (p50/p99) and the RSS.
 *
 *   npx tsx station/tools/scale-probe.ts --dir /tmp/probe [--passes 1000000] [--flags 2000000] [--vehicles 2000]
 *
 * Each phase runs in its own process, so the scan phase's RSS is that of a station opening a big store
 * (with the node flags of `npm run station`).
 */
import { spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createTestAuthority, type AuthorityKeys } from '../../hardware-sim/fixtures/authority.js';
import { privateKeyPem, signingKeyFromPem } from '../../shared/codes/keys.js';
import type { FeedItem, HealthFlag, PassFacts } from '../../shared/contracts/feed.js';
import { ScanEngine } from '../engine/engine.js';
import { openStationStore } from '../store/store.js';

const { values } = parseArgs({
  options: {
    dir: { type: 'string', default: '/tmp/station-scale-probe' },
    passes: { type: 'string', default: '1000000' },
    flags: { type: 'string', default: '2000000' },
    vehicles: { type: 'string', default: '2000' },
    phase: { type: 'string', default: 'all' },
    sync: { type: 'string', default: 'FULL' },
  },
});
const dir = values.dir!;
const nPasses = Number(values.passes);
const nFlags = Number(values.flags);
const nVehicles = Number(values.vehicles);
const DAY = 86_400_000;
const citizen = (i: number) => String(79_000_000_000 + i).padStart(12, '0');
const mb = (n: number) => Math.round(n / 1048576);

function keysFile(): string {
  return join(dir, 'keys.json');
}

function load(): void {
  mkdirSync(dir, { recursive: true });
  const now = Date.now();
  const auth = createTestAuthority({ now, checkpointIds: [1] });
  writeFileSync(keysFile(), JSON.stringify({ now, keys: Object.fromEntries(Object.entries(auth.keys).map(([k, v]) => [k, privateKeyPem(v)])) }));
  const store = openStationStore(join(dir, 'station.db'));
  const t0 = performance.now();
  const snap = store.beginSnapshot();
  snap.addPage([{ type: 'trustList', document: auth.trustDocument }, { type: 'policy', document: auth.policyDocument }, { type: 'zone', zone: '79', level: 2 }]);
  const PAGE = 20_000;
  for (let start = 0; start < nFlags; start += PAGE) {
    const items: HealthFlag[] = [];
    // Flagged people are others than the crews scanned below (their ids start past the crews').
    for (let i = start; i < Math.min(nFlags, start + PAGE); i++) {
      items.push({ type: 'flag', citizenId: citizen(500_000_000 + i), status: i % 10 === 0 ? 'F0' : 'F1', statusAsOf: now - DAY, test: null });
    }
    snap.addPage(items);
  }
  for (let start = 0; start < nPasses; start += PAGE) {
    const items: PassFacts[] = [];
    for (let i = start; i < Math.min(nPasses, start + PAGE); i++) {
      items.push({ type: 'pass', passId: i + 1, version: 1, status: 'ACTIVE', statusReason: null, plate: '51C-123.45', company: 'Công ty Vận tải',
        goods: 0, crew: [{ citizenId: citizen(2 * i), name: 'Nguyễn Văn A', role: 'driver' }, { citizenId: citizen(2 * i + 1), name: 'Trần Thị B', role: 'assistant' }],
        validFrom: now - DAY, validTo: now + 30 * DAY, routeCheckpoints: [1, 2, 3], routeProvinces: [], direction: 'both', issuingProvince: 79, originZone: '79-760' });
    }
    snap.addPage(items as FeedItem[]);
  }
  snap.commit({ cursor: 1, syncedAt: now });
  const seconds = (performance.now() - t0) / 1000;
  store.close();
  console.log(JSON.stringify({ phase: 'load', passes: nPasses, flags: nFlags, seconds: Math.round(seconds * 10) / 10, rssMb: mb(process.memoryUsage().rss) }));
}

/** Codes for vehicles spread over the whole key range (cold pages, as in real traffic), written to a file. */
function codes(): void {
  const saved = JSON.parse(readFileSync(keysFile(), 'utf8')) as { now: number; keys: Record<keyof AuthorityKeys, string> };
  const keys = Object.fromEntries(Object.entries(saved.keys).map(([k, pem]) => [k, signingKeyFromPem(pem)])) as unknown as AuthorityKeys;
  const auth = createTestAuthority({ now: saved.now, keys, checkpointIds: [1] });
  const scans: string[] = [];
  for (let v = 0; v < nVehicles; v++) {
    const i = Math.floor((v * 7919 * 127) % nPasses);
    const crew = [citizen(2 * i), citizen(2 * i + 1)];
    const pass = auth.issuePass({ passId: i + 1, crew: crew.map((c) => ({ citizenId: c, name: 'x' })) });
    scans.push(pass.code, ...crew.map((c) => auth.issueHealth({ citizenId: c }).code));
  }
  writeFileSync(join(dir, 'scans.txt'), scans.join('\n') + '\n');
}

/** Decide every scan as a station would, in a process that holds nothing but the station core. */
function scan(): void {
  const rootPublicKey = createPublicKey(createPrivateKey((JSON.parse(readFileSync(keysFile(), 'utf8')) as { keys: { root: string } }).keys.root));
  const scans = readFileSync(join(dir, 'scans.txt'), 'utf8').split('\n').filter(Boolean);
  const store = openStationStore(join(dir, 'station.db'), { synchronous: values.sync === 'NORMAL' ? 'NORMAL' : 'FULL', ...(process.env.NOCKPT ? { walAutocheckpoint: 0 } : {}) });
  const engine = new ScanEngine({ stationId: 'probe', checkpointId: 1, province: 79, rootPublicKey, store });
  engine.start();
  const ms: number[] = [];
  const journalMs: number[] = [];
  const restMs: number[] = [];
  const verdicts: Record<string, number> = {};
  let peakRss = 0;
  scans.forEach((payload, n) => {
    const v = engine.handleScan({ scannerId: 's', lane: 'L1', direction: n % 6 < 3 ? 'entry' : 'exit', kind: 'payload', payload, symbology: 'Q', receivedAt: Date.now() });
    if (!v) throw new Error('no verdict');
    ms.push(v.decideMs);
    journalMs.push(v.journalMs);
    restMs.push(v.decideMs - v.journalMs);
    verdicts[v.verdict] = (verdicts[v.verdict] ?? 0) + 1;
    if (n % 500 === 0) peakRss = Math.max(peakRss, process.memoryUsage().rss);
  });
  engine.stop();
  store.close();
  const slowest = ms.map((m, i) => [i, Math.round(m * 100) / 100]).sort((a, b) => b[1]! - a[1]!).slice(0, 12);
  const mem = process.memoryUsage();
  const status = readFileSync('/proc/self/status', 'utf8');
  const rssParts = Object.fromEntries([...status.matchAll(/^(RssAnon|RssFile|RssShmem|VmHWM):\s+(\d+) kB/gm)].map((m) => [m[1], Math.round(Number(m[2]) / 1024)]));
  ms.sort((a, b) => a - b);
  journalMs.sort((a, b) => a - b);
  restMs.sort((a, b) => a - b);
  const at = (xs: number[], p: number) => Math.round(xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]! * 1000) / 1000;
  const q = (p: number) => at(ms, p);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  console.log(JSON.stringify({ phase: 'scan', scans: ms.length, p50Ms: q(0.5), p99Ms: q(0.99), maxMs: q(1), journalP50Ms: at(journalMs, 0.5), journalP99Ms: at(journalMs, 0.99), withoutJournalP50Ms: at(restMs, 0.5), withoutJournalP99Ms: at(restMs, 0.99), verdicts, peakRssMb: mb(peakRss), heapMb: mb(mem.heapUsed), rssParts, externalMb: mb(mem.external), slowest }));
}

if (values.phase === 'load') load();
else if (values.phase === 'codes') codes();
else if (values.phase === 'scan') scan();
else {
  for (const phase of ['load', 'codes', 'scan']) {
    // The scan phase runs with the same node flags as `npm run station`.
    const flags = phase === 'scan' ? ['--max-semi-space-size=2'] : [];
    const r = spawnSync(process.execPath, [...flags, '--import', 'tsx', fileURLToPath(import.meta.url), ...process.argv.slice(2), '--phase', phase], { stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
