/**
 * The central server for the benchmark, in its own process (so its CPU is not the station's): the
 * real buildApp on a working copy of the bench database, plus commands for the bench driver.
 * argv[2]: JSON { dataDir, dbFile, keysDir }.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { buildApp } from '../../../server/app.js';
import { loadServerConfig } from '../../../server/config.js';
import type { AuthUser } from '../../../server/auth/access.js';
import { personFacts, PROVINCE } from './dataset.js';
import { serveParent } from './ipc.js';

const opts = JSON.parse(process.argv[2]!) as { dataDir: string; dbFile: string; keysDir: string; databaseUrl?: string | null; ingestQueueMaxRecords?: number };
const config = loadServerConfig({
  PORT: '0', HOST: '127.0.0.1', DATA_DIR: opts.dataDir, DB_FILE: opts.dbFile, KEYS_DIR: opts.keysDir, LOG_LEVEL: 'error',
  ...(opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl, DATABASE_POOL_SIZE: '20' } : {}),
  BODY_LIMIT_BYTES: String(16 * 1024 * 1024),
  ONLINE_CHECK_ROUTE: 'true', // the online-check emulation the bench compares with
  ...(opts.ingestQueueMaxRecords ? { INGEST_QUEUE_MAX_RECORDS: String(opts.ingestQueueMaxRecords) } : {}),
});
const app = await buildApp(config, { logger: false });
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
loopDelay.enable();
// Each upload's answer as this server saw it: from its request's headers read to its answer written.
// The load generator times the same answers from its side, where a stall of its own event loop (2,000
// stations in one process) lengthens every one in flight; a real station has its own machine.
let ingestServedMs: number[] = [];
app.server.prependListener('request', (req, res) => {
  if (req.method !== 'POST' || req.url !== '/api/v1/ingest/batches') return;
  const t = performance.now();
  res.once('finish', () => ingestServedMs.push(performance.now() - t));
});
await app.listen({ port: 0, host: '127.0.0.1' });
app.trust.transportKey(PROVINCE); // publish our transport key in the trust list before any station syncs
const admin: AuthUser = { id: 0, username: 'bench', role: 'admin', province: PROVINCE };

const { emit } = serveParent({
  address: () => app.server.address(),
  register: (a: { stationId: string; checkpointId: number; province?: number; lanes: { id: string; direction: 'entry' | 'exit' }[] }) => {
    const province = a.province ?? PROVINCE;
    return app.stations.register({ ...admin, province }, { stationId: a.stationId, checkpointId: a.checkpointId, name: a.stationId, province, lanes: a.lanes });
  },
  head: () => app.feed.head(),
  rootPublicKey: () => app.trust.rootPublic().publicKey,
  /**
   * A health import flagging `count` people F1 from `first` on (a trace), rows and their changes in one
   * transaction: stations hold flags, not people, so a flag is what reaches every station as a delta.
   */
  touchPeople: async (a: { first: number; count: number }) => {
    const db = app.database.client;
    const now = Date.now();
    await db.transaction(async () => {
      for (let p = a.first; p < a.first + a.count; p++) {
        const f = { ...personFacts(p, now), status: 'F1' as const, statusAsOf: now };
        const item = JSON.stringify(f);
        const seq = await app.changeLog.append('person', f.citizenId, item, now);
        await db.run(
          'UPDATE people SET declared_at = ?, status = ?, status_as_of = ?, updated_at = ?, item = ?, change_seq = ? WHERE citizen_id = ?',
          [f.declaredAt, f.status, f.statusAsOf, now, item, seq, f.citizenId],
        );
      }
    });
    return app.feed.head();
  },
  revoke: async (a: { passId: number }) => {
    const t = Date.now();
    await app.passes.revoke({ username: 'bench', role: 'admin', province: PROVINCE }, a.passId, 'benchmark revocation');
    return t;
  },
  /** An F0 confirmed at the centre and their contact flagged F1 through the health service, as a tracer would. */
  confirmF0: async (a: { f0: number; contact: number }) => {
    const t = Date.now();
    const actor = { username: 'bench' };
    const f0 = personFacts(a.f0, t);
    const contact = personFacts(a.contact, t);
    await app.healthData.apply(actor, [{ kind: 'flag', citizenId: f0.citizenId, name: null, phone: null, status: 'F0', statusAsOf: t }], 'benchmark: F0 confirmed');
    await app.healthData.flagF1(actor, [{ citizenId: contact.citizenId, name: contact.name, phone: null }], `benchmark: contact of ${f0.citizenId}`);
    return t;
  },
  memory: () => process.memoryUsage(),
  /** the event loop's delay since the last call (p50, p99, max in ms), then starts over */
  loopDelay: () => {
    const h = loopDelay;
    const out = { p50: h.percentile(50) / 1e6, p99: h.percentile(99) / 1e6, max: h.max / 1e6 };
    h.reset();
    return out;
  },
  /** the uploads answered since the last call, each in ms as this server timed it, then starts over */
  ingestServed: () => {
    const out = ingestServedMs;
    ingestServedMs = [];
    return out;
  },
  /** records this instance holds accepted and not yet answered (its admission queue) */
  ingestHeld: () => app.ingestAdmission.held,
  /** CPU seconds used so far (user + system): throughput per CPU second is steadier than wall time on a busy machine */
  cpu: () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; },
  stop: () => app.close(),
});
emit('ready');
