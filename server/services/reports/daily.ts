import type { SqlClient } from '../../db/sql-client.js';
import { decodeReasons } from '../../../shared/journal-record/reasons-text.js';
import { reasonListHas, reasonNeedle } from '../audit/sql-dialect.js';
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

type Row<T> = T & { checkpointId: number };

/**
 * The report's queries, on either engine (server/db/sql-client.ts). Only the reason-list test is spelled per
 * dialect (../audit/sql-dialect.ts); hours are counted by integer division of the time since the day's start,
 * which both engines do alike on integer columns.
 */
export class DailyReportQueries {
  private readonly sql: Record<'crossings' | 'refusals' | 'turnedBack' | 'active' | 'stations' | 'heard', string>;

  constructor(private readonly client: SqlClient) {
    const scope = 'FROM journal j JOIN stations s ON s.station_id = j.station_id WHERE s.province = @province AND j.at >= @from AND j.at < @to';
    this.sql = {
      crossings: `SELECT j.checkpoint_id AS "checkpointId", j.direction, j.verdict, count(*) AS n ${scope} AND j.kind = 'crossing' GROUP BY 1, 2, 3`,
      refusals: `SELECT j.checkpoint_id AS "checkpointId", j.reasons, count(*) AS n ${scope} AND j.kind = 'crossing' AND j.verdict = 'DENY' GROUP BY 1, 2`,
      // people, not scans: the same person refused twice is one F0/F1 found
      turnedBack: `SELECT j.checkpoint_id AS "checkpointId", count(DISTINCT j.citizen_id) AS n ${scope}
        AND j.kind = 'scan' AND j.verdict = 'DENY' AND ${reasonListHas(client.dialect, 'j.reasons', '@reason')} GROUP BY 1`,
      active: `SELECT j.checkpoint_id AS "checkpointId", count(DISTINCT CAST((j.at - @from) / 3600000 AS INTEGER)) AS n ${scope} GROUP BY 1`,
      stations: 'SELECT checkpoint_id AS "checkpointId", name, last_heartbeat_at AS "lastHeartbeatAt" FROM stations WHERE province = ? ORDER BY checkpoint_id, station_id',
      heard: `SELECT s.checkpoint_id AS "checkpointId", count(DISTINCT h.minute) AS n FROM heartbeat_minutes h
        JOIN stations s ON s.station_id = h.station_id WHERE s.province = @province AND h.minute >= @from AND h.minute < @to GROUP BY 1`,
    };
  }

  /** The provinces that have stations: the scheduled report is made for each. */
  async provinces(): Promise<number[]> {
    return (await this.client.all<{ province: number }>('SELECT DISTINCT province FROM stations ORDER BY province')).map((r) => r.province);
  }

  async report(province: number, day: string, now: number, overdueNow: Map<number, number>): Promise<DailyReport> {
    const from = vnDayStart(day);
    const to = from + 24 * 3_600_000;
    const q = { province, from, to };
    const [stations, crossings, refusals, turnedBack, active, heard] = await Promise.all([
      this.client.all<{ checkpointId: number; name: string; lastHeartbeatAt: number | null }>(this.sql.stations, [province]),
      this.client.all<Row<{ direction: string; verdict: Verdict; n: number }>>(this.sql.crossings, q),
      this.client.all<Row<{ reasons: string; n: number }>>(this.sql.refusals, q),
      this.client.all<Row<{ n: number }>>(this.sql.turnedBack, { ...q, reason: reasonNeedle('POSITIVE_OR_CONTACT') }),
      this.client.all<Row<{ n: number }>>(this.sql.active, q),
      this.client.all<Row<{ n: number }>>(this.sql.heard, q),
    ]);
    return assemble({ province, day, from, to, now, overdueNow }, { stations, crossings, refusals, turnedBack, active, heard });
  }
}

function assemble(
  d: { province: number; day: string; from: number; to: number; now: number; overdueNow: Map<number, number> },
  rows: {
    stations: { checkpointId: number; name: string; lastHeartbeatAt: number | null }[];
    crossings: Row<{ direction: string; verdict: Verdict; n: number }>[];
    refusals: Row<{ reasons: string; n: number }>[];
    turnedBack: Row<{ n: number }>[];
    active: Row<{ n: number }>[];
    heard: Row<{ n: number }>[];
  },
): DailyReport {
  const { province, day, from, to, now, overdueNow } = d;
  const by = new Map<number, CheckpointDay>();
  const cp = (id: number): CheckpointDay => {
    let c = by.get(id);
    if (!c) {
      c = { checkpointId: id, names: [], crossings: { entry: tally(), exit: tally(), total: 0 }, refusals: [], f0f1TurnedBack: 0, overdueNow: overdueNow.get(id) ?? 0, activeHours: 0, lastHeartbeatAt: null, uptimeMinutes: 0, uptimePercent: 0 };
      by.set(id, c);
    }
    return c;
  };
  for (const s of rows.stations) {
    const c = cp(s.checkpointId);
    c.names.push(s.name);
    if (s.lastHeartbeatAt !== null) c.lastHeartbeatAt = Math.max(c.lastHeartbeatAt ?? 0, s.lastHeartbeatAt);
  }
  for (const r of rows.crossings) {
    const c = cp(r.checkpointId);
    const t = r.direction === 'exit' ? c.crossings.exit : c.crossings.entry;
    t[r.verdict] += r.n;
    t.total += r.n;
    c.crossings.total += r.n;
  }
  for (const r of rows.refusals) {
    const c = cp(r.checkpointId);
    const reasons: string[] = decodeReasons(r.reasons);
    for (const reason of reasons.length > 0 ? reasons : ['—']) {
      const hit = c.refusals.find((x) => x.reason === reason);
      if (hit) hit.count += r.n;
      else c.refusals.push({ reason, count: r.n });
    }
  }
  for (const r of rows.turnedBack) cp(r.checkpointId).f0f1TurnedBack = r.n;
  for (const r of rows.active) cp(r.checkpointId).activeHours = r.n;
  for (const [id, n] of overdueNow) cp(id).overdueNow = n;
  const dayMinutes = Math.max(1, Math.floor((Math.min(to, now) - from) / 60_000));
  for (const r of rows.heard) {
    const c = cp(r.checkpointId);
    c.uptimeMinutes = r.n;
    c.uptimePercent = Math.min(100, Math.round((1000 * r.n) / dayMinutes) / 10);
  }
  const checkpoints = [...by.values()].sort((a, b) => a.checkpointId - b.checkpointId);
  for (const c of checkpoints) c.refusals.sort((a, b) => b.count - a.count || (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0));
  const sum = (f: (c: CheckpointDay) => number) => checkpoints.reduce((s, c) => s + f(c), 0);
  return {
    day, province, from, to, generatedAt: now, checkpoints,
    totals: { crossings: sum((c) => c.crossings.total), denied: sum((c) => c.crossings.entry.DENY + c.crossings.exit.DENY), f0f1TurnedBack: sum((c) => c.f0f1TurnedBack), overdueNow: sum((c) => c.overdueNow) },
  };
}
