/**
 * A station process for the benchmark: the real Station (store, serial scanner on a socat pty,
 * engine) with its own server link (sync client, uploader, heartbeat) over HTTP, reporting each durable verdict to the
 * bench driver with a machine-wide monotonic timestamp. In `floor` mode it only reads lines from the
 * pty with serialport + readline (the bare round trip the station cannot beat).
 * argv[2]: JSON { mode: 'floor', path } | { mode: 'station', config, syncIntervalMs }. Sync and upload use
 * their components' default page and batch sizes, as a station would.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ReadlineParser } from '@serialport/parser-readline';
import { SerialPort } from 'serialport';
import { parseStationConfig } from '../../../station/config.js';
import { Station } from '../../../station/station.js';
import { officerScreenForStation } from '../../../station/screen/for-station.js';
import { serveParent } from './ipc.js';

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
    emit('verdict', { atNs: ns(), decideMs: v.decideMs, verdict: v.verdict, reasons: v.reasons, seq: v.seq, codeKind: v.codeKind });
  });
  station.on('fault', (f) => emit('fault', { message: f.message }));
  emit('ready');
}
