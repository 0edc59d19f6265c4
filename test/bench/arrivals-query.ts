import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openServerDatabase } from '../../server/db/database.js';
import { ArrivalsRepository, type ArrivalQuery } from '../../server/services/arrivals/repository.js';
import { summarize } from './lib/stats.js';

/**
 * The arrival lists are a join computed when read (declarations × the uploaded journal), so their cost
 * grows with the journal. This fills a server database (SQLite file, the real migrations) with a
 * province's journal of N records (default 1,000,000; one in five names a person) and D declarations
 * (default 20,000 over 100 communes of one district, half of them with an entry), then times a commune's
 * list, the district's list and the province's per-commune counts.
 *   npx tsx test/bench/arrivals-query.ts [journalRecords] [declarations]
 */
const N = Number(process.argv[2] ?? 1_000_000);
const D = Number(process.argv[3] ?? 20_000);
const HOUR = 3_600_000;
const now = Date.parse('2026-11-30T08:00:00+07:00');
const dir = mkdtempSync(join(tmpdir(), 'arrivals-bench-'));
try {
  const db = openServerDatabase(join(dir, 'server.db'));
  const raw = db.sqlite;
  const citizen = (i: number) => `0010${String(i).padStart(8, '0')}`;
  const commune = (i: number) => String(26700 + (i % 100));
  raw.exec(`INSERT INTO zones (zone, level, updated_at, updated_by, item, change_seq) VALUES ('01', 4, 0, 'b', '{}', 1), ('79', 2, 0, 'b', '{}', 2);
    INSERT INTO stations (station_id, checkpoint_id, name, province, lanes, secret_hash, created_at) VALUES ('chot-7901', 7901, 'Chốt 7901', 79, '[]', 'x', 0);`);
  const t0 = performance.now();
  const journal = raw.prepare(`INSERT INTO journal (station_id, seq, prev_hash, hash, at, received_at, checkpoint_id, province, kind, lane, direction, verdict, reasons, code_kind, citizen_id, plate, policy_version, hash_ok)
    VALUES ('chot-7901', ?, 'p', 'h', ?, ?, 7901, 79, 'scan', 'L1', ?, 'ALLOW', '[]', ?, ?, ?, 1, 1)`);
  raw.transaction(() => {
    for (let seq = 1; seq <= N; seq++) {
      const at = now - 14 * 24 * HOUR + Math.floor((seq / N) * 14 * 24 * HOUR);
      // every fifth record names a person: the declared ones first, then strangers to the declarations
      const person = seq % 5 === 0 ? citizen(seq / 5 <= D / 2 ? seq / 5 : D + seq) : null;
      journal.run(seq, at, at, seq % 2 === 0 ? 'entry' : 'exit', person ? 'health' : 'pass', person, person ? null : '51C-123.45');
    }
  })();
  const decl = raw.prepare(`INSERT INTO arrival_declarations (citizen_id, name, phone, origin_zone, province, district, commune, address, declared_at, recorded_at, recorded_by)
    VALUES (?, 'Người', '0901234567', ?, 79, '760', ?, '1 Lê Lợi', ?, ?, 'b')`);
  raw.transaction(() => {
    for (let i = 1; i <= D; i++) {
      // declared an hour before the matching journal record's time
      const at = now - 14 * 24 * HOUR + Math.floor(((i * 5) / N) * 14 * 24 * HOUR) - HOUR;
      decl.run(citizen(i), i % 3 === 0 ? '79' : '01-001', commune(i), at, at);
    }
  })();
  const filled = performance.now() - t0;
  const repo = new ArrivalsRepository(db.client);
  const query = (district: string | null, c: string | null): ArrivalQuery => ({
    scope: { province: 79, district, commune: c }, levels: [4], declaredSince: now - 14 * 24 * HOUR, before: 24 * HOUR, after: 168 * HOUR,
  });
  const time = async (what: string, run: (i: number) => Promise<number>, rounds = 30) => {
    const ms: number[] = [];
    let rows = 0;
    for (let i = 0; i < rounds; i++) {
      const t = performance.now();
      rows += await run(i);
      ms.push(performance.now() - t);
    }
    console.log(JSON.stringify({ what, journal: N, declarations: D, rowsPerRead: rows / rounds, ...summarize(ms) }));
  };
  console.log(JSON.stringify({ filledMs: Math.round(filled) }));
  await time('one commune\'s list (all, up to 200)', async (i) => (await repo.list(query('760', commune(i)), 'all', 200)).length);
  await time('the district\'s list (all, up to 500)', async () => (await repo.list(query('760', null), 'all', 500)).length, 10);
  await time('the province\'s counts per commune', async () => (await repo.countByCommune(query(null, null), now - 24 * HOUR)).length, 10);
  db.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
