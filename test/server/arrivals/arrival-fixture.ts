import type { FastifyInstance } from 'fastify';
import type { Role } from '../../../server/auth/access.js';
import type { ScopeLevel } from '../../../server/auth/scope.js';
import { registerStation, userWithRole, type TestCaller, type TestStation } from '../helpers.js';
import { JournalWriter } from '../journal-fixtures.js';

export const HOUR = 3_600_000;
/** Quận 1 of Hồ Chí Minh City, two of its wards */
export const DISTRICT = '760';
export const COMMUNE_A = '26734';
export const COMMUNE_B = '26737';

let counter = 0;

/** A user of a district or commune of province 79, with a bearer token. */
export async function scopedUser(app: FastifyInstance, role: Role, scopeLevel: ScopeLevel, commune?: string): Promise<TestCaller> {
  const username = `${role}-${scopeLevel}-${commune ?? 'q1'}-${++counter}`;
  const user = await app.users.create(null, {
    username, password: 'correct horse battery', role, province: 79, scopeLevel,
    ...(scopeLevel === 'district' || scopeLevel === 'commune' ? { district: DISTRICT } : {}),
    ...(commune ? { commune } : {}),
  });
  const { token } = await app.users.createApiToken({ id: user.id, username, role, province: 79 }, 'test');
  return { id: user.id, username, role, province: 79, headers: { authorization: `Bearer ${token}` } };
}

export interface ArrivalWorld {
  admin: TestCaller;
  health: TestCaller;
  province: TestCaller;
  district: TestCaller;
  communeA: TestCaller;
  communeB: TestCaller;
  station: TestStation;
  journal: JournalWriter;
}

/**
 * Province 79 with zone 01 at level 4 (the default policy's test-required level) and its own zone at
 * level 2, one checkpoint station, health staff, a province command center, a district (Quận 1) and two
 * of its communes' health staff.
 */
export async function arrivalWorld(app: FastifyInstance): Promise<ArrivalWorld> {
  const admin = await userWithRole(app, 'admin', 79);
  const health = await userWithRole(app, 'health', 79);
  const actor = { id: health.id, username: health.username, role: health.role, province: 79 };
  await app.zones.set(actor, '01', 4);
  await app.zones.set(actor, '79', 2);
  const station = await registerStation(app, admin, { stationId: 'chot-7901', checkpointId: 7901 });
  return {
    admin, health, station,
    province: await userWithRole(app, 'command', 79),
    district: await scopedUser(app, 'command', 'district'),
    communeA: await scopedUser(app, 'health', 'commune', COMMUNE_A),
    communeB: await scopedUser(app, 'health', 'commune', COMMUNE_B),
    journal: new JournalWriter(station.stationId),
  };
}

/** A walk-in at the entry lane: the scan and the person-only crossing record closing it, at the same instant. */
export function walkIn(journal: JournalWriter, at: number, citizenId: string, verdict: 'ALLOW' | 'DENY' | 'REVIEW' = 'ALLOW'): void {
  const crossingId = `walk-${citizenId}-${at}`;
  const reasons = verdict === 'DENY' ? ['TEST_REQUIRED' as const] : [];
  journal.add(at, { codeKind: 'health', citizenId, crossingId, verdict, reasons });
  journal.add(at, { kind: 'crossing', scannerId: null, codeKind: 'health', citizenId, crossingId, verdict, reasons, note: 'closedBy=single' });
}

/** Upload what the station has journaled so far, as its link does. */
export async function upload(app: FastifyInstance, w: ArrivalWorld): Promise<void> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: w.station.headers, payload: { stationId: w.station.stationId, records: w.journal.records } });
  if (res.statusCode !== 200) throw new Error(`upload failed: ${res.statusCode} ${res.body}`);
}
