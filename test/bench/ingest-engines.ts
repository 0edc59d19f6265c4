/**
 * Ingest on SQLite and on PostgreSQL side by side, through the ingest service (validation, idempotency,
 * the hash-chain check, clone checks, the watermark) without HTTP: `stations` stations each upload their
 * chain in batches of 500 at once, as `npm run bench`'s ingest does, then send everything again (all
 * duplicates). Both engines durable: SQLite WAL with synchronous=FULL, a throwaway PostgreSQL cluster
 * with fsync and synchronous_commit on. The server's route cannot open PostgreSQL yet, hence the service.
 * `npx tsx test/bench/ingest-engines.ts [records] [stations]`. Prints JSON: records/s per engine and pass.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import type { AuthStation } from '../../server/auth/access.js';
import { openServerDatabase } from '../../server/db/database.js';
import { openPgServerDatabase } from '../../server/db/pg/database.js';
import type { SqlClient } from '../../server/db/sql-client.js';
import type { SqliteClient } from '../../server/db/sqlite-client.js';
import { PgIngestRepository } from '../../server/services/ingest/pg-repository.js';
import type { IngestRepository } from '../../server/services/ingest/repository.js';
import { IngestService } from '../../server/services/ingest/service.js';
import { SqliteIngestRepository } from '../../server/services/ingest/sqlite-repository.js';
import { createDatabaseSql, pgUnavailableReason, startThrowawayCluster } from '../support/pg-cluster.js';
import { sealedChain } from './lib/records.js';

const records = Number(process.argv[2] ?? 100_000);
const stationCount = Number(process.argv[3] ?? 4);
const BATCH = 500;
const lanes = [{ id: 'L1', direction: 'entry' as const }, { id: 'L2', direction: 'exit' as const }];
const stations: AuthStation[] = Array.from({ length: stationCount }, (_, k) => ({ stationId: `bench-ingest-${k + 1}`, checkpointId: k + 1, province: 79, lanes }));
const per = Math.ceil(records / stationCount);
const batches = stations.map((s) => {
  const chain = sealedChain(s.stationId, per);
  const out: { stationId: string; records: unknown[] }[] = [];
  for (let i = 0; i < chain.length; i += BATCH) out.push({ stationId: s.stationId, records: chain.slice(i, i + BATCH) });
  return out;
});

async function measure(client: SqlClient, repo: IngestRepository) {
  for (const s of stations) {
    await client.run(`INSERT INTO stations (station_id, checkpoint_id, name, province, lanes, secret_hash, created_at) VALUES (?, ?, ?, 79, ?, 'x', 0)`,
      [s.stationId, s.checkpointId, s.stationId, JSON.stringify(lanes)]);
  }
  const service = new IngestService(client, repo, Date.now);
  const pass = async () => {
    const times: number[] = [];
    const t0 = performance.now();
    const sums = await Promise.all(stations.map(async (s, k) => {
      let stored = 0;
      let duplicates = 0;
      for (const b of batches[k]!) {
        const t = performance.now();
        const ack = await service.ingestGrouped(s, b);
        times.push(performance.now() - t);
        if (ack.rejected.length > 0 || ack.chainBreaks.length > 0) throw new Error(`ingest: ${JSON.stringify(ack).slice(0, 300)}`);
        stored += ack.stored;
        duplicates += ack.duplicates;
      }
      return { stored, duplicates };
    }));
    const seconds = (performance.now() - t0) / 1000;
    times.sort((a, b) => a - b);
    const q = (p: number) => Math.round(times[Math.min(times.length - 1, Math.floor(p * times.length))]! * 10) / 10;
    return { seconds: Math.round(seconds * 1000) / 1000, stored: sums.reduce((n, x) => n + x.stored, 0), duplicates: sums.reduce((n, x) => n + x.duplicates, 0), batchP50Ms: q(0.5), batchP99Ms: q(0.99) };
  };
  const fresh = await pass();
  const again = await pass();
  const total = per * stationCount;
  const held = (await client.get<{ n: number }>('SELECT count(*) AS n FROM journal'))!.n;
  if (fresh.stored !== total || again.duplicates !== total || held !== total) throw new Error(`stored ${fresh.stored}, re-sent duplicates ${again.duplicates}, held ${held} of ${total}`);
  return {
    recordsPerSec: Math.round(total / fresh.seconds), duplicateRecordsPerSec: Math.round(total / again.seconds),
    fresh, again,
  };
}

const out: Record<string, unknown> = { records: per * stationCount, stations: stationCount, batch: BATCH, loadAtStart: (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100) };

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

const unavailable = pgUnavailableReason();
if (unavailable) out.postgres = `not run: ${unavailable}`;
else {
  const cluster = await startThrowawayCluster({ fast: false });
  try {
    const admin = new pg.Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(createDatabaseSql('ingest_bench'));
    await admin.end();
    const db = await openPgServerDatabase(cluster.urlFor('ingest_bench'), { max: stationCount * 2 });
    try {
      out.postgres = await measure(db.client, new PgIngestRepository(db.client));
    } finally {
      await db.close();
    }
  } finally {
    await cluster.stop();
  }
}
out.loadAtEnd = (await import('node:os')).loadavg().map((x) => Math.round(x * 100) / 100);
console.log(JSON.stringify(out, null, 1));
