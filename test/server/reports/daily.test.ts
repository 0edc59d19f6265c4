import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { JournalWriter } from '../journal-fixtures.js';
import { makeTestApp, registerStation, testClock, userWithRole, type TestCaller } from '../helpers.js';

const DAY_START = Date.parse('2026-11-30T00:00:00+07:00');
const HOUR = 3_600_000;
let app: FastifyInstance | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
});

/** A day of traffic at two checkpoints, with records just outside the day on both sides. */
function traffic(stationId: string, seed: number): JournalWriter {
  const w = new JournalWriter(stationId);
  let n = 0;
  const vehicle = (at: number, direction: 'entry' | 'exit', verdict: 'ALLOW' | 'DENY' | 'REVIEW', reasons: ('REVOKED' | 'EXPIRED' | 'TEST_REQUIRED')[] = []) =>
    w.vehicle(at, { crossingId: `${stationId}-${++n}`, passId: 100 + n, plate: `51C-${String(100 + (n % 900)).padStart(3, '0')}.${String(seed).padStart(2, '0')}`, crew: [`0790000${String(seed).padStart(2, '0')}${String(n).padStart(3, '0')}`], direction, verdict, reasons });
  vehicle(DAY_START - 10 * 60_000, 'entry', 'ALLOW'); // the evening before
  for (let h = 0; h < 24; h += 3) {
    vehicle(DAY_START + h * HOUR + 60_000, 'entry', 'ALLOW');
    vehicle(DAY_START + h * HOUR + 120_000, 'exit', 'ALLOW');
    if (h % 6 === 0) vehicle(DAY_START + h * HOUR + 180_000, 'entry', 'DENY', seed === 1 ? ['REVOKED'] : ['EXPIRED', 'TEST_REQUIRED']);
    if (h === 9) vehicle(DAY_START + h * HOUR + 240_000, 'exit', 'REVIEW', ['TEST_REQUIRED']);
  }
  // an F0 refused twice (one person found), person-only crossings
  for (const at of [DAY_START + 5 * HOUR, DAY_START + 5 * HOUR + 30_000]) {
    w.add(at, { codeKind: 'health', citizenId: '079999000001', verdict: 'DENY', reasons: ['POSITIVE_OR_CONTACT'], crossingId: `p-${at}` });
    w.add(at + 1000, { kind: 'crossing', scannerId: null, codeKind: 'health', citizenId: '079999000001', verdict: 'DENY', reasons: ['POSITIVE_OR_CONTACT'], crossingId: `p-${at}`, note: 'closedBy=single' });
  }
  vehicle(DAY_START + 24 * HOUR + 60_000, 'entry', 'DENY', ['REVOKED']); // the next morning
  return w;
}

describe('the daily report for the steering committee', () => {
  it('per checkpoint: its numbers match the crossings table for the day', async () => {
    const clock = testClock(DAY_START + 30 * HOUR);
    app = await makeTestApp({ clock });
    const admin = await userWithRole(app, 'admin', 79);
    const command = await userWithRole(app, 'command', 79);
    const stations = [await registerStation(app, admin, { stationId: 'chot-a', checkpointId: 21 }), await registerStation(app, admin, { stationId: 'chot-b', checkpointId: 22 })];
    for (const [i, st] of stations.entries()) {
      const w = traffic(st.stationId, i + 1);
      const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: st.headers, payload: { stationId: st.stationId, records: w.records } });
      expect(res.json()).toMatchObject({ rejected: [] });
    }
    const get = async (url: string, who: TestCaller = command) => {
      const res = await app!.inject({ url, headers: who.headers });
      expect(res.statusCode, res.body).toBe(200);
      return res;
    };
    const report = (await get('/api/v1/reports/daily?day=2026-11-30')).json() as {
      checkpoints: { checkpointId: number; crossings: Record<'entry' | 'exit', Record<string, number>> & { total: number }; refusals: { reason: string; count: number }[]; f0f1TurnedBack: number; activeHours: number }[];
      totals: { crossings: number };
    };
    expect(report.checkpoints.map((c) => c.checkpointId)).toEqual([21, 22]);

    // the same numbers, counted from the crossings table one query at a time
    const from = DAY_START;
    const to = DAY_START + 24 * HOUR - 1;
    const count = async (q: string) => ((await get(`/api/v1/crossings?kind=crossing&from=${from}&to=${to}&limit=500&${q}`)).json() as { items: { reasons: string[] }[] }).items;
    let total = 0;
    for (const c of report.checkpoints) {
      for (const direction of ['entry', 'exit'] as const) {
        for (const verdict of ['ALLOW', 'DENY', 'REVIEW']) {
          expect(c.crossings[direction][verdict], `${c.checkpointId} ${direction} ${verdict}`).toBe((await count(`checkpointId=${c.checkpointId}&direction=${direction}&verdict=${verdict}`)).length);
        }
      }
      const all = await count(`checkpointId=${c.checkpointId}`);
      expect(c.crossings.total).toBe(all.length);
      total += all.length;
      const denied = await count(`checkpointId=${c.checkpointId}&verdict=DENY`);
      const byReason = new Map<string, number>();
      for (const d of denied) for (const r of d.reasons) byReason.set(r, (byReason.get(r) ?? 0) + 1);
      expect(Object.fromEntries(c.refusals.map((r) => [r.reason, r.count]))).toEqual(Object.fromEntries(byReason));
      expect(c.f0f1TurnedBack).toBe(1);
      expect(c.activeHours).toBe(9); // every third hour from 00:00, and 05:00 (the F0)
    }
    expect(report.totals.crossings).toBe(total);
    // the day before and the day after are not in it: 8×2 + 4 + 1 vehicles and 2 person-only crossings per checkpoint
    expect(report.checkpoints.map((c) => c.crossings.total)).toEqual([8 * 2 + 4 + 1 + 2, 8 * 2 + 4 + 1 + 2]);

    const csv = await get('/api/v1/reports/daily.csv?day=2026-11-30');
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    expect(csv.body).toContain('"Giấy phép đã bị thu hồi (REVOKED): 4; F0/F1 hoặc xét nghiệm dương tính (POSITIVE_OR_CONTACT): 2"');
    expect(csv.body).toContain('Báo cáo ngày 30/11/2026');
  });

  it('is scheduled for 00:05 Vietnam time, for the day before, and announced as a notice in words', async () => {
    const clock = testClock(Date.parse('2026-11-30T23:59:00+07:00'));
    app = await makeTestApp({ clock });
    const command = await userWithRole(app, 'command', 79);
    expect(app.reports.nextRun(clock())).toBe(Date.parse('2026-12-01T00:05:00+07:00'));
    clock.set(Date.parse('2026-12-01T00:05:00+07:00'));
    expect(app.reports.nextRun(clock())).toBe(Date.parse('2026-12-02T00:05:00+07:00'));
    await app.notify.publish([await app.reports.notice(79, '2026-11-30')]);
    const list = (await app.inject({ url: '/api/v1/notifications?after=0', headers: command.headers })).json() as { items: { kind: string; messageVi: string }[] };
    expect(list.items).toEqual([expect.objectContaining({ kind: 'DAILY_REPORT', messageVi: 'Báo cáo ngày 30/11/2026: 0 lượt qua chốt, 0 không cho qua, 0 F0/F1 bị chặn, 0 xe quá hạn' })]);
  });

  it('shows each checkpoint\'s uptime for the day from the heartbeat history: the share of the day\'s minutes it was heard', async () => {
    const clock = testClock(DAY_START + 30 * HOUR);
    app = await makeTestApp({ clock });
    const admin = await userWithRole(app, 'admin', 79);
    const command = await userWithRole(app, 'command', 79);
    const a = await registerStation(app, admin, { stationId: 'chot-a', checkpointId: 11 });
    await registerStation(app, admin, { stationId: 'chot-b', checkpointId: 22 });
    const beat = async (at: number) => {
      clock.set(at);
      const res = await app!.inject({ method: 'POST', url: '/api/v1/stations/heartbeat', headers: a.headers, payload: {
        stationId: a.stationId, softwareVersion: '0.1.0', clock: at, cacheCursor: null, cacheAgeMs: null, outboxBacklog: 0, lastSeq: 0, scanners: [],
      } });
      expect(res.statusCode).toBe(200);
    };
    // heard for the first 6 hours of the day, every 15 s (four beats a minute count once), and once the evening before
    await beat(DAY_START - 60_000);
    for (let t = DAY_START; t < DAY_START + 6 * HOUR; t += 15_000) await beat(t);
    clock.set(DAY_START + 30 * HOUR);
    const report = (await app.inject({ url: '/api/v1/reports/daily?day=2026-11-30', headers: command.headers })).json() as { checkpoints: { checkpointId: number; uptimeMinutes: number; uptimePercent: number }[] };
    expect(report.checkpoints.map((c) => [c.checkpointId, c.uptimeMinutes, c.uptimePercent])).toEqual([[11, 360, 25], [22, 0, 0]]);
  }, 120_000);
});
