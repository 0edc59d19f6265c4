import { copyFileSync, existsSync, renameSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openServerDatabase } from '../../../server/db/database.js';
import { PROVINCES } from '../../../shared/geo/provinces.js';
import type { PassFacts, PersonFacts } from '../../../shared/contracts/feed.js';
import { citizenIdFor } from '../../../hardware-sim/fixtures/names.js';
import { nameFor, plateFor } from './dataset.js';

/**
 * The country for the stationCache measure: passes issued by all 63 provinces, each route crossing
 * its own and two other provinces (so about 3/63 of them cross any one province), 4% of them revoked
 * or suspended, a national flag list (F0, F1, positive tests) and a population of people never
 * flagged. Built once per size under .tmp/bench, like the other bench databases; the doubled
 * population is the same database with as many unflagged people again.
 */
export interface NationalSizes {
  passes: number;
  flags: number;
  /** people in all, flagged included */
  population: number;
}

/** The station measured: Tân An on QL1A, checkpoint 8002 of Long An (80). */
export const HERE = { checkpointId: 8002, province: 80 } as const;
const CODES = PROVINCES.map((p) => Number(p.code));
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export function nationalPass(i: number, now: number): PassFacts {
  const issuing = CODES[i % CODES.length]!;
  const provinces = [...new Set([issuing, CODES[(i * 7 + 3) % CODES.length]!, CODES[(i * 13 + 5) % CODES.length]!])];
  return {
    type: 'pass', passId: i, version: 1,
    status: i % 50 === 0 ? 'REVOKED' : i % 50 === 25 ? 'SUSPENDED' : 'ACTIVE',
    statusReason: i % 25 === 0 ? 'benchmark' : null,
    plate: plateFor(i), company: 'Công ty Vận tải Sài Gòn', goods: i % 6,
    crew: [0, 1].map((k) => ({ citizenId: citizenIdFor(2 * i + k, issuing), name: nameFor(2 * i + k), role: k === 0 ? 'driver' : 'assistant' })),
    validFrom: now - 30 * DAY, validTo: i % 10 === 0 ? null : now + 60 * DAY,
    routeCheckpoints: provinces.map((p) => p * 100 + 1 + (i % 3)), routeProvinces: provinces,
    direction: 'both', issuingProvince: issuing, originZone: `${String(issuing).padStart(2, '0')}`,
  };
}

/** Person j: the first `flags` are on the national flag list, the others never flagged. */
export function nationalPerson(j: number, flags: number, now: number): PersonFacts {
  const flagged = j <= flags;
  const kind = j % 10;
  return {
    type: 'person', citizenId: citizenIdFor(j, 1), name: nameFor(j), declaredAt: now - 2 * HOUR, originZone: '79-760', doses: 2,
    test: flagged && kind >= 7 ? { type: 'RAPID_ANTIGEN', result: 'POSITIVE', sampledAt: now - 5 * HOUR } : { type: 'RT_PCR', result: 'NEGATIVE', sampledAt: now - 12 * HOUR },
    status: flagged && kind === 0 ? 'F0' : flagged && kind < 7 ? 'F1' : 'NONE',
    statusAsOf: now - DAY,
  };
}

function fill(file: string, from: number, to: number, flags: number, now: number): void {
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const insertPerson = db.prepare(`INSERT INTO people (citizen_id, name, phone, declared_at, origin_zone, test, doses, status, status_as_of, updated_at, updated_by, item, change_seq)
    VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, 0)`);
  const CHUNK = 50_000;
  for (let start = from; start <= to; start += CHUNK) {
    db.transaction(() => {
      for (let j = start; j < Math.min(start + CHUNK, to + 1); j++) {
        const f = nationalPerson(j, flags, now);
        insertPerson.run(f.citizenId, f.name, f.declaredAt, f.originZone, JSON.stringify(f.test), f.doses, f.status, f.statusAsOf, now, JSON.stringify(f));
      }
    })();
  }
  db.close();
}

function buildBase(file: string, sizes: NationalSizes, now: number): void {
  openServerDatabase(file).close(); // the real migrations
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const insertPass = db.prepare(`INSERT INTO passes (id, version, status, status_reason, plate, company, goods, crew, origin_zone, destination_zone,
    route_checkpoints, route_provinces, permitted_stops, valid_from, valid_to, direction, max_stay_hours, issuing_province, issued_at, code,
    created_at, created_by, updated_at, updated_by, item, change_seq) VALUES (?, 1, ?, ?, ?, ?, ?, ?, ?, '79-770', ?, ?, NULL, ?, ?, 'both', 24, ?, ?, '', ?, 'bench', ?, 'bench', ?, 0)`);
  const insertCrew = db.prepare('INSERT INTO pass_crew (pass_id, citizen_id) VALUES (?, ?)');
  const CHUNK = 50_000;
  for (let start = 1; start <= sizes.passes; start += CHUNK) {
    db.transaction(() => {
      for (let i = start; i < Math.min(start + CHUNK, sizes.passes + 1); i++) {
        const f = nationalPass(i, now);
        insertPass.run(i, f.status, f.statusReason, f.plate, f.company, f.goods, JSON.stringify(f.crew.map((c) => ({ ...c, phone: null }))), f.originZone,
          JSON.stringify(f.routeCheckpoints), JSON.stringify(f.routeProvinces), f.validFrom, f.validTo, f.issuingProvince, now, now, now, JSON.stringify(f));
        for (const c of f.crew) insertCrew.run(i, c.citizenId);
      }
    })();
  }
  const zone = db.prepare("INSERT INTO zones (zone, level, updated_at, updated_by, item, change_seq) VALUES (?, ?, ?, 'bench', ?, 0)");
  for (const [k, code] of CODES.entries()) {
    const z = String(code).padStart(2, '0');
    zone.run(z, 1 + (k % 4), now, JSON.stringify({ type: 'zone', zone: z, level: 1 + (k % 4) }));
  }
  db.close();
  fill(file, 1, sizes.population, sizes.flags, now);
}

/**
 * The cached national database with `sizes.population` people, or with twice as many (`doubled`):
 * the second adds unflagged people to a copy of the first.
 */
export function cachedNationalDb(cacheDir: string, sizes: NationalSizes, doubled: boolean, log: (msg: string) => void): { file: string; built: boolean } {
  const name = (pop: number) => `${cacheDir}/national-${sizes.passes}p-${sizes.flags}f-${pop}h.sqlite`;
  const file = name(doubled ? 2 * sizes.population : sizes.population);
  if (existsSync(file)) return { file, built: false };
  const tmp = `${file}.building`;
  rmSync(tmp, { force: true });
  const now = Date.now();
  if (!doubled) {
    log(`building the national database: ${sizes.passes} passes, ${sizes.flags} flags, ${sizes.population} people (cached at ${file})`);
    buildBase(tmp, sizes, now);
  } else {
    const base = cachedNationalDb(cacheDir, sizes, false, log).file;
    log(`building the doubled population: ${sizes.population} more people, none flagged (cached at ${file})`);
    copyFileSync(base, tmp);
    fill(tmp, sizes.population + 1, 2 * sizes.population, sizes.flags, now);
  }
  renameSync(tmp, file);
  return { file, built: true };
}
