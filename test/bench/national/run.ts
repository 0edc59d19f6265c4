/**
 * `npm run bench -- --national [--quick] [--out FILE] [--stations N] [--rate R] [--seconds S] [--backlog B] [--profile] [--ingest-queue N] [--ingest-stations N] [--ingest-in-flight N]`:
 * the national load test (issue 13, item 7). Light simulated stations (sim-station.ts) speak the real
 * wire contracts to a real server process: hash-chained journals uploaded by the station's own
 * uploader, heartbeats every 15 s, feed polls every 30 s. Phases:
 * 1. sustained: `rate` records a second spread over `stations` for `seconds` (after a 25 s warm-up:
 *    the stations start, staggered over its first 15 s) — acknowledgement, feed and heartbeat latencies;
 * 2. backlog: every station offline while `backlog` records are decided in all, then all reconnect at
 *    once — the drain time;
 * 3. maxIngest: four stations an instance post ready batches of 500 as fast as the server takes them,
 *    two in flight each as the station's uploader sends them;
 * 4. exactly once: every station's records 1..last at the server, once, acknowledged, no chain break,
 *    conflict or quarantined record.
 * `--engine postgres --instances 2` (the set-up): a throwaway PostgreSQL cluster on this machine
 * (fsync on), N server processes on it, each station uploading to, polling and beating on instance
 * (its index mod N), as behind a load balancer; then, for maxIngest side by side, one SQLite server too.
 * Default: one server on SQLite. Full: 2,000 stations, 1,800 records/s, 300 s, 6.4M backlog; quick: 60 s
 * and 640k. The scale options shrink a run on a loaded machine; the JSON keeps what ran.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { openServerDatabase } from '../../../server/db/database.js';
import { PgClient } from '../../../server/db/pg-client.js';
import type { SqlClient } from '../../../server/db/sql-client.js';
import { createDatabase, startThrowawayCluster, type PgCluster } from '../../support/pg-cluster.js';
import { benchKeys, CHECKPOINT, writeServerKeys } from '../lib/dataset.js';
import { Child } from '../lib/ipc.js';
import { summarize } from '../lib/stats.js';
import { measureIngest, type StationCredential } from '../measures/server-load.js';
import { errorsBetween, SimStation, Tally } from './sim-station.js';
import { nodeHttpFetch } from './http-transport.js';
import { checkExactlyOnce, type ExactlyOnce } from './exactly-once.js';
import { clusterCpuSeconds } from './pg-cpu.js';
import { PROFILE_SETTINGS, reportStatements, resetStatements, sampleWaits } from './pg-statements.js';

export interface NationalResult {
  stations: number;
  seconds: number;
  offeredRecordsPerSec: number;
  recordsPerSec: number;
  ackP50Ms: number;
  ackP99Ms: number;
  feedP99Ms: number;
  heartbeatP99Ms: number;
  /** from a change's request to each connected station hearing of it (the feed's doorbell) */
  propagationP99Ms: number;
  errors: number;
  maxIngest: { sqlite: number; postgres?: number };
  backlog: { records: number; seconds: number };
  exactlyOnce: boolean;
  engine: 'sqlite' | 'postgres';
  instances: number;
  [k: string]: unknown;
}

/** The throwaway cluster's settings for `instances` server instances (connections for their pools), shared with ingest-http.ts. */
export const nationalClusterSettings = (instances: number) => ({ max_connections: 100 + 20 * instances, shared_buffers: '512MB', max_wal_size: '4GB' });

/**
 * The stations start staggered over STAGGER_MS and the window opens WARMUP_MS after the first: 10 s
 * after the last one started. When both were 15 s the window opened as the last stations were starting,
 * and their start-up (the records that had waited for them, their first heartbeats and feed polls)
 * landed in its first 5 s: 15–25% more acknowledgements than in any later 5 s, and the worst p99 of
 * the window in five runs of six.
 */
const STAGGER_MS = 15_000;
const WARMUP_MS = 25_000;
const log = (msg: string) => console.log(`[national ${new Date().toISOString().slice(11, 19)}] ${msg}`);
const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs the national load test; returns the process exit code (1 when a phase could not run). */
export async function runNational(argv: string[]): Promise<number> {
  const { values: a } = parseArgs({
    args: argv,
    options: {
      national: { type: 'boolean' },
      quick: { type: 'boolean', default: false },
      out: { type: 'string', default: 'bench-national.json' },
      stations: { type: 'string' },
      rate: { type: 'string' },
      seconds: { type: 'string' },
      backlog: { type: 'string' },
      profile: { type: 'boolean', default: false },
      engine: { type: 'string', default: 'sqlite' },
      instances: { type: 'string', default: '1' },
      'ingest-queue': { type: 'string' },
      'ingest-stations': { type: 'string', default: '4' },
      'ingest-in-flight': { type: 'string', default: '2' },
    },
  });
  const engine = a.engine === 'postgres' ? 'postgres' : 'sqlite';
  if (a.engine !== engine) throw new Error(`--engine ${a.engine}: sqlite or postgres`);
  const instances = Number(a.instances);
  if (!Number.isInteger(instances) || instances < 1 || (engine === 'sqlite' && instances > 1)) {
    throw new Error('--instances N needs --engine postgres (SQLite is one process on one file)');
  }
  const stations = Number(a.stations ?? 2000);
  const rate = Number(a.rate ?? 1800);
  const seconds = Number(a.seconds ?? (a.quick ? 60 : 300));
  const backlogRecords = Number(a.backlog ?? (a.quick ? 640_000 : 6_400_000));
  const ingestRecords = a.quick ? 100_000 : 500_000;
  const machine = { cpus: cpus().length, model: cpus()[0]?.model ?? 'unknown', node: process.version, memGb: Math.round(totalmem() / 2 ** 30), os: `Linux ${release()}`, loadAtStart: loadavg().map((x) => round(x, 2)), loadAtEnd: [] as number[] };
  const startedAt = new Date().toISOString();
  const phaseErrors: string[] = [];

  const cacheDir = resolve('.tmp/bench');
  const runDir = join(cacheDir, `national-${process.pid}`);
  rmSync(runDir, { recursive: true, force: true });
  const serverDir = join(runDir, 'server');
  mkdirSync(serverDir, { recursive: true });
  const dbFile = join(serverDir, 'server.sqlite');
  writeServerKeys(benchKeys(cacheDir), join(serverDir, 'keys'));
  // --profile: a CPU profile of each server process into .tmp/bench/prof/ (npx tsx test/bench/profile-top.ts FILE)
  const profArgs = a.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(cacheDir, 'prof')}`] : [];
  const startServer = (dir: string, file: string, databaseUrl: string | null) =>
    Child.start(new URL('../lib/server-child.ts', import.meta.url), [JSON.stringify({ dataDir: dir, dbFile: file, keysDir: join(serverDir, 'keys'), databaseUrl, ingestQueueMaxRecords: a['ingest-queue'] ? Number(a['ingest-queue']) : undefined })], profArgs);
  let cluster: PgCluster | null = null;
  let databaseUrl: string | null = null;
  if (engine === 'postgres') {
    log('starting a PostgreSQL cluster (fsync on, as in production)');
    cluster = await startThrowawayCluster({ fast: false, settings: { ...nationalClusterSettings(instances), ...(a.profile ? PROFILE_SETTINGS : {}) } });
    databaseUrl = await createDatabase(cluster, 'national');
  }
  const servers: Child[] = [];
  for (let i = 0; i < instances; i++) servers.push(await startServer(serverDir, dbFile, databaseUrl)); // one by one: migrations once
  const server = servers[0]!;
  const tally = new Tally();
  const sims: SimStation[] = [];
  let result: NationalResult | null = null;
  try {
    const baseUrls = await Promise.all(servers.map(async (c) => `http://127.0.0.1:${(await c.call<{ port: number }>('address')).port}`));
    const baseUrl = baseUrls[0]!;
    const cpu = async () => (await Promise.all(servers.map((c) => c.call<number>('cpu')))).reduce((x, y) => x + y, 0);
    const dbCpu = () => (cluster ? clusterCpuSeconds(cluster.dataDir) : 0);
    const register = async (stationId: string): Promise<StationCredential> => {
      const r = await server.call<{ secret: string }>('register', { stationId, checkpointId: CHECKPOINT, lanes: [{ id: 'L1', direction: 'entry' }, { id: 'L2', direction: 'exit' }] });
      return { stationId, secret: r.secret };
    };
    log(`registering ${stations} stations`);
    const creds = await Promise.all(Array.from({ length: stations }, (_, i) => register(`nat-${String(i + 1).padStart(4, '0')}`)));
    const head = await server.call<number>('head');
    // each station its own connections (http-transport.ts), as on a machine of its own
    creds.forEach((c, i) => sims.push(new SimStation(c, baseUrls[i % baseUrls.length]!, tally, head, nodeHttpFetch())));

    // 1. sustained load: records offered at `rate` from the start; stations connect staggered over the warm-up
    log(`sustained: ${rate} records/s over ${stations} stations, ${WARMUP_MS / 1000} s warm-up then ${seconds} s measured`);
    let offered = 0;
    const t0 = performance.now();
    // Each record goes to a station drawn at random, so each station's records arrive as a Poisson
    // stream (about 0.9 a second each at the peak), as independent lanes' vehicles do, not as a
    // metronome: the station's uploader (station/sync/uploader.ts, its defaults: a small batch waits up
    // to 1 s to fill, up to 1,000 records a batch) then sends what arrived within its second together.
    const offer = setInterval(() => {
      const due = Math.floor((rate * (performance.now() - t0)) / 1000) - offered;
      for (let k = 0; k < due; k++) sims[Math.floor(Math.random() * sims.length)]!.decide(1);
      offered += Math.max(0, due);
    }, 50);
    sims.forEach((s, i) => setTimeout(() => s.start(), (i * STAGGER_MS) / sims.length));
    await sleep(WARMUP_MS);
    const acked = () => sims.reduce((n, s) => n + s.journal.ackedSeq(), 0);
    const [offered0, acked0, cpu0, db0, mine0] = [offered, acked(), await cpu(), dbCpu(), process.cpuUsage()];
    const errors0 = tally.errorKinds();
    const counts0 = tally.counts();
    if (a.profile && databaseUrl) await resetStatements(databaseUrl);
    const waits = a.profile && databaseUrl ? sampleWaits(databaseUrl) : null;
    await Promise.all(servers.map((c) => c.call('loopDelay')));
    await Promise.all(servers.map((c) => c.call('ingestServed')));
    const servedMs: number[] = [];
    tally.recording = true;
    const tw = performance.now();
    // every 5 s of the window: the acknowledgements answered in it (their p50/p99) and the longest
    // event-loop stall of this load generator and of each server. An acknowledgement is timed here, so
    // a stall of the generator's own loop lengthens every one in flight: this tells whose the tail is.
    // servedP99Ms: the same answers as the servers timed them (test/bench/lib/server-child.ts)
    const sustainedTimeline: { s: number; acks: number; ackP50Ms: number; ackP99Ms: number; servedP99Ms: number; stallMs: { generator: number; servers: number[] } }[] = [];
    const windowStall = monitorEventLoopDelay({ resolution: 10 });
    windowStall.enable();
    let ackMark = tally.ackMs.length;
    for (let left = seconds * 1000; left > 0; left = seconds * 1000 - (performance.now() - tw)) {
      await sleep(Math.min(5000, left));
      const loops = await Promise.all(servers.map((c) => c.call<{ max: number }>('loopDelay')));
      const served = (await Promise.all(servers.map((c) => c.call<number[]>('ingestServed')))).flat();
      for (const ms of served) servedMs.push(ms);
      const tick = summarize(tally.ackMs.slice(ackMark));
      ackMark = tally.ackMs.length;
      sustainedTimeline.push({
        s: Math.round((performance.now() - tw) / 1000), acks: tick.samples, ackP50Ms: tick.p50Ms, ackP99Ms: tick.p99Ms, servedP99Ms: summarize(served).p99Ms,
        stallMs: { generator: round(windowStall.max / 1e6, 0), servers: loops.map((l) => round(l.max, 0)) },
      });
      windowStall.reset();
    }
    windowStall.disable();
    const window = (performance.now() - tw) / 1000;
    tally.recording = false;
    clearInterval(offer);
    const errors1 = tally.errorKinds();
    const [offered1, acked1, cpu1, db1, mine1] = [offered, acked(), await cpu(), dbCpu(), process.cpuUsage(mine0)];
    const ack = summarize(tally.ackMs);
    const servedAck = summarize(servedMs);
    const requests = tally.counts(counts0);
    log(`sustained: requests ${JSON.stringify(requests)}`);
    if (waits) log(`sustained: PostgreSQL backends sampled every 100 ms (state wait): ${JSON.stringify(await waits.stop())}`);
    const worst = (pick: (t: (typeof sustainedTimeline)[number]) => number) => sustainedTimeline.reduce((m, t) => Math.max(m, pick(t)), 0);
    log(`sustained: longest event-loop stall in any 5 s: generator ${worst((t) => t.stallMs.generator)} ms, servers ${worst((t) => Math.max(...t.stallMs.servers))} ms; `
      + `worst 5 s ack p99 ${worst((t) => t.ackP99Ms || 0)} ms (detail.sustainedTimeline)`);
    log(`sustained: uploads as the servers answered them: p50/p99 ${servedAck.p50Ms}/${servedAck.p99Ms} ms (${servedAck.samples})`);
    if (a.profile && databaseUrl) {
      const file = join(cacheDir, 'prof', `pg-statements-${process.pid}.json`);
      mkdirSync(join(cacheDir, 'prof'), { recursive: true });
      const s = await reportStatements(databaseUrl, file);
      log(`sustained: PostgreSQL ran ${s.calls} statements in ${s.commits} transactions, ${round(s.execMs)} ms executing, ${round(s.planMs)} ms planning (${file})`);
    }
    log(`sustained: ${round((acked1 - acked0) / window)} records/s acknowledged of ${round((offered1 - offered0) / window)} offered; ack p50/p99 ${ack.p50Ms}/${ack.p99Ms} ms`);
    const settled = performance.now();
    while (sims.some((s) => s.journal.outboxBacklog() > 0) && performance.now() - settled < 120_000) await sleep(100);

    // 1b. propagation: a change at the centre reaching every connected station through the doorbell
    const propagationRounds = 3;
    log(`propagation: ${propagationRounds} changes to ${stations} connected stations`);
    const propagationMs: number[] = [];
    for (let k = 0; k < propagationRounds; k++) {
      const allHeld = performance.now();
      while (tally.held < sims.length && performance.now() - allHeld < 60_000) await sleep(50);
      if (tally.held < sims.length) phaseErrors.push(`propagation: only ${tally.held} of ${sims.length} stations holding the doorbell`);
      tally.rings.length = 0;
      tally.timing = true;
      const sentAt = performance.now();
      const head = await server.call<number>('touchPeople', { first: 1 + k, count: 1 });
      const heard = () => tally.rings.filter((r) => r.head >= head);
      const waited = performance.now();
      while (heard().length < sims.length && performance.now() - waited < 30_000) await sleep(20);
      tally.timing = false;
      propagationMs.push(...heard().map((r) => r.at - sentAt));
    }
    const propagation = summarize(propagationMs);
    log(`propagation: p50/p99 ${propagation.p50Ms}/${propagation.p99Ms} ms over ${propagation.samples} station-changes`);

    // 2. a national outage: every station decides offline, then all reconnect at once
    log(`backlog: ${backlogRecords} records decided offline, then drained`);
    await Promise.all(sims.map((s) => s.disconnectUploads()));
    const per = Math.floor(backlogRecords / sims.length);
    sims.forEach((s, i) => s.decide(per + (i < backlogRecords % sims.length ? 1 : 0)));
    const ts = performance.now();
    for (const s of sims) s.journal.sealAhead();
    log(`backlog: the stations' journals sealed (as each record is when decided) in ${round((performance.now() - ts) / 1000)} s, before the drain is timed`);
    if (a.profile && databaseUrl) await resetStatements(databaseUrl);
    const busy0 = tally.busy;
    const tb = performance.now();
    const [cpuB0, dbB0, mineB0] = [await cpu(), dbCpu(), process.cpuUsage()];
    // All reconnect at once, as fast as this one thread can: each station's first batch is built and
    // put on the wire before the next station's, with the answers to those already back served in
    // between. In one turn, the 2,000 batches (seconds of this thread's work) were all built before any
    // was sent, the first waited out that turn against its 15 s timeout, and the drain measured this
    // generator; real stations reconnect on machines of their own.
    let reconnectedAt = NaN;
    const reconnecting = (async () => {
      for (const s of sims) {
        s.reconnectUploads();
        await new Promise<void>((r) => setImmediate(r));
      }
      reconnectedAt = (performance.now() - tb) / 1000;
    })();
    let drained = true;
    // each second of the drain: records acknowledged in it, uploads refused busy, requests failed, each
    // instance's admission queue, and the longest event-loop stall of this load generator and of each
    // server since the last tick (the ticks themselves come late when this process stalls), with this
    // process's heap: a timed-out request is the server's lag or the generator's, and this tells which
    const timeline: { s: number; acked: number; busy: number; errors: number; held: number[]; stallMs: { generator: number; servers: number[] }; heapMb: number }[] = [];
    const errorCount = () => Object.values(tally.errorKinds()).reduce((x, y) => x + y, 0);
    let [lastAcked, lastBusy, lastErrors, lastTick] = [acked(), tally.busy, errorCount(), tb];
    await Promise.all(servers.map((c) => c.call('loopDelay')));
    const stall = monitorEventLoopDelay({ resolution: 10 });
    stall.enable();
    while (sims.some((s) => s.journal.outboxBacklog() > 0)) {
      if (performance.now() - tb > 30 * 60_000) {
        drained = false;
        phaseErrors.push('backlog: not drained within 30 minutes');
        break;
      }
      await sleep(100);
      if (performance.now() - lastTick >= 1000) {
        lastTick = performance.now();
        const held = await Promise.all(servers.map((c) => c.call<number>('ingestHeld')));
        const loops = await Promise.all(servers.map((c) => c.call<{ max: number }>('loopDelay')));
        const [now, errs] = [acked(), errorCount()];
        timeline.push({
          s: Math.round((lastTick - tb) / 1000), acked: now - lastAcked, busy: tally.busy - lastBusy, errors: errs - lastErrors, held,
          stallMs: { generator: round(stall.max / 1e6, 0), servers: loops.map((l) => round(l.max, 0)) }, heapMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20),
        });
        stall.reset();
        [lastAcked, lastBusy, lastErrors] = [now, tally.busy, errs];
      }
    }
    stall.disable();
    await reconnecting;
    const backlogSeconds = (performance.now() - tb) / 1000;
    const [cpuB1, dbB1, mineB1] = [await cpu(), dbCpu(), process.cpuUsage(mineB0)];
    const busyRefusals = tally.busy - busy0;
    log(`backlog: ${drained ? 'drained' : 'NOT drained'} in ${round(backlogSeconds)} s; ${busyRefusals} uploads refused busy (Retry-After) and sent again; every station had reconnected ${round(reconnectedAt)} s in`);
    if (a.profile && databaseUrl) {
      const file = join(cacheDir, 'prof', `pg-statements-backlog-${process.pid}.json`);
      const s = await reportStatements(databaseUrl, file);
      log(`backlog: PostgreSQL ran ${s.calls} statements in ${s.commits} transactions, ${round(s.execMs)} ms executing, ${round(s.planMs)} ms planning (${file})`);
    }
    await Promise.all(sims.map((s) => s.stop()));

    // 3. the maximum ingest rate, straight to the server (both engines side by side when on PostgreSQL):
    // `--ingest-stations` stations an instance (default 4; 8 measured no more, 36k against 47k, on this 2-core machine), each posting its next batch of 500 as soon as the last is answered;
    // on PostgreSQL the deployment's figure is every instance taking its stations at once, and one
    // instance alone is recorded beside it
    const maxIngest: { sqlite: number; postgres?: number } = { sqlite: NaN };
    let oneInstance: number | null = null;
    const measureOn = async (via: Child, urls: string[], prefix: string, on: string = engine) => {
      const ingestCreds = await Promise.all(Array.from({ length: Number(a['ingest-stations']) * urls.length }, async (_, k) => {
        const stationId = `${prefix}-ingest-${k + 1}`;
        const r = await via.call<{ secret: string }>('register', { stationId, checkpointId: CHECKPOINT, lanes: [{ id: 'L1', direction: 'entry' }] });
        return { stationId, secret: r.secret };
      }));
      log(`maxIngest: ${ingestRecords} records in batches of 500 from ${ingestCreds.length} stations on ${urls.length} ${on} instance(s)`);
      return (await measureIngest(urls, ingestCreds, ingestRecords, 500, Number(a['ingest-in-flight']))).recordsPerSec;
    };
    try {
      maxIngest[engine] = await measureOn(server, baseUrls, 'nat');
      if (baseUrls.length > 1) oneInstance = await measureOn(server, [baseUrl], 'nat-one');
    } catch (err) {
      phaseErrors.push(`maxIngest ${engine}: ${(err as Error).message.split('\n')[0]}`);
    }

    // 4. every record at the server exactly once
    const check: SqlClient = databaseUrl ? PgClient.connect(databaseUrl, { max: 1 }) : openServerDatabase(dbFile).client;
    let exactly: ExactlyOnce;
    try {
      exactly = await checkExactlyOnce(check, new Map(sims.map((s) => [s.journal.stationId, s.journal.lastSeq()])));
    } finally {
      await check.close();
    }
    if (engine === 'postgres') {
      for (const c of servers) await c.stop();
      servers.length = 0;
      const sqliteDir = join(runDir, 'server-sqlite');
      mkdirSync(sqliteDir, { recursive: true });
      const alone = await startServer(sqliteDir, join(sqliteDir, 'server.sqlite'), null);
      servers.push(alone);
      try {
        log(`maxIngest: the same on SQLite, side by side`);
        maxIngest.sqlite = await measureOn(alone, [`http://127.0.0.1:${(await alone.call<{ port: number }>('address')).port}`], 'nat-sqlite', 'sqlite');
      } catch (err) {
        phaseErrors.push(`maxIngest sqlite: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    // the target's zero errors is the peak's (the sustained window); the backlog's are told apart
    const windowErrors = errorsBetween(errors0, errors1);
    const laterErrors = errorsBetween(errors1, tally.errorKinds());
    const count = (kinds: Record<string, number>) => Object.values(kinds).reduce((x, y) => x + y, 0);
    result = {
      stations, seconds: round(window), offeredRecordsPerSec: round((offered1 - offered0) / window), recordsPerSec: round((acked1 - acked0) / window),
      ackP50Ms: ack.p50Ms, ackP99Ms: ack.p99Ms, feedP99Ms: summarize(tally.feedMs).p99Ms, heartbeatP99Ms: summarize(tally.heartbeatMs).p99Ms,
      propagationP99Ms: propagation.p99Ms,
      errors: count(windowErrors), maxIngest, backlog: { records: per * sims.length + (backlogRecords % sims.length), seconds: round(backlogSeconds) },
      exactlyOnce: exactly.ok, engine, instances,
      detail: {
        uploads: ack.samples, feedPolls: tally.feedMs.length, heartbeats: tally.heartbeatMs.length, errorKindsDuringWindow: windowErrors,
        errorsAfterWindow: count(laterErrors), errorKindsAfterWindow: laterErrors, ackMaxMs: ack.maxMs, feedP50Ms: summarize(tally.feedMs).p50Ms, heartbeatP50Ms: summarize(tally.heartbeatMs).p50Ms,
        cpuSeconds: {
          serverSustained: round(cpu1 - cpu0, 2), postgresSustained: round(db1 - db0, 2), loadGeneratorSustained: round((mine1.user + mine1.system) / 1e6, 2),
          serverBacklog: round(cpuB1 - cpuB0, 2), postgresBacklog: round(dbB1 - dbB0, 2), loadGeneratorBacklog: round((mineB1.user + mineB1.system) / 1e6, 2),
        },
        ackServedP50Ms: servedAck.p50Ms, ackServedP99Ms: servedAck.p99Ms,
        sustainedTimeline,
        propagation: { ...propagation, expected: propagationRounds * stations },
        backlogRecordsPerSec: round((per * sims.length) / backlogSeconds), backlogBusyRefusals: busyRefusals, backlogReconnectSeconds: round(reconnectedAt), backlogTimeline: timeline, maxIngestOneInstance: oneInstance, exactlyOnce: exactly,
        phaseErrors,
      },
    };
  } finally {
    await Promise.allSettled(sims.map((s) => s.stop()));
    for (const c of servers) await c.stop();
    await cluster?.stop();
    rmSync(runDir, { recursive: true, force: true });
  }
  machine.loadAtEnd = loadavg().map((x) => round(x, 2));
  writeFileSync(a.out!, JSON.stringify({ machine, quick: a.quick, startedAt, national: result }, null, 2) + '\n');
  console.log(`\n${nationalTable(result, machine)}\n`);
  log(`results written to ${a.out}`);
  return phaseErrors.length > 0 ? 1 : 0;
}

function nationalTable(r: NationalResult, m: { loadAtStart: number[]; loadAtEnd: number[] }): string {
  const rows: [string, string, string, boolean][] = [
    [`sustained ${r.seconds} s, ${r.stations} stations: acknowledged / offered`, `${r.recordsPerSec} / ${r.offeredRecordsPerSec} records/s`, '≥ 98% of offered (the last second is in flight)', r.recordsPerSec >= 0.98 * r.offeredRecordsPerSec],
    ['ingest acknowledgement p50 / p99', `${r.ackP50Ms} / ${r.ackP99Ms} ms`, 'p99 ≤ 250 ms', r.ackP99Ms <= 250],
    ['feed poll p99 / heartbeat p99', `${r.feedP99Ms} / ${r.heartbeatP99Ms} ms`, 'reference', true],
    ['propagation of a change to every connected station, p99', `${r.propagationP99Ms} ms`, '≤ 2,000 ms', r.propagationP99Ms <= 2000],
    [`errors during the sustained ${r.seconds} s (after it: ${String((r.detail as { errorsAfterWindow?: number } | undefined)?.errorsAfterWindow ?? '?')})`, String(r.errors), '0 at the peak', r.errors === 0],
    [`maxIngest on SQLite (batches of 500)`, `${Math.round(r.maxIngest.sqlite).toLocaleString('en')} records/s`, '≥ 100,000/s', r.maxIngest.sqlite >= 100_000],
    ...(r.maxIngest.postgres === undefined ? [] : [[`maxIngest on PostgreSQL (batches of 500)`, `${Math.round(r.maxIngest.postgres).toLocaleString('en')} records/s`, '≥ 50,000/s', r.maxIngest.postgres >= 50_000] as [string, string, string, boolean]]),
    [`backlog ${r.backlog.records.toLocaleString('en')} records drained`, `${r.backlog.seconds} s`, `≤ ${round((300 * r.backlog.records) / 6_400_000)} s (5 min for 6.4M, scaled)`, r.backlog.seconds <= (300 * r.backlog.records) / 6_400_000],
    ['every record at the server exactly once', String(r.exactlyOnce), 'true', r.exactlyOnce],
  ];
  return [
    `national load test on ${r.engine}, ${r.instances} server instance(s); load average at start ${m.loadAtStart.join(' / ')}, at end ${m.loadAtEnd.join(' / ')}`,
    ...rows.map(([name, value, target, met]) => `${name.padEnd(58)} ${value.padEnd(28)} ${target.padEnd(48)} ${met ? 'met' : 'MISSED'}`),
  ].join('\n');
}
