/**
 * Micro-benchmark of ingest when every record is a vehicle crossing, the records clone detection looks
 * at (`npm run bench`'s ingest sends scans only). Two provinces' stations (79, 80) each upload their
 * chain in batches of 500 through the real route on an in-memory database; vehicles alternate entry and
 * exit so most entries have a neighbour to compare with.
 * `npx tsx test/bench/ingest-crossings.ts [records per station]`. Prints records/s and per-batch p50/p99.
 */
import { performance } from 'node:perf_hooks';
import { makeTestApp, registerStation, userWithRole } from '../server/helpers.js';
import { JournalWriter } from '../server/journal-fixtures.js';

const perStation = Number(process.argv[2] ?? 20_000);
const BATCH = 500;
const VEHICLES = 2_000;
const app = await makeTestApp({ env: { LOG_LEVEL: 'silent' } });
const stations: Awaited<ReturnType<typeof registerStation>>[] = [];
for (const province of [79, 80]) {
  const admin = await userWithRole(app, 'admin', province);
  stations.push(await registerStation(app, admin, { stationId: `chot-${province}01`, checkpointId: province * 100 + 1 }));
}
const t0 = Date.UTC(2021, 6, 30);
const writers = stations.map((s) => new JournalWriter(s.stationId));
// Each vehicle goes back and forth over the border: out of one province, 20 s later into the other
// (a journey, no clone); `vehicle()` writes the pass scan and the crossing (no crew).
for (let i = 0; i < perStation / 2; i++) {
  const passId = (i % VEHICLES) + 1;
  const round = Math.floor(i / VEHICLES);
  writers.forEach((w, k) => {
    const direction = k === round % 2 ? 'exit' : 'entry';
    const at = t0 + i * 60_000 + (direction === 'exit' ? 0 : 20_000);
    w.vehicle(at, { crossingId: `x${i}-${k}`, passId, plate: '51C-123.45', crew: [], direction, lane: direction === 'entry' ? 'L1' : 'L2' });
  });
}
const bodies = writers.map((w, k) => {
  const out: string[] = [];
  for (let i = 0; i < w.records.length; i += BATCH) out.push(JSON.stringify({ stationId: stations[k]!.stationId, records: w.records.slice(i, i + BATCH) }));
  return out;
});
const times: number[] = [];
const start = performance.now();
for (let b = 0; b < bodies[0]!.length; b++) {
  for (let k = 0; k < stations.length; k++) {
    const t = performance.now();
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: { ...stations[k]!.headers, 'content-type': 'application/json' }, payload: bodies[k]![b]! });
    times.push(performance.now() - t);
    if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode} ${res.body.slice(0, 200)}`);
  }
}
const seconds = (performance.now() - start) / 1000;
const total = writers.reduce((n, w) => n + w.records.length, 0);
times.sort((a, b) => a - b);
const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(1);
const clones = await app.database.client.get("SELECT count(*) AS raised, count(*) FILTER (WHERE acknowledged_at IS NULL) AS open FROM station_alerts WHERE kind = 'CLONE'");
console.log(JSON.stringify({ records: total, crossings: total / 2, seconds: +seconds.toFixed(2), recordsPerSecond: Math.round(total / seconds), batchP50Ms: +q(0.5), batchP99Ms: +q(0.99), cloneAlerts: clones }));
await app.close();
