/**
 * A station process for the benchmark: the real Station (store, serial scanner on a socat pty,
 * engine) with the real sync client and uploader over HTTP, reporting each durable verdict to the
 * bench driver with a machine-wide monotonic timestamp. In `floor` mode it only reads lines from the
 * pty with serialport + readline (the bare round trip the station cannot beat).
 * argv[2]: JSON { mode: 'floor', path } | { mode: 'station', config, syncIntervalMs, pageSize }.
 */
import { ReadlineParser } from '@serialport/parser-readline';
import { SerialPort } from 'serialport';
import { parseStationConfig } from '../../../station/config.js';
import { Station } from '../../../station/station.js';
import { HttpServerApi } from '../../../station/net/server-api.js';
import { SyncClient } from '../../../station/sync/sync-client.js';
import { Uploader } from '../../../station/sync/uploader.js';
import { TrustList } from '../../../shared/trust/trust-list.js';
import { serveParent } from './ipc.js';

type Opts = { mode: 'floor'; path: string } | { mode: 'station'; config: unknown; syncIntervalMs: number; pageSize: number };
const opts = JSON.parse(process.argv[2]!) as Opts;
const ns = () => String(process.hrtime.bigint());

let maxRss = 0;
const sampler = setInterval(() => (maxRss = Math.max(maxRss, process.memoryUsage().rss)), 100);
const memory = () => ({ ...process.memoryUsage(), maxRss: Math.max(maxRss, process.memoryUsage().rss) });

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
  const station = new Station(config, { log: (level, message, fields) => {
    if (level === 'error') process.stderr.write(`${message} ${JSON.stringify(fields ?? {})}\n`);
  } });
  await station.start();
  const store = station.store;
  const server = config.server!;
  const [stationId, secret] = [config.stationId, server.credential];
  const api = new HttpServerApi({ baseUrl: server.url, stationId, secret, timeoutMs: 5_000 });
  let trust: { doc: unknown; list: TrustList | null } = { doc: null, list: null };
  const sync = new SyncClient({
    api, cache: store, rootPublicKey: config.rootKey, intervalMs: opts.syncIntervalMs, pageSize: opts.pageSize, backoffMinMs: 200, backoffMaxMs: 2_000,
    currentTrust: () => {
      const doc = store.document('trustList');
      if (doc !== trust.doc) trust = { doc, list: doc ? TrustList.open(doc, config.rootKey) : null };
      return trust.list;
    },
  });
  const uploader = new Uploader({ api, outbox: store, backoffMinMs: 200, backoffMaxMs: 2_000 });
  const { emit } = serveParent({
    memory,
    /** start sync and upload now (the bench times scans while they work) */
    startBackground: () => {
      sync.start();
      uploader.start();
    },
    background: () => ({ sync: sync.status(), uploader: uploader.status(), cursor: store.syncState().cursor }),
    scanners: () => station.scannerStates(),
    stop: async () => {
      clearInterval(sampler);
      await Promise.all([sync.stop(), uploader.stop()]);
      await station.stop();
    },
  });
  station.on('verdict', (v) => {
    emit('verdict', { atNs: ns(), decideMs: v.decideMs, verdict: v.verdict, reasons: v.reasons, seq: v.seq, codeKind: v.codeKind });
    uploader.notify();
  });
  station.on('fault', (f) => emit('fault', { message: f.message }));
  emit('ready');
}
