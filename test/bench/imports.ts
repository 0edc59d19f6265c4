import { performance } from 'node:perf_hooks';
import { buildApp } from '../../server/app.js';
import type { Role } from '../../server/auth/access.js';
import { loadServerConfig } from '../../server/config.js';
import { summarize } from './lib/stats.js';

/**
 * Bulk imports through the real routes on in-memory SQLite: a pass CSV of P rows and a health
 * declarations import of H rows (JSON), each all-or-nothing in one transaction, repeated R times
 * with fresh rows. Prints one JSON line per kind (median and p99 of the R runs, and rows/s).
 *   npx tsx test/bench/imports.ts [passRows=1000] [healthRows=3000] [rounds=5]
 */
const [P, H, R] = [Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 3000), Number(process.argv[4] ?? 5)];
const app = await buildApp(loadServerConfig({ DB_FILE: ':memory:', DATA_DIR: '/nonexistent-bench-data', LOG_LEVEL: 'silent' }, undefined), { logger: false });
await app.ready();
/** A caller of this role in province 79 with an API token (the transport one with its province's key). */
async function caller(role: Role) {
  const user = await app.users.create(null, { username: `bench-${role}`, password: 'correct horse battery', role, province: 79 });
  const actor = { id: user.id, username: user.username, role, province: 79 };
  if (role === 'transport') await app.trust.createKey('transport', 79, { system: 'bench' }, { method: 'CLI', url: 'bench' });
  const { token } = await app.users.createApiToken(actor, 'bench');
  return { headers: { authorization: `Bearer ${token}` } };
}
try {
  const transport = await caller('transport');
  const health = await caller('health');
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
