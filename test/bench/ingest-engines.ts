/**
 * Ingest on SQLite and on PostgreSQL side by side, through the ingest service (validation, idempotency,
 * the hash-chain check, clone checks, the watermark) without HTTP: `stations` stations each upload their
 * chain in batches of 500 at once, as `npm run bench`'s ingest does, then send everything again (all
 * duplicates). Repeated `rounds` times with new stations on the same database, so the journal and its
 * indexes grow as they would; the figure is the median round. Both engines durable: SQLite WAL with
 * synchronous=FULL, a throwaway PostgreSQL cluster with fsync and synchronous_commit on.
 * `npx tsx test/bench/ingest-engines.ts [--records N] [--stations N] [--in-flight N] [--rounds N] [--engine sqlite|postgres|both] [--pg-stats]`
 * (`--pg-stats`: load pg_stat_statements and print the top statements by total time;
 * `--setting name=value`, repeatable: a PostgreSQL server setting, to compare tunings).
 * Prints JSON: records/s per engine, fresh and re-sent, p50 over rounds, and each round.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { AuthStation } from '../../server/auth/access.js';
import { openServerDatabase } from '../../server/db/database.js';
import { openPgServerDatabase } from '../../server/db/pg/database.js';
import type { SqlClient } from '../../server/db/sql-client.js';
import type { SqliteClient } from '../../server/db/sqlite-client.js';
import { PgIngestRepository } from '../../server/services/ingest/pg-repository.js';
import type { IngestRepository } from '../../server/services/ingest/repository.js';
import { IngestService } from '../../server/services/ingest/service.js';
import { SqliteIngestRepository } from '../../server/services/ingest/sqlite-repository.js';
import { createDatabase, pgUnavailableReason, startThrowawayCluster } from '../support/pg-cluster.js';
import { insertStationRow } from '../postgres/station-row.js';
import { sendInOrder } from './lib/in-order.js';
import { sealedChain } from './lib/records.js';
import { clusterCpuSeconds } from './national/pg-cpu.js';

const { values: a } = parseArgs({
  options: {
    records: { type: 'string', default: '100000' },
    stations: { type: 'string', default: '4' },
    'in-flight': { type: 'string', default: '1' },
    rounds: { type: 'string', default: '5' },
    engine: { type: 'string', default: 'both' },
    'pg-stats': { type: 'boolean', default: false },
    setting: { type: 'string', multiple: true, default: [] },
  },
});
const records = Number(a.records);
const stationCount = Number(a.stations);
/** batches each station has in flight at once (the station's uploader keeps 2) */
const inFlight = Number(a['in-flight']);
const rounds = Number(a.rounds);
const BATCH = 500;
const lanes = [{ id: 'L1', direction: 'entry' as const }, { id: 'L2', direction: 'exit' as const }];
const per = Math.ceil(records / stationCount);
const total = per * stationCount;
const load = () => loadavg().map((x) => Math.round(x * 100) / 100);

/** One round's stations (new ones each round) and their chains cut into batches. */
function roundData(round: number) {
  const stations: AuthStation[] = Array.from({ length: stationCount }, (_, k) => ({ stationId: `bench-ingest-${round}-${k + 1}`, checkpointId: k + 1, province: 79, lanes }));
  const batches = stations.map((s) => {
    const chain = sealedChain(s.stationId, per);
    const out: { stationId: string; records: unknown[] }[] = [];
    for (let i = 0; i < chain.length; i += BATCH) out.push({ stationId: s.stationId, records: chain.slice(i, i + BATCH) });
    return out;
  });
  return { stations, batches };
}

async function pass(service: IngestService, stations: AuthStation[], batches: { stationId: string; records: unknown[] }[][]) {
  const t0 = performance.now();
  const sums = await Promise.all(stations.map(async (s, k) => {
    let stored = 0;
    let duplicates = 0;
    await sendInOrder(batches[k]!, inFlight, async (b) => {
      const ack = await service.ingestGrouped(s, b);
      if (ack.rejected.length > 0 || ack.chainBreaks.length > 0) throw new Error(`ingest: ${JSON.stringify(ack).slice(0, 300)}`);
      stored += ack.stored;
      duplicates += ack.duplicates;
    });
    return { stored, duplicates };
  }));
  return { seconds: (performance.now() - t0) / 1000, stored: sums.reduce((n, x) => n + x.stored, 0), duplicates: sums.reduce((n, x) => n + x.duplicates, 0) };
}

/**
 * CPU microseconds per record, this process's and the database server's (PostgreSQL's backends): on a
 * loaded machine the wall-clock rate says how much CPU we were given, this says what the work costs.
 */
async function measure(client: SqlClient, repo: IngestRepository, dbCpuSeconds: () => number = () => 0) {
  const service = new IngestService(client, repo, Date.now);
  const fresh: number[] = [];
  const again: number[] = [];
  const cpu: { node: number; db: number }[] = [];
  for (let round = 1; round <= rounds; round++) {
    const { stations, batches } = roundData(round);
    for (const s of stations) await insertStationRow(client, s);
    const c0 = process.cpuUsage();
    const d0 = dbCpuSeconds();
    const f = await pass(service, stations, batches);
    const c1 = process.cpuUsage(c0);
    cpu.push({ node: (c1.user + c1.system) / total, db: ((dbCpuSeconds() - d0) * 1e6) / total });
    const d = await pass(service, stations, batches);
    if (f.stored !== total || d.duplicates !== total) throw new Error(`round ${round}: stored ${f.stored}, re-sent duplicates ${d.duplicates} of ${total}`);
    fresh.push(Math.round(total / f.seconds));
    again.push(Math.round(total / d.seconds));
  }
  const held = Number((await client.get<{ n: number }>('SELECT count(*) AS n FROM journal'))!.n);
  if (held !== total * rounds) throw new Error(`held ${held} of ${total * rounds}`);
  const p50 = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)]!;
  const us = (xs: number[]) => Math.round(p50(xs) * 10) / 10;
  return {
    recordsPerSecP50: p50(fresh), duplicateRecordsPerSecP50: p50(again),
    cpuMicrosPerRecordP50: { node: us(cpu.map((c) => c.node)), database: us(cpu.map((c) => c.db)) },
    freshRounds: fresh, duplicateRounds: again, loadAfter: load(),
  };
}

const out: Record<string, unknown> = { recordsPerRound: total, stations: stationCount, inFlight, rounds, batch: BATCH, loadAtStart: load() };

if (a.engine !== 'postgres') {
  const dir = mkdtempSync(join(tmpdir(), 'ingest-engines-'));
  try {
    const db = openServerDatabase(join(dir, 'server.db'));
    try {
      out.sqlite = await measure(db.client, new SqliteIngestRepository(db.client as SqliteClient));
    } finally {
      db.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const unavailable = pgUnavailableReason();
if (a.engine === 'sqlite') {
  // not asked for
} else if (unavailable) out.postgres = `not run: ${unavailable}`;
else {
  const stats: Record<string, string> = a['pg-stats'] ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' } : {};
  const extra = Object.fromEntries(a.setting!.map((kv) => {
    const at = kv.indexOf('=');
    if (at < 1) throw new Error(`--setting wants name=value, not ${kv}`);
    return [kv.slice(0, at), kv.slice(at + 1)];
  }));
  out.pgSettings = extra;
  const cluster = await startThrowawayCluster({ fast: false, settings: { ...stats, ...extra } });
  try {
    const db = await openPgServerDatabase(await createDatabase(cluster, 'ingest_bench'), { max: stationCount * 2 });
    try {
      if (a['pg-stats']) await db.client.exec('CREATE EXTENSION pg_stat_statements');
      out.postgres = await measure(db.client, new PgIngestRepository(db.client), () => clusterCpuSeconds(cluster.dataDir));
      if (a['pg-stats']) {
        out.pgTopStatements = await db.client.all(
          `SELECT round(total_exec_time::numeric, 1) AS "totalMs", calls, round(mean_exec_time::numeric, 3) AS "meanMs", left(regexp_replace(query, '\\s+', ' ', 'g'), 120) AS query
           FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 12`,
        );
      }
    } finally {
      await db.close();
    }
  } finally {
    await cluster.stop();
  }
}
out.loadAtEnd = load();
console.log(JSON.stringify(out, null, 1));
