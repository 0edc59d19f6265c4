/**
 * `npm run bench [-- --quick] [--out FILE] [--sync-interval-ms N]`: the station's latency budget and
 * the system's scale, measured in one run on this machine beside the online way it replaces.
 * Writes JSON to --out (default bench-results.json) and prints a table with each target met or missed.
 * The generated server database is cached under .tmp/bench/ by size, so reruns skip building it.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
import { publicKeyFromRaw } from '../../shared/codes/keys.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { authorityFor, benchKeys, CHECKPOINT, crewOf, PROVINCE, vehicleScans, writeServerKeys, type Scan } from './lib/dataset.js';
import { Child } from './lib/ipc.js';
import { sleep } from './lib/stats.js';
import { DEFAULT_POLICY } from '../../shared/rules/policy.js';
import { table, type BenchResult } from './lib/report.js';
import { cachedServerDb, fileMb, serverDbForRun } from './lib/server-db.js';
import { measureOnline, onlineClient, onlineDuringOutage } from './measures/online.js';
import { measurePtyFloor } from './measures/pty-floor.js';
import { measureJournalSync } from './measures/journal-sync.js';
import { measureBacklogDrain, measureIngest, snapshotServerSide, snapshotToStation, type StationCredential } from './measures/server-load.js';
import { BenchStation, f0LoopTrial, startLinkAndCatchUp, measureScanToVerdict, oursDuringOutage, revocationTrial } from './measures/station-run.js';
import { measureLanes } from './measures/lanes.js';
import { FsyncFloor } from './measures/fsync-floor.js';
import { runScannerKindsBench } from './measures/scanner-kinds.js';
import { openStationStore } from '../../station/store/store.js';
import { fillOutbox } from './lib/records.js';
import { measureStationCache } from './measures/station-cache.js';

// The national load test is a run of its own (test/bench/national/run.ts). Its load generator holds
// 2,000 stations' uploads in flight in one process, which at the 6.4M backlog's reconnect outgrew
// node's default heap (4 GB here) and died: it runs with a heap of NATIONAL_HEAP_MB, in a child of this
// process when this one was started with less. (A real station holds only its own two uploads.)
const NATIONAL_HEAP_MB = 12_288;
if (process.argv.includes('--national')) {
  if (getHeapStatistics().heap_size_limit < NATIONAL_HEAP_MB * 0.9 * 2 ** 20) {
    const child = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${NATIONAL_HEAP_MB}`, ...process.argv.slice(1)], { stdio: 'inherit' });
    process.exit(child.status ?? 1);
  }
  process.exit(await (await import('./national/run.js')).runNational(process.argv.slice(2)));
}
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    out: { type: 'string', default: 'bench-results.json' },
    'sync-interval-ms': { type: 'string' },
    'sync-page-size': { type: 'string' },
    samples: { type: 'string', default: '2000' },
    only: { type: 'string' },
    profile: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log('npm run bench -- --national [--quick] [--stations N] [--rate R] [--seconds S] [--backlog B] [--out FILE]: the national load test (test/bench/national/run.ts)');
  console.log('npm run bench [-- --quick] [--out FILE] [--samples N] [--sync-interval-ms N] [--sync-page-size N] [--only floor,snapshot,station,f0Loop,ingest,backlog,stationCache | --only wedge,camera] [--profile]\n(full: 1M passes + 5M people; quick: 100k + 500k, under two minutes once the database is cached)\n(stationCache: a national server, 1M passes of 63 provinces + 2M flags + 3M then 6M people; quick: 100k + 200k + 300k then 600k)');
  process.exit(0);
}
const quick = args.quick;
const samples = Number(args.samples);
const sizes = quick ? { passes: 100_000, people: 500_000 } : { passes: 1_000_000, people: 5_000_000 };
// The station's sync interval (SyncClient's default is 30 s); quick runs use 5 s to stay short.
const syncIntervalMs = Number(args['sync-interval-ms'] ?? (quick ? 5_000 : 30_000));
const PAGE = 10_000;
const DELTA = 10_000;
const UPLOAD_BACKLOG = 100_000;
const ONLINE_LANES = 16;
const OUTAGE_S = 10;

const only = args.only ? new Set(args.only.split(',')) : null;
// Scan-to-verdict of a keyboard-wedge burst and a camera read beside a serial read, on the officer
// screen in Chromium: a small measure of its own (test/bench/measures/scanner-kinds.ts).
if (only && [...only].every((p) => ['wedge', 'camera', 'kinds'].includes(p))) {
  await runScannerKindsBench({ out: args.out, samples: Math.min(Number(args.samples), 300) });
  process.exit(0);
}
const want = (part: 'floor' | 'snapshot' | 'station' | 'ingest' | 'backlog' | 'stationCache' | 'f0Loop') =>
  !only || only.has(part) || (part === 'snapshot' && (only.has('station') || only.has('f0Loop')));
// stationCache has its own national database and server: with --only stationCache the rest is not built.
const nationalSizes = quick ? { passes: 100_000, flags: 200_000, population: 300_000 } : { passes: 1_000_000, flags: 2_000_000, population: 3_000_000 };
const onlyStationCache = only !== null && [...only].every((p) => p === 'stationCache');
const cacheDir = resolve('.tmp/bench');
// --profile: CPU profiles of the server and station processes (open them in Chrome DevTools or speedscope).
const profArgs = args.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(cacheDir, 'prof')}`] : [];
// One working directory per run: helpers may run the bench at the same time on this machine.
const runDir = join(cacheDir, `run-${process.pid}`);
const log = (msg: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const errors: string[] = [];
async function step<T>(name: string, fn: () => Promise<T>, fallback: T): Promise<T> {
  const t0 = performance.now();
  log(`${name}...`);
  try {
    const r = await fn();
    log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    return r;
  } catch (err) {
    errors.push(`${name}: ${(err as Error).message.split('\n')[0]}`);
    log(`${name}: FAILED ${(err as Error).stack}`);
    return fallback;
  }
}

/**
 * Write back dirty pages (the 3 GB database copy, the station's snapshot) before a timed phase, so
 * that its fsyncs do not pay for the bench's own setup.
 */
function flushDisk(): void {
  execFileSync('sync');
}

const nan = { samples: 0, p50Ms: NaN, p99Ms: NaN, maxMs: NaN };
const result: BenchResult = {
  // The machine is shared: its load average (1, 5, 15 min) at the start and the end goes beside every figure.
  machine: { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, memGb: Math.round(totalmem() / 2 ** 30), os: `Linux ${release()}`, loadAtStart: loadavg().map((x) => Math.round(x * 100) / 100) },
  quick, startedAt: new Date().toISOString(),
  cache: { ...sizes, serverDbMb: 0, stationDbMb: 0, builtThisRun: false },
  ptyFloor: nan, scanToVerdict: nan, decide: nan, onlineMode: { rttMs: 80, p50Ms: NaN, p99Ms: NaN }, outage: { seconds: OUTAGE_S, oursDecided: NaN, onlineDecided: NaN },
  stationRssMb: NaN, ingest: { records: 0, recordsPerSec: NaN }, snapshot: { records: sizes.passes + sizes.people, serverSeconds: NaN, stationApplySeconds: NaN },
  revocationPropagationMs: NaN, revocation: { syncIntervalMs, trialsMs: [] }, f0ToDeniedSeconds: NaN, f0Loop: { syncIntervalMs, trialsMs: [] }, backlogDrain: { records: quick ? 50_000 : 500_000, seconds: NaN }, errors,
};

rmSync(runDir, { recursive: true, force: true });
mkdirSync(runDir, { recursive: true });
const now = Date.now();
const keys = benchKeys(cacheDir);
const authority = authorityFor(keys, now);
// Vehicles to scan: warm-up, the timed samples, the outage, the revocation trials; each one pass + 2 crew codes.
const warmVehicles = 34;
const timedVehicles = Math.ceil(samples / 3);
const outageVehicles = Math.ceil((OUTAGE_S * 1000) / 25 / 3) + 1;
const vehicles = vehicleScans(authority, warmVehicles + timedVehicles + outageVehicles + 4 + 3, now);
const flat = (vs: Scan[][]) => vs.flat();
const warmScans = flat(vehicles.slice(0, warmVehicles));
const timedScans = flat(vehicles.slice(warmVehicles, warmVehicles + timedVehicles)).slice(0, samples);
const outageScans = flat(vehicles.slice(warmVehicles + timedVehicles, warmVehicles + timedVehicles + outageVehicles));
const revokeVehicles = vehicles.slice(-7, -4).map((v) => v[0]!);
const fillerPass = vehicles[vehicles.length - 4]![0]!;
// the F0 loop's vehicles: the driver is the F0, the assistant the contact whose next scan must be denied
const f0Vehicles = vehicles.slice(-3).map((v) => ({ f0: crewOf(v[0]!.passId)[0]!, contact: crewOf(v[0]!.passId)[1]!, contactCode: v[2]!.code }));
const fillerHealth = vehicles[vehicles.length - 4]![1]!.code;

// 1. the floor
if (want('floor')) result.ptyFloor = await step('ptyFloor', () => measurePtyFloor(runDir, timedScans.map((s) => s.code), samples), nan);
// 1b. the journal's durability setting, FULL against NORMAL, decided by the same engine in this process
if (want('floor')) result.journalSync = await step('journalSync (FULL vs NORMAL)', async () => measureJournalSync(samples), undefined);

if (onlyStationCache) {
  await step('stationCache', async () => {
    result.stationCache = await measureStationCache({ runDir, cacheDir, sizes: nationalSizes, log, profArgs });
  }, undefined);
  finish();
}

// 2. the server on a working copy of the cached database
const db = cachedServerDb(cacheDir, sizes, log);
result.cache.builtThisRun = db.built;
if (db.built) log(`server database built in ${db.seconds.toFixed(1)} s`);
const serverDir = join(runDir, 'server');
const serverDb = join(serverDir, 'server.sqlite');
mkdirSync(serverDir, { recursive: true });
serverDbForRun(db.file, serverDb, vehicles.length, now);
result.cache.serverDbMb = fileMb(serverDb);
writeServerKeys(keys, join(serverDir, 'keys'));
const server = await Child.start(new URL('./lib/server-child.ts', import.meta.url), [JSON.stringify({ dataDir: serverDir, dbFile: serverDb, keysDir: join(serverDir, 'keys') })], profArgs);
let stationProxy: FaultProxy | null = null;
let wanProxy: FaultProxy | null = null;
try {
  const addr = await server.call<{ port: number }>('address');
  const baseUrl = `http://127.0.0.1:${addr.port}`;
  const rootPublicKey = await server.call<string>('rootPublicKey');
  const rootKey = publicKeyFromRaw(Buffer.from(rootPublicKey, 'base64url'));
  const register = async (stationId: string, lanes = 1): Promise<StationCredential> => {
    const r = await server.call<{ secret: string }>('register', { stationId, checkpointId: CHECKPOINT, lanes: Array.from({ length: lanes }, (_, i) => ({ id: `L${i + 1}`, direction: 'entry' })) });
    return { stationId, secret: r.secret };
  };
  const stationCred = await register('bench-st');

  // 3. snapshot: the server alone, then the station's sync client filling the station's store
  const stationDir = join(runDir, 'station');
  if (want('snapshot')) {
    flushDisk();
    const cpu0 = await server.call<number>('cpu');
    const snapServer = await step('snapshot (server side)', () => snapshotServerSide(baseUrl, stationCred, PAGE), null);
    const cpu1 = await server.call<number>('cpu');
    const mine0 = process.cpuUsage();
    const snapStation = await step('snapshot (station applies it)', () => snapshotToStation(baseUrl, stationCred, stationDir, rootKey, PAGE), null);
    const mine = process.cpuUsage(mine0);
    result.snapshot = {
      records: sizes.passes + sizes.people, serverSeconds: snapServer ? round(snapServer.seconds) : NaN, stationApplySeconds: snapStation ? round(snapStation.seconds) : NaN,
      pageSize: PAGE, pages: snapServer?.pages, megabytes: snapServer ? Math.round(snapServer.bytes / 1e6) : undefined,
      stationStoreSeconds: snapStation ? round(snapStation.storeSeconds) : undefined, itemsApplied: snapStation?.items,
      serverCpuSeconds: round(cpu1 - cpu0), stationCpuSeconds: round((mine.user + mine.system) / 1e6),
    };
  }

  // 4. the station process: upload backlog queued, a delta waiting at the server, scans through the pty
  if (want('station') || want('f0Loop')) {
    stationProxy = new FaultProxy({ host: '127.0.0.1', port: addr.port });
    await stationProxy.start();
    const sp = stationProxy;
    await step('station: queue the upload backlog', async () => {
      const store = openStationStore(join(stationDir, 'station.db'));
      try {
        fillOutbox(store, 'bench-st', UPLOAD_BACKLOG);
      } finally {
        store.close();
      }
    }, undefined);
    result.cache.stationDbMb = fileMb(join(stationDir, 'station.db')) + fileMb(join(stationDir, 'station-cache.db'));
    const crewTop = 2 * vehicles.length;
    await server.call('touchPeople', { first: crewTop + 1, count: DELTA });
    const station = await BenchStation.start(runDir, {
      stationId: 'bench-st', checkpointId: CHECKPOINT, province: PROVINCE, rootPublicKey, dataDir: stationDir, officerScreen: { host: '127.0.0.1', port: 0 },
      server: { url: sp.url, credential: stationCred.secret },
    }, syncIntervalMs, profArgs, args['sync-page-size'] ? Number(args['sync-page-size']) : undefined);
    const startMem = await station.memory();
    try {
      if (want('station')) {
      flushDisk();
      const floor = new FsyncFloor(runDir);
      const stv = await step('scanToVerdict + decide (with sync delta and upload drain)', () => measureScanToVerdict(station, timedScans, warmScans, DELTA, floor), null);
      floor.close();
      if (stv) {
        result.scanToVerdict = { ...stv.scanToVerdict, endsAt: 'decision event read from the officer screen stream (GET /events)', toEngineEvent: stv.toEngineEvent, whileBusy: stv.whileBusy, afterBusy: stv.afterBusy, stationLoopDelay: stv.loopDelay, verdicts: stv.verdicts, concurrently: stv.background };
        result.decide = { ...stv.decide, whileBusy: stv.decideWhileBusy, afterBusy: stv.decideAfterBusy, breakdown: stv.decideStats };
        result.fsyncFloor = stv.fsyncFloor;
      }
      const mem = await station.memory();
      result.stationRssMb = Math.round(mem.maxRss / 2 ** 20);
      Object.assign(result, { stationMemory: { startRssMb: Math.round(startMem.rss / 2 ** 20), rssMb: Math.round(mem.rss / 2 ** 20), maxRssMb: Math.round(mem.maxRss / 2 ** 20), heapUsedMb: Math.round(mem.heapUsed / 2 ** 20), heapTotalMb: Math.round(mem.heapTotal / 2 ** 20), externalMb: Math.round(mem.external / 2 ** 20) } });

      // 5. online mode through a mobile-WAN proxy
      wanProxy = new FaultProxy({ host: '127.0.0.1', port: addr.port }, { delayMs: 40, jitterMs: 10, resetRate: 0.01 });
      await wanProxy.start();
      const onlineCred = await register('bench-online', ONLINE_LANES);
      const lanes = Array.from({ length: ONLINE_LANES }, (_, i) => onlineClient(wanProxy!.url, onlineCred, CHECKPOINT, `L${i + 1}`));
      const online = await step('onlineMode', () => measureOnline(lanes, vehicles.slice(warmVehicles, warmVehicles + timedVehicles), samples), null);
      if (online) result.onlineMode = { rttMs: 80, jitterMs: 10, resetRate: 0.01, lanes: ONLINE_LANES, ...online };

      // 6. a 10-second outage of the server, for both ways
      await step('outage', async () => {
        sp.plan.down = true;
        wanProxy!.plan.down = true;
        const tEnd = performance.now() + OUTAGE_S * 1000;
        const [ours, theirs] = await Promise.all([
          oursDuringOutage(station, outageScans, 25, OUTAGE_S),
          onlineDuringOutage(lanes, outageScans.slice(0, Math.floor((OUTAGE_S * 1000) / 25)), 25, 3_000).then((r) => r),
        ]);
        const stillDown = tEnd - performance.now();
        if (stillDown > 0) await new Promise((r) => setTimeout(r, stillDown));
        sp.plan.down = false;
        wanProxy!.plan.down = false;
        result.outage = { seconds: OUTAGE_S, oursDecided: ours.decided / ours.scans, onlineDecided: theirs.decided / theirs.scans, oursScans: ours.scans, onlineScans: theirs.scans };
      }, undefined);

      // 7. revocation at the server → denied at the station
      await step('revocationPropagation', async () => {
        const trials = quick ? 2 : 3;
        for (const scan of revokeVehicles.slice(0, trials)) {
          const ms = await revocationTrial(station, () => server.call('revoke', { passId: scan.passId }), scan.code, fillerPass.code, 3 * syncIntervalMs + 10_000);
          result.revocation.trialsMs.push(Math.round(ms));
        }
        result.revocationPropagationMs = Math.max(...result.revocation.trialsMs);
      }, undefined);

      // 8. lanesPerStation: lanes at peak rate together, open loop, until the targets are missed
      const laneFloor = new FsyncFloor(runDir);
      const capacity = await step('lanesPerStation', () => measureLanes(station, timedScans, result.ptyFloor.p99Ms, laneFloor, { firstLanes: 25, maxLanes: 1600, stepSeconds: quick ? 5 : 10 }), null);
      laneFloor.close();
      if (capacity) {
        result.lanesPerStation = capacity.lanesPerStation;
        result.lanes = capacity;
      }
      }

      // 10. the 5S loop: an F0 confirmed at the centre, their contact flagged F1 (the tracer's step), the contact's next scan denied here
      if (want('f0Loop')) {
        await step('f0ToDenied', async () => {
          // alone (--only f0Loop), the station's link is started here and caught up first, as after the station measures
          if (!want('station')) await startLinkAndCatchUp(station, DELTA);
          // After the station measures a vehicle's crossing is still open on the lane, and the contact
          // would be read as a stranger in it (PERSON_NOT_ON_PASS, DUPLICATE_READ): the loop starts once
          // that crossing's window has passed, on an idle lane, as a walk-in at a real checkpoint.
          else await sleep((DEFAULT_POLICY.crossingWindowSeconds + 2) * 1000);
          const trials = quick ? 2 : 3;
          const pairs = f0Vehicles.slice(0, trials);
          for (const v of pairs) {
            const ms = await f0LoopTrial(station, () => server.call('confirmF0', { f0: v.f0, contact: v.contact }), v.contactCode, fillerHealth, 3 * syncIntervalMs + 10_000);
            result.f0Loop.trialsMs.push(Math.round(ms));
          }
          result.f0ToDeniedSeconds = Math.max(...result.f0Loop.trialsMs) / 1000;
        }, undefined);
      }
    } finally {
      await station.stop();
    }
  }

  // 9. ingest and backlog drain, straight to the server
  const ingestRecords = quick ? 100_000 : 500_000;
  const ingestCreds = await Promise.all([1, 2, 3, 4].map((k) => register(`bench-ingest-${k}`)));
  flushDisk();
  if (want('ingest')) {
    result.ingest = await step<BenchResult['ingest']>('ingest', async () => {
      const c0 = await server.call<number>('cpu');
      const r = await measureIngest(baseUrl, ingestCreds, ingestRecords, 500);
      // both passes (fresh and re-sent) ran on the server's CPU
      return { ...r, serverCpuSecondsBothPasses: round((await server.call<number>('cpu')) - c0) };
    }, { records: ingestRecords, recordsPerSec: NaN });
  }
  const backlogCred = await register('bench-backlog');
  flushDisk();
  if (want('backlog')) result.backlogDrain = await step<BenchResult['backlogDrain']>('backlogDrain', () => measureBacklogDrain(baseUrl, backlogCred, join(runDir, 'backlog'), result.backlogDrain.records), result.backlogDrain);
} finally {
  await wanProxy?.stop();
  await stationProxy?.stop();
  await server.stop();
}

// 10. a station's store at national scale, on its own national server (after the other server stopped)
if (want('stationCache')) {
  await step('stationCache', async () => {
    result.stationCache = await measureStationCache({ runDir, cacheDir, sizes: nationalSizes, log, profArgs });
  }, undefined);
}
finish();

function finish(): never {
  result.machine.loadAtEnd = loadavg().map((x) => Math.round(x * 100) / 100);
  writeFileSync(args.out, JSON.stringify(result, null, 2) + '\n');
  console.log('\n' + table(result) + '\n');
  log(`results written to ${args.out}`);
  rmSync(runDir, { recursive: true, force: true });
  // Idle keep-alive sockets and timers of the HTTP clients would keep the process up for a while; the
  // bench is done. Exit 1 only when a measure could not run (a missed target is a result, not a failure).
  process.exit(errors.length > 0 ? 1 : 0);
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
