import { performance } from 'node:perf_hooks';
import { makeTestApp, userWithRole } from '../server/helpers.js';
import { summarize } from './lib/stats.js';

/**
 * Bulk imports through the real routes on in-memory SQLite: a pass CSV of P rows and a health
 * declarations import of H rows (JSON), each all-or-nothing in one transaction, repeated R times
 * with fresh rows. Prints one JSON line per kind (median and p99 of the R runs, and rows/s).
 *   npx tsx test/bench/imports.ts [passRows=1000] [healthRows=3000] [rounds=5]
 */
const [P, H, R] = [Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 3000), Number(process.argv[4] ?? 5)];
const app = await makeTestApp();
try {
  const transport = await userWithRole(app, 'transport', 79);
  const health = await userWithRole(app, 'health', 79);
  const pad = (n: number, w: number) => String(n).padStart(w, '0');
  const passCsv = (round: number) => ['plate,goods,driverId,driverName,originZone,destinationZone,routeCheckpoints']
    .concat(Array.from({ length: P }, (_, i) => `51C-${pad(i % 1000, 3)}.${pad(round, 2)},1,0792${pad(round, 2)}${pad(i, 6)},Nguyễn Văn ${i},79-760,74,1;2`))
    .join('\r\n');
  const declarations = (round: number) => Array.from({ length: H }, (_, i) => ({
    citizenId: `0793${pad(round, 2)}${pad(i, 6)}`, name: 'Lê Văn Dân', declaredAt: Date.UTC(2021, 8, 1), originZone: '79',
  }));
  const time = async (what: string, rows: number, run: (round: number) => Promise<{ statusCode: number; body: string }>) => {
    const ms: number[] = [];
    for (let round = 0; round < R; round++) {
      const t0 = performance.now();
      const res = await run(round);
      ms.push(performance.now() - t0);
      if (res.statusCode !== 201) throw new Error(`${what}: ${res.statusCode} ${res.body.slice(0, 500)}`);
    }
    const s = summarize(ms);
    console.log(JSON.stringify({ what, rows, ...s, rowsPerSec: Math.round(rows / (s.p50Ms / 1000)) }));
  };
  await time('pass CSV import', P, (round) => app.inject({
    method: 'POST', url: '/api/v1/passes/import', headers: { ...transport.headers, 'content-type': 'text/csv' }, payload: passCsv(round),
  }));
  await time('health declarations import (JSON)', H, (round) => app.inject({
    method: 'POST', url: '/api/v1/health/import/declarations', headers: health.headers, payload: declarations(round),
  }));
} finally {
  await app.close();
}
