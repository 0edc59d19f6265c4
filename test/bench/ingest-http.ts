/**
 * The national run's maxIngest phase on its own, with its CPU accounted: `instances` real server
 * processes (server-child.ts, the real buildApp) on a throwaway PostgreSQL cluster (fsync on) or one on
 * SQLite, `stations` stations an instance posting their chains in batches of 500 over HTTP, `in-flight`
 * batches each (the uploader keeps 2), then everything again (all duplicates). Beside records/s it
 * prints the CPU microseconds per record of each party (this load generator, the servers together, PostgreSQL),
 * which is what says where the time goes when HTTP ingest trails ingest-engines.ts's in-process figure.
 * `npx tsx test/bench/ingest-http.ts [--engine postgres|sqlite] [--instances N] [--stations N] [--in-flight N] [--records N] [--batch N] [--rounds N] [--profile] [--node-option FLAG]...`
 * (`--profile`: a CPU profile of each server into .tmp/bench/prof/, read with test/bench/profile-top.ts;
 * `--node-option`: a flag for the server processes' node, to compare runtime settings such as the GC's)
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase, pgUnavailableReason, startThrowawayCluster, type PgCluster } from '../support/pg-cluster.js';
import { benchKeys, CHECKPOINT, writeServerKeys } from './lib/dataset.js';
import { Child } from './lib/ipc.js';
import { ingestBodies, postBodies } from './measures/server-load.js';
import { clusterCpuSeconds } from './national/pg-cpu.js';
import { nationalClusterSettings } from './national/run.js';

const { values: a } = parseArgs({
  options: {
    engine: { type: 'string', default: 'postgres' },
    instances: { type: 'string', default: '2' },
    stations: { type: 'string', default: '4' },
    'in-flight': { type: 'string', default: '2' },
    records: { type: 'string', default: '200000' },
    rounds: { type: 'string', default: '3' },
    // records an upload: 500 as maxIngest's; a station at the national peak sends 1-2, and the server groups them
    batch: { type: 'string', default: '500' },
    profile: { type: 'boolean', default: false },
    'node-option': { type: 'string', multiple: true, default: [] },
  },
});
const engine = a.engine === 'sqlite' ? 'sqlite' : 'postgres';
const instances = engine === 'sqlite' ? 1 : Number(a.instances);
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);
const round1 = (x: number) => Math.round(x * 10) / 10;
if (engine === 'postgres' && pgUnavailableReason()) throw new Error(`PostgreSQL: ${pgUnavailableReason()}`);

const dir = mkdtempSync(join(tmpdir(), 'ingest-http-'));
const keysDir = join(dir, 'keys');
mkdirSync(keysDir);
writeServerKeys(benchKeys(join(process.cwd(), '.tmp/bench')), keysDir);
let cluster: PgCluster | null = null;
const servers: Child[] = [];
const out: Record<string, unknown> = { engine, instances, stationsPerInstance: Number(a.stations), inFlight: Number(a['in-flight']), records: Number(a.records), batch: Number(a.batch), loadAtStart: load() };
try {
  let databaseUrl: string | null = null;
  if (engine === 'postgres') {
    cluster = await startThrowawayCluster({ fast: false, settings: nationalClusterSettings(instances) });
    databaseUrl = await createDatabase(cluster, 'ingest_http');
  }
  for (let i = 0; i < instances; i++) {
    servers.push(await Child.start(new URL('./lib/server-child.ts', import.meta.url), [JSON.stringify({ dataDir: dir, dbFile: join(dir, 'server.sqlite'), keysDir, databaseUrl })], [...a['node-option']!, ...(a.profile ? ['--cpu-prof', `--cpu-prof-dir=${join(process.cwd(), '.tmp/bench/prof')}`] : [])]));
  }
  const urls = await Promise.all(servers.map(async (c) => `http://127.0.0.1:${(await c.call<{ port: number }>('address')).port}`));
  const dbCpu = () => (cluster ? clusterCpuSeconds(cluster.dataDir) : 0);
  const serverCpu = () => Promise.all(servers.map((c) => c.call<number>('cpu')));
  const rounds: unknown[] = [];
  for (let r = 1; r <= Number(a.rounds); r++) {
    const creds = await Promise.all(Array.from({ length: Number(a.stations) * instances }, async (_, k) => {
      const stationId = `http-${r}-${k + 1}`;
      const res = await servers[0]!.call<{ secret: string }>('register', { stationId, checkpointId: CHECKPOINT, lanes: [{ id: 'L1', direction: 'entry' }] });
      return { stationId, secret: res.secret };
    }));
    const { bodies, records: total } = ingestBodies(creds, Number(a.records), Number(a.batch));
    // CPU per record of each party over a pass; the bodies are built before (the generator's own setup)
    const timed = async () => {
      const [g0, s0, d0] = [process.cpuUsage(), await serverCpu(), dbCpu()];
      const p = await postBodies(urls, creds, bodies, Number(a['in-flight']));
      const [g1, s1, d1] = [process.cpuUsage(g0), await serverCpu(), dbCpu()];
      return {
        ...p,
        recordsPerSec: Math.round(total / p.seconds),
        cpuMicrosPerRecord: { generator: round1((g1.user + g1.system) / total), servers: round1(s1.reduce((x, y, i) => x + y - s0[i]!, 0) * 1e6 / total), postgres: round1(((d1 - d0) * 1e6) / total) },
      };
    };
    const fresh = await timed();
    const again = await timed();
    if (fresh.stored !== total || again.duplicates !== total) throw new Error(`stored ${fresh.stored}, re-sent duplicates ${again.duplicates} of ${total}`);
    rounds.push({
      fresh: { recordsPerSec: fresh.recordsPerSec, cpuMicrosPerRecord: fresh.cpuMicrosPerRecord },
      resent: { recordsPerSec: again.recordsPerSec, cpuMicrosPerRecord: again.cpuMicrosPerRecord },
      load: load(),
    });
    console.error(JSON.stringify(rounds.at(-1)));
  }
  out.rounds = rounds;
  out.nodeOptions = a['node-option'];
} finally {
  for (const c of servers) await c.stop();
  await cluster?.stop();
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(out, null, 1));
