import { expect } from 'vitest';
import type { AuthUser } from '../../../server/auth/access.js';
import type { SqlClient } from '../../../server/db/sql-client.js';
import type { AccessLogService, Reader } from '../../../server/services/access-log/service.js';
import { contactList } from '../../../server/services/audit/contacts.js';
import { auditRepository } from '../../../server/services/audit/repository.js';
import { AuditService } from '../../../server/services/audit/service.js';
import { NoticeSource } from '../../../server/services/notify/notices.js';
import { DailyReportQueries } from '../../../server/services/reports/daily.js';
import { DAY, DAY_START, F0_CASE, F0_TURNED_BACK, HOUR, MIN, NOW } from './audit-fixture.js';

const province79 = { province: 79, district: null, commune: null };
const district760 = { province: 79, district: '760', commune: null };
const national = { province: null, district: null, commune: null };

/** A command-center reader of province 79; the access log is another domain's, so here it only counts calls. */
function reader(): { reader: Reader; accessLog: AccessLogService; reads: () => number } {
  let reads = 0;
  const user = { id: 1, username: 'command79', role: 'command', province: 79, scope: null } as unknown as AuthUser;
  const accessLog = { record: () => void reads++, recordMany: () => void reads++ } as unknown as AccessLogService;
  return { reader: { user } as unknown as Reader, accessLog, reads: () => reads };
}

/**
 * Every audit query the command center, the daily report and the notices make, asked of one engine
 * holding the shared fixture (audit-fixture.ts): the answers as plain data, to compare engine with engine.
 */
export async function auditAnswers(client: SqlClient) {
  const repo = auditRepository(client);
  const { reader: r, accessLog, reads } = reader();
  const audit = new AuditService(repo, accessLog, { clock: () => NOW, defaultMaxStayHours: 24, transitHours: new Map(), retentionDays: 30 });
  const day = { from: DAY_START, to: DAY_START + 24 * HOUR };
  const all = async (f: Parameters<typeof repo.pageAfter>[1], scope: Parameters<typeof repo.pageAfter>[0] = province79) => {
    const out = [];
    let after: { at: number; stationId: string; seq: number } | null = null;
    for (;;) {
      const page = await repo.pageAfter(scope, f, after, 4);
      if (page.length === 0) return out;
      out.push(...page);
      const last = page.at(-1)!;
      after = { at: last.at, stationId: last.stationId, seq: last.seq };
    }
  };
  const trace = await audit.trace(r, { citizenId: F0_CASE }, 10, {});
  const plateTrace = await audit.trace(r, { plate: '51C-222.22' }, 10, {});
  return {
    search: {
      byPlate: await repo.search(province79, { plate: '51C-222.22' }, 100, 0),
      byCitizen: await repo.search(province79, { citizenId: F0_TURNED_BACK }, 100, 0, 'asc'),
      byPass: await repo.search(national, { passId: 8, passProvince: 79 }, 100, 0),
      byCheckpointAndTime: await repo.search(province79, { checkpointId: 11, ...day }, 100, 0),
      byReason: await repo.search(national, { reason: 'TEST_REQUIRED' }, 100, 0),
      // a reason code is matched whole: `_` is not a wildcard and case counts
      byReasonLookalike: await repo.search(national, { reason: 'TEST-REQUIRED' }, 100, 0),
      byReasonOtherCase: await repo.search(national, { reason: 'test_required' }, 100, 0),
      deniedCrossings: await repo.search(province79, { verdict: 'DENY', kind: 'crossing' }, 100, 0),
      decisionsOnly: await repo.search(province79, { decisionsOnly: true, ...day }, 100, 0),
      laneAndDirection: await repo.search(province79, { lane: 'L2', direction: 'exit' }, 100, 0),
      district: await repo.search(district760, { ...day }, 5, 2),
      otherProvince: await repo.search(80, {}, 100, 0),
      count: await repo.count(province79, day, 1000),
      countCapped: await repo.count(national, {}, 7),
      exportPages: await all({ ...day, verdict: 'ALLOW' }),
    },
    sameCrossing: await repo.sameCrossing(province79, 'chot-a', 'c1', 2),
    sameLane: await repo.sameLane(province79, { checkpointId: 11, stationId: 'chot-a', lane: 'L1' }, DAY_START + 8 * HOUR - 10 * MIN, DAY_START + 8 * HOUR + 10 * MIN, 200),
    stationIdsIn: [...(await repo.stationIdsIn(district760))].sort(),
    overdue: {
      byOwnStay: await repo.overdue([79, 80], { now: NOW, since: NOW - 30 * 24 * HOUR, defaultHours: 24, transitHours: new Map(), limit: 100 }),
      byTransitAllowance: await repo.overdue('all', { now: NOW, since: NOW - 30 * 24 * HOUR, defaultHours: 24, transitHours: new Map([[79, 12], [80, 48]]), limit: 100 }),
      noneListed: await repo.overdue([], { now: NOW, since: NOW - 30 * 24 * HOUR, defaultHours: 24, transitHours: new Map(), limit: 100 }),
      counts: [...(await audit.overdueCounts(79))],
    },
    trip: {
      byPass: await repo.tripCrossings({ pass: { issuingProvince: 79, passId: 8 } }, { from: DAY_START - 24 * HOUR, to: NOW }, 100),
      byPlate: await repo.tripCrossings({ plate: '51C-222.22' }, { from: DAY_START - 24 * HOUR, to: NOW }, 2),
      stay: [...(await repo.passStayHours([{ issuingProvince: 79, passId: 7 }, { issuingProvince: 79, passId: 10 }]))],
    },
    counts: {
      perCheckpointHour: await repo.countsPerCheckpointHour(national, { ...day, kind: 'crossing' }),
      perReasonSet: await repo.countsPerReasonSet(province79, day),
      crossingTotals: await repo.crossingTotals(national, day.from, day.to),
      service: await audit.counts(r.user!, { from: day.from, to: day.to }),
    },
    live: await audit.live(r, {}, 20),
    trace,
    plateTrace,
    contacts: await contactList(trace, { citizenId: F0_CASE }, { person: async () => null, pass: async () => null }),
    accessLogReads: reads(),
    daily: {
      79: await new DailyReportQueries(client).report(79, DAY, NOW, new Map([[11, 1]])),
      80: await new DailyReportQueries(client).report(80, DAY, NOW, new Map()),
      provinces: await new DailyReportQueries(client).provinces(),
    },
    notices: (await new NoticeSource(client).since({ journalRowid: 0, alertId: 0 }, NOW, 15 * MIN)).notices,
  };
}

export type AuditAnswers = Awaited<ReturnType<typeof auditAnswers>>;

/** What the fixture must give on any engine: so that two engines agreeing is not two engines finding nothing. */
export function expectFixtureFacts(a: AuditAnswers): void {
  // two passages in 79 (the pass scan and the crossing of each), newest first; its passage in 80 is outside the area
  expect(a.search.byPlate.map((x) => `${x.stationId}/${x.seq}`)).toEqual(['chot-a/16', 'chot-a/14', 'chot-a/10', 'chot-a/8']);
  expect(a.search.byCitizen.map((x) => x.kind)).toEqual(['scan', 'crossing', 'scan', 'crossing']);
  expect(a.search.byPass.map((x) => x.stationId)).toContain('chot-c');
  expect(a.search.byReason.length).toBeGreaterThan(0);
  expect(a.search.byReasonLookalike).toEqual([]);
  expect(a.search.byReasonOtherCase).toEqual([]);
  expect(a.search.otherProvince.every((x) => x.stationId === 'chot-c')).toBe(true);
  expect(a.search.district.every((x) => x.stationId === 'chot-a')).toBe(true);
  expect(a.search.countCapped).toBe(7);
  expect(a.search.exportPages.length).toBeGreaterThan(8);
  expect(a.sameCrossing.map((x) => x.citizenId ?? x.plate)).toEqual(['51C-111.11', F0_CASE, '079000000002', '51C-111.11']);
  expect(a.stationIdsIn).toEqual(['chot-a']);
  // pass 7 by its own 6 hours (due 14:00), pass 6 (no row here) by the default 24 from the evening before (due 22:00)
  expect(a.overdue.byOwnStay.map((o) => [o.passId, o.maxStayHours])).toEqual([[7, 6], [6, 24]]);
  // with 79's allowance of 12 hours: pass 6 due 10:00, pass 7 still by its own 6, pass 10 (no row here) due 20:05; 80's 48 keeps pass 8 and 20 inside
  expect(a.overdue.byTransitAllowance.map((o) => [o.passId, o.maxStayHours])).toEqual([[6, 12], [7, 6], [10, 12]]);
  expect(a.overdue.counts).toEqual([[11, 2]]);
  expect(a.overdue.noneListed).toEqual([]);
  expect(a.trip.byPass.map((x) => [x.province, x.direction])).toEqual([[80, 'entry'], [79, 'exit'], [79, 'entry']]);
  expect(a.trip.stay).toEqual([['79-7', 6]]);
  expect(a.counts.perCheckpointHour.find((x) => x.checkpointId === 11 && x.hour === DAY_START + 8 * HOUR)).toMatchObject({ total: 3, allow: 2, deny: 1, review: 0 });
  expect(a.trace.coTravellers.map((x) => x.citizenId).filter(Boolean)).toEqual(['079000000002']);
  expect(new Set(a.trace.nearbyVehicles.map((x) => x.plate))).toEqual(new Set(['51C-111.11', '51C-222.22']));
  expect(a.contacts.vehicles.map((v) => v.plate)).toEqual(['51C-111.11', '51C-222.22']);
  expect(a.live.items.find((x) => x.crossingId === 'c1' && x.stationId === 'chot-a')?.crew.map((c) => c.citizenId)).toEqual([F0_CASE, '079000000002']);
  const a79 = a.daily[79].checkpoints.find((c) => c.checkpointId === 11)!;
  expect(a79.f0f1TurnedBack).toBe(1);
  expect(a79.crossings.total).toBe(7);
  expect(a79.uptimeMinutes).toBe(90);
  expect(a.daily[80].checkpoints[0]).toMatchObject({ checkpointId: 21, uptimeMinutes: 30, activeHours: 1 });
  expect(a.daily.provinces).toEqual([79, 80]);
  expect(a.notices.map((n) => n.key)).toEqual(['turned-back:chot-a:20', 'turned-back:chot-a:22', 'turned-back:chot-b:4', 'alert:1', `silent:chot-c:${DAY_START + 20 * HOUR}`]);
  expect(a.notices[0]!.messageVi).toContain('F0');
  expect(a.accessLogReads).toBeGreaterThan(0);
}
