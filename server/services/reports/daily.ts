import type Database from 'better-sqlite3';
import { vnDayStart } from '../../../shared/time/vietnam-time.js';

/**
 * The steering committee's daily report, per checkpoint, for one Vietnam calendar day (00:00–24:00
 * UTC+7 by station time): crossings by direction and verdict, refusals by reason, F0/F1 people turned
 * back, vehicles overdue now, how many hours of the day the checkpoint recorded scans, and its uptime:
 * the share of the day's minutes (so far, for today) in which the server heard its heartbeat.
 */
export type Verdict = 'ALLOW' | 'DENY' | 'REVIEW';
type Tally = Record<Verdict, number> & { total: number };

export interface CheckpointDay {
  checkpointId: number;
  names: string[];
  crossings: { entry: Tally; exit: Tally; total: number };
  refusals: { reason: string; count: number }[];
  f0f1TurnedBack: number;
  overdueNow: number;
  activeHours: number;
  lastHeartbeatAt: number | null;
  /** minutes of the day in which a heartbeat of the checkpoint's station was received */
  uptimeMinutes: number;
  /** uptimeMinutes over the day's minutes (those elapsed, for today), 0–100 */
  uptimePercent: number;
}

export interface DailyReport {
  day: string;
  province: number;
  from: number;
  to: number;
  generatedAt: number;
  checkpoints: CheckpointDay[];
  totals: { crossings: number; denied: number; f0f1TurnedBack: number; overdueNow: number };
}

const tally = (): Tally => ({ ALLOW: 0, DENY: 0, REVIEW: 0, total: 0 });

export class DailyReportQueries {
  private readonly crossings: Database.Statement<[number, number, number], { checkpointId: number; direction: string; verdict: Verdict; n: number }>;
  private readonly refusals: Database.Statement<[number, number, number], { checkpointId: number; reasons: string; n: number }>;
  private readonly turnedBack: Database.Statement<[number, number, number], { checkpointId: number; n: number }>;
  private readonly active: Database.Statement<[number, number, number, number], { checkpointId: number; n: number }>;
  private readonly stations: Database.Statement<[number], { checkpointId: number; name: string; lastHeartbeatAt: number | null }>;
  private readonly heard: Database.Statement<[number, number, number], { checkpointId: number; n: number }>;

  constructor(db: Database.Database) {
    const scope = 'FROM journal j JOIN stations s ON s.station_id = j.station_id WHERE s.province = ? AND j.at >= ? AND j.at < ?';
    this.crossings = db.prepare(`SELECT j.checkpoint_id AS checkpointId, j.direction, j.verdict, count(*) AS n ${scope} AND j.kind = 'crossing' GROUP BY 1, 2, 3`);
    this.refusals = db.prepare(`SELECT j.checkpoint_id AS checkpointId, j.reasons, count(*) AS n ${scope} AND j.kind = 'crossing' AND j.verdict = 'DENY' GROUP BY 1, 2`);
    // people, not scans: the same person refused twice is one F0/F1 found
    this.turnedBack = db.prepare(`SELECT j.checkpoint_id AS checkpointId, count(DISTINCT j.citizen_id) AS n ${scope}
      AND j.kind = 'scan' AND j.verdict = 'DENY' AND (',' || j.reasons || ',') LIKE '%,POSITIVE_OR_CONTACT,%' GROUP BY 1`);
    this.active = db.prepare(`SELECT j.checkpoint_id AS checkpointId, count(DISTINCT CAST((j.at - ?) / 3600000 AS INTEGER)) AS n ${scope} GROUP BY 1`);
    this.stations = db.prepare('SELECT checkpoint_id AS checkpointId, name, last_heartbeat_at AS lastHeartbeatAt FROM stations WHERE province = ? ORDER BY checkpoint_id');
    this.heard = db.prepare(`SELECT s.checkpoint_id AS checkpointId, count(DISTINCT h.minute) AS n FROM heartbeat_minutes h
      JOIN stations s ON s.station_id = h.station_id WHERE s.province = ? AND h.minute >= ? AND h.minute < ? GROUP BY 1`);
  }

  report(province: number, day: string, now: number, overdueNow: Map<number, number>): DailyReport {
    const from = vnDayStart(day);
    const to = from + 24 * 3_600_000;
    const by = new Map<number, CheckpointDay>();
    const cp = (id: number): CheckpointDay => {
      let c = by.get(id);
      if (!c) {
        c = { checkpointId: id, names: [], crossings: { entry: tally(), exit: tally(), total: 0 }, refusals: [], f0f1TurnedBack: 0, overdueNow: overdueNow.get(id) ?? 0, activeHours: 0, lastHeartbeatAt: null, uptimeMinutes: 0, uptimePercent: 0 };
        by.set(id, c);
      }
      return c;
    };
    for (const s of this.stations.all(province)) {
      const c = cp(s.checkpointId);
      c.names.push(s.name);
      if (s.lastHeartbeatAt !== null) c.lastHeartbeatAt = Math.max(c.lastHeartbeatAt ?? 0, s.lastHeartbeatAt);
    }
    for (const r of this.crossings.all(province, from, to)) {
      const c = cp(r.checkpointId);
      const t = r.direction === 'exit' ? c.crossings.exit : c.crossings.entry;
      t[r.verdict] += r.n;
      t.total += r.n;
      c.crossings.total += r.n;
    }
    for (const r of this.refusals.all(province, from, to)) {
      const c = cp(r.checkpointId);
      for (const reason of r.reasons ? r.reasons.split(',') : ['—']) {
        const hit = c.refusals.find((x) => x.reason === reason);
        if (hit) hit.count += r.n;
        else c.refusals.push({ reason, count: r.n });
      }
    }
    for (const r of this.turnedBack.all(province, from, to)) cp(r.checkpointId).f0f1TurnedBack = r.n;
    for (const r of this.active.all(from, province, from, to)) cp(r.checkpointId).activeHours = r.n;
    for (const [id, n] of overdueNow) cp(id).overdueNow = n;
    const dayMinutes = Math.max(1, Math.floor((Math.min(to, now) - from) / 60_000));
    for (const r of this.heard.all(province, from, to)) {
      const c = cp(r.checkpointId);
      c.uptimeMinutes = r.n;
      c.uptimePercent = Math.min(100, Math.round((1000 * r.n) / dayMinutes) / 10);
    }
    const checkpoints = [...by.values()].sort((a, b) => a.checkpointId - b.checkpointId);
    for (const c of checkpoints) c.refusals.sort((a, b) => b.count - a.count);
    const sum = (f: (c: CheckpointDay) => number) => checkpoints.reduce((s, c) => s + f(c), 0);
    return {
      day, province, from, to, generatedAt: now, checkpoints,
      totals: { crossings: sum((c) => c.crossings.total), denied: sum((c) => c.crossings.entry.DENY + c.crossings.exit.DENY), f0f1TurnedBack: sum((c) => c.f0f1TurnedBack), overdueNow: sum((c) => c.overdueNow) },
    };
  }
}
