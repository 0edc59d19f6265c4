import fp from 'fastify-plugin';
import { formatVnDate, vnDay, vnDayStart } from '../../../shared/time/vietnam-time.js';
import type { Notice } from '../notify/notices.js';
import { DailyReportQueries, type DailyReport } from './daily.js';

const DAY = 24 * 3_600_000;
/** the report of the day before is made at 00:05 Vietnam time, when the last uploads of the night are in */
const AFTER_MIDNIGHT = 5 * 60_000;

export class ReportsService {
  constructor(private readonly q: DailyReportQueries, private readonly d: { clock: () => number; overdue: (province: number) => Promise<Map<number, number>> }) {}

  async daily(province: number, day?: string): Promise<DailyReport> {
    const now = this.d.clock();
    return this.q.report(province, day ?? vnDay(now), now, await this.d.overdue(province));
  }

  /** A day's report as a notice for the notification list and the webhook. */
  async notice(province: number, day: string): Promise<Notice> {
    const r = await this.daily(province, day);
    return {
      key: `daily-report:${province}:${day}`, kind: 'DAILY_REPORT', at: this.d.clock(), province, stationId: null, checkpointId: null,
      messageVi: `Báo cáo ngày ${formatVnDate(r.from)}: ${r.totals.crossings} lượt qua chốt, ${r.totals.denied} không cho qua, ${r.totals.f0f1TurnedBack} F0/F1 bị chặn, ${r.totals.overdueNow} xe quá hạn`,
      message: `Report of ${formatVnDate(r.from)}: ${r.totals.crossings} crossings, ${r.totals.denied} denied, ${r.totals.f0f1TurnedBack} F0/F1 turned back, ${r.totals.overdueNow} vehicles overdue`,
    };
  }

  /** When the next scheduled report is due, in ms since epoch. */
  nextRun(now: number): number {
    return vnDayStart(vnDay(now)) + DAY + AFTER_MIDNIGHT;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly reports: ReportsService;
  }
}

export default fp(
  async (app) => {
    // the report is made after midnight from the day before: a replica's moment of lag changes nothing
    const queries = new DailyReportQueries(app.database.reader);
    const service = new ReportsService(queries, { clock: app.clock, overdue: (p) => app.audit.overdueCounts(p) });
    app.decorate('reports', service);
    // on a schedule: yesterday's report for each province with stations, announced like any notice
    let timer: NodeJS.Timeout | null = null;
    const run = async () => {
      const yesterday = vnDay(app.clock() - DAY);
      for (const province of await queries.provinces()) await app.notify.publish([await service.notice(province, yesterday)]);
    };
    const schedule = () => {
      const wait = Math.max(1000, service.nextRun(app.clock()) - app.clock());
      timer = setTimeout(() => void run().catch((err: unknown) => app.log.error({ err }, 'daily report')).finally(() => timer && schedule()), wait);
      timer.unref();
    };
    app.addHook('onReady', async () => schedule());
    app.addHook('onClose', async () => {
      if (timer) clearTimeout(timer);
      timer = null;
    });
  },
  { name: 'reports', fastify: '5.x', dependencies: ['database', 'audit', 'notify'] },
);
