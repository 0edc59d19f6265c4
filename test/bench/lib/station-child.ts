/**
 * A station process for the benchmark: the real Station (store, serial scanner on a socat pty,
 * engine) with its own server link (sync client, uploader, heartbeat) over HTTP, reporting each durable verdict to the
 * bench driver with a machine-wide monotonic timestamp. In `floor` mode it only reads lines from the
 * pty with serialport + readline (the bare round trip the station cannot beat).
 * argv[2]: JSON { mode: 'floor', path } | { mode: 'station', config, syncIntervalMs }. Sync and upload use
 * their components' default page and batch sizes, as a station would.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { ReadlineParser } from '@serialport/parser-readline';
import { SerialPort } from 'serialport';
import { parseStationConfig } from '../../../station/config.js';
import { Station } from '../../../station/station.js';
import { officerScreenForStation } from '../../../station/screen/for-station.js';
import { serveParent } from './ipc.js';
import { summarize } from './stats.js';

type Opts = { mode: 'floor'; path: string } | { mode: 'station'; config: unknown; syncIntervalMs: number; syncPageSize?: number };
const opts = JSON.parse(process.argv[2]!) as Opts;
const ns = () => String(process.hrtime.bigint());

let maxRss = 0;
const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage().rss)), 100);
const memory = () => ({ ...process.memoryUsage(), maxRss: Math.max(maxRss, process.memoryUsage().rss) });
// How long the event loop was held up (a scan's bytes wait while the loop is busy with sync or upload work).
const loop = monitorEventLoopDelay({ resolution: 1 });
loop.enable();
const loopDelay = (reset: boolean) => {
  const r = { p50Ms: loop.percentile(50) / 1e6, p99Ms: loop.percentile(99) / 1e6, maxMs: loop.max / 1e6 };
  if (reset) loop.reset();
  return r;
};

/** CPU time (ms) of this process's threads, the main (deciding) thread apart: /proc/self/task/<tid>/stat, in clock ticks of 10 ms. */
function threadCpuMs(): { main: number; others: number } {
  let main = 0;
  let others = 0;
  let tids: string[] = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return { main: NaN, others: NaN };
  }
  for (const tid of tids) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    } catch {
      continue; // a thread that ended meanwhile
    }
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ms = (Number(f[11]) + Number(f[12])) * 10;
    if (tid === String(process.pid)) main = ms;
    else others += ms;
  }
  return { main, others };
}

/**
 * Where a decision's time went, counted rather than timed (so that the machine's load does not
 * change the answer much): for each decision its journal commit's share, and whether a garbage
 * collection ran inside it (GC pauses on the main thread, from the perf_hooks 'gc' entries).
 */
const gcs: { start: number; end: number; minor: boolean }[] = [];
new PerformanceObserver((list) => {
  for (const e of list.getEntries()) gcs.push({ start: e.startTime, end: e.startTime + e.duration, minor: (e as unknown as { detail?: { kind?: number } }).detail?.kind === 1 });
}).observe({ entryTypes: ['gc'] });
const decisions: { start: number; end: number; decideMs: number; journalMs: number }[] = [];
let cpuAtReset = threadCpuMs();
const decideStats = (reset: boolean) => {
  const cpu = threadCpuMs();
  const n = decisions.length;
  let g = 0;
  const withGc: number[] = [];
  const withoutGc: number[] = [];
  const gcInside: number[] = [];
  for (const d of decisions) {
    while (g < gcs.length && gcs[g]!.end < d.start) g++;
    let paused = 0;
    for (let k = g; k < gcs.length && gcs[k]!.start < d.end; k++) paused += Math.min(gcs[k]!.end, d.end) - Math.max(gcs[k]!.start, d.start);
    if (paused > 0) {
      withGc.push(d.decideMs);
      gcInside.push(paused);
    } else withoutGc.push(d.decideMs);
  }
  const first = decisions[0]?.start ?? 0;
  const inRun = gcs.filter((e) => e.end >= first);
  const r = {
    decisions: n,
    journalMs: summarize(decisions.map((d) => d.journalMs)),
    beforeJournalMs: summarize(decisions.map((d) => d.decideMs - d.journalMs)),
    decisionsWithGc: withGc.length,
    withGc: summarize(withGc),
    gcPauseInsideMs: summarize(gcInside),
    withoutGc: summarize(withoutGc),
    gcPer1kDecisions: n ? { minor: Math.round((1000 * inRun.filter((e) => e.minor).length) / n), other: Math.round((1000 * inRun.filter((e) => !e.minor).length) / n) } : null,
    mainThreadCpuMsPerDecision: n ? Math.round((1000 * (cpu.main - cpuAtReset.main)) / n) / 1000 : null,
    otherThreadsCpuMs: cpu.others - cpuAtReset.others,
  };
  if (reset) {
    decisions.length = 0;
    gcs.length = 0;
    cpuAtReset = cpu;
  }
  return r;
};

if (opts.mode === 'floor') {
  const port = new SerialPort({ path: opts.path, baudRate: 115_200, autoOpen: false });
  await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
  const lines = port.pipe(new ReadlineParser({ delimiter: '\r' }));
  const { emit } = serveParent({
    memory,
    stop: () => new Promise<void>((resolve) => {
      clearInterval(sampler);
      port.close(() => resolve());
    }),
  });
  lines.on('data', (line: string) => emit('line', { atNs: ns(), length: line.length }));
  emit('ready');
} else {
  const config = parseStationConfig(opts.config);
  // The station's own link (sync, upload, heartbeat) in its worker thread over HTTP, started only when
  // the bench says so, so that the sync delta and the upload drain begin with the timed scans.
  const station = new Station(config, {
    log: (level, message, fields) => {
      if (level === 'error') process.stderr.write(`${message} ${JSON.stringify(fields ?? {})}\n`);
    },
    link: { manualStart: true, syncIntervalMs: opts.syncIntervalMs, backoffMaxMs: 2_000, ...(opts.syncPageSize ? { syncPageSize: opts.syncPageSize } : {}) },
  });
  await station.start();
  const link = station.link!;
  // The officer's screen, whose event stream the bench reads: a verdict counts once it is published there.
  const screen = officerScreenForStation(station, { host: '127.0.0.1', port: 0 });
  const screenUrl = screen ? await screen.start() : null;
  const { emit } = serveParent({
    memory,
    loopDelay,
    decideStats,
    /** let the link talk to the server now (the bench times scans while it works) */
    startBackground: () => link.start(),
    background: () => {
      const st = link.status();
      // The backlog from the store: the link's status says nothing before the link is started.
      return { sync: st.sync, uploader: { ...st.upload, backlog: station.store.outboxBacklog() }, cursor: st.cacheCursor };
    },
    scanners: () => station.scannerStates(),
    screenUrl: () => screenUrl,
    stop: async () => {
      clearInterval(sampler);
      await screen?.stop();
      await station.stop();
    },
  });
  station.on('verdict', (v) => {
    const end = performance.now();
    decisions.push({ start: end - v.decideMs, end, decideMs: v.decideMs, journalMs: v.journalMs });
    emit('verdict', { atNs: ns(), decideMs: v.decideMs, verdict: v.verdict, reasons: v.reasons, seq: v.seq, codeKind: v.codeKind });
  });
  station.on('fault', (f) => emit('fault', { message: f.message }));
  emit('ready');
}
