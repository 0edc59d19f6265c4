import { copyFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import Database from 'better-sqlite3';
import { openServerDatabase } from '../../../server/db/database.js';
import { crewOf, passFacts, personFacts, PROVINCE, ZONE, type Sizes } from './dataset.js';

/**
 * The central server's database with `sizes` passes and people, bulk-loaded with prepared inserts
 * in large transactions (no signing: the rows hold the feed facts; the few codes scanned are signed
 * separately). Built once per size under .tmp/bench and copied for each run, since runs change it.
 * Bulk rows carry change_seq 0, as data loaded before the feed began: every snapshot includes them.
 */
export function cachedServerDb(cacheDir: string, sizes: Sizes, log: (msg: string) => void): { file: string; built: boolean; seconds: number } {
  const file = `${cacheDir}/server-${sizes.passes}p-${sizes.people}h.sqlite`;
  if (existsSync(file)) return { file, built: false, seconds: 0 };
  const t0 = performance.now();
  const tmp = `${file}.building`;
  rmSync(tmp, { force: true });
  log(`building the server database with ${sizes.passes} passes and ${sizes.people} people (cached at ${file})`);
  openServerDatabase(tmp).close(); // the real migrations
  const db = new Database(tmp);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144');
  const now = Date.now();
  const insertPass = db.prepare(`INSERT INTO passes (id, version, status, status_reason, plate, company, goods, crew, origin_zone, destination_zone,
    route_checkpoints, route_provinces, permitted_stops, valid_from, valid_to, direction, max_stay_hours, issuing_province, issued_at, code,
    created_at, created_by, updated_at, updated_by, item, change_seq) VALUES (?, 1, 'ACTIVE', NULL, ?, ?, ?, ?, ?, '79-770', ?, '[]', NULL, ?, ?, 'both', 24, ?, ?, '', ?, 'bench', ?, 'bench', ?, 0)`);
  const insertCrew = db.prepare('INSERT INTO pass_crew (pass_id, citizen_id) VALUES (?, ?)');
  const insertPerson = db.prepare(`INSERT INTO people (citizen_id, name, phone, declared_at, origin_zone, test, doses, status, status_as_of, updated_at, updated_by, item, change_seq)
    VALUES (?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, 'bench', ?, 0)`);
  const CHUNK = 50_000;
  for (let start = 1; start <= sizes.passes; start += CHUNK) {
    db.transaction(() => {
      for (let id = start; id < Math.min(start + CHUNK, sizes.passes + 1); id++) {
        const f = passFacts(id, now);
        insertPass.run(id, f.plate, f.company, f.goods, JSON.stringify(f.crew.map((c) => ({ ...c, phone: null }))), f.originZone,
          JSON.stringify(f.routeCheckpoints), f.validFrom, f.validTo, PROVINCE, now, now, now, JSON.stringify(f));
        for (const c of f.crew) insertCrew.run(id, c.citizenId);
      }
    })();
  }
  for (let start = 1; start <= sizes.people; start += CHUNK) {
    db.transaction(() => {
      for (let p = start; p < Math.min(start + CHUNK, sizes.people + 1); p++) {
        const f = personFacts(p, now);
        insertPerson.run(f.citizenId, f.name, f.declaredAt, f.originZone, JSON.stringify(f.test), f.doses, f.status, f.statusAsOf, now, JSON.stringify(f));
      }
    })();
  }
  const zone = db.prepare("INSERT INTO zones (zone, level, updated_at, updated_by, item, change_seq) VALUES (?, ?, ?, 'bench', ?, 0)");
  zone.run(ZONE, 2, now, JSON.stringify({ type: 'zone', zone: ZONE, level: 2 }));
  zone.run('79', 1, now, JSON.stringify({ type: 'zone', zone: '79', level: 1 }));
  db.close();
  renameSync(tmp, file);
  return { file, built: true, seconds: (performance.now() - t0) / 1000 };
}

/** A working copy of the cached database for one run, with the scanned vehicles' facts dated now. */
export function serverDbForRun(cached: string, target: string, freshPasses: number, now: number): void {
  for (const f of [target, `${target}-wal`, `${target}-shm`]) rmSync(f, { force: true });
  copyFileSync(cached, target);
  const db = new Database(target);
  const setPass = db.prepare('UPDATE passes SET valid_from = ?, valid_to = ?, item = ? WHERE id = ?');
  const setPerson = db.prepare('UPDATE people SET declared_at = ?, test = ?, status_as_of = ?, item = ? WHERE citizen_id = ?');
  db.transaction(() => {
    for (let id = 1; id <= freshPasses; id++) {
      const f = passFacts(id, now);
      setPass.run(f.validFrom, f.validTo, JSON.stringify(f), id);
      for (const p of crewOf(id)) {
        const h = personFacts(p, now);
        setPerson.run(h.declaredAt, JSON.stringify(h.test), h.statusAsOf, JSON.stringify(h), h.citizenId);
      }
    }
  })();
  db.close();
}

export function fileMb(file: string): number {
  return Math.round(statSync(file).size / 1e6);
}
