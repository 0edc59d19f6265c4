import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser } from '../../server/auth/access.js';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import { AlertsService, sqlAlertRepository } from '../../server/services/alerts/service.js';
import { PgIngestRepository } from '../../server/services/ingest/pg-repository.js';
import { IngestService } from '../../server/services/ingest/service.js';
import { sqlOperationalRecordsPruner } from '../../server/services/retention/operational-records.js';
import { sqlRetentionRepository } from '../../server/services/retention/repository.js';
import { RetentionService } from '../../server/services/retention/service.js';
import { sqlStationRepository } from '../../server/services/stations/repository.js';
import { StationsService } from '../../server/services/stations/service.js';
import type { Heartbeat } from '../../shared/contracts/heartbeat.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { journalChain } from '../server/journal-fixtures.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();
const DAY = 86_400_000;
const T0 = Date.UTC(2021, 8, 1, 8);

/**
 * The stations, alerts and retention services on PostgreSQL, as the routes call them: the same
 * portable SQL as on SQLite (JSON and booleans read back alike, scope by province, retention's chunk
 * by primary key), and heartbeats each in a transaction of their own there.
 */
describe.skipIf(skip)(`stations, alerts and retention on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('stations');
  let db: PgServerDatabase;
  let now = T0;
  const clock = () => now;
  const admin79: AuthUser = { id: 1, username: 'admin79', role: 'admin', province: 79 };
  const command80: AuthUser = { id: 2, username: 'cmd80', role: 'command', province: 80 };
  let stations: StationsService;

  beforeAll(async () => {
    db = await openPgServerDatabase(pg.url(), { max: 4 });
    stations = new StationsService(db.client, sqlStationRepository(db.client), clock, { heartbeatStaleMs: 120_000, clockSkewWarnMs: 300_000 });
  });
  afterAll(async () => db?.close());

  it('registers, takes heartbeats at once, disables and lists a province\'s stations with their lanes and status', async () => {
    const lanes = [{ id: 'L1', direction: 'entry' as const }, { id: 'L2', direction: 'exit' as const }];
    const { station, secret } = await stations.register(admin79, { stationId: 'chot-7901', checkpointId: 7901, name: 'Chốt QL1A', province: 79, latitude: 10.7, longitude: 106.6, lanes });
    expect(secret.length).toBeGreaterThan(20);
    expect(station).toMatchObject({ stationId: 'chot-7901', lanes, disabled: false, ackedSeq: 0, latitude: 10.7, lastHeartbeatAt: null });
    await stations.register(admin79, { stationId: 'chot-7902', checkpointId: 7902, name: 'Chốt 2', province: 79, lanes });
    await expect(stations.register(admin79, { stationId: 'chot-7901', checkpointId: 1, name: 'x', province: 79, lanes })).rejects.toMatchObject({ code: 'CONFLICT' });

    const hb = (stationId: string, skew: number): Heartbeat => ({
      stationId, softwareVersion: '0.1.0', clock: now - skew, cacheCursor: 7, cacheAgeMs: 1000, outboxBacklog: 2, lastSeq: 5,
      scanners: [{ id: 'sc1', lane: 'L1', direction: 'entry', state: 'unplugged', path: '/dev/ttyUSB0', lastReadAt: null }],
    });
    const auth = (stationId: string) => ({ stationId, checkpointId: 1, province: 79, lanes });
    const acks = await Promise.all([stations.heartbeat(auth('chot-7901'), hb('chot-7901', 0)), stations.heartbeat(auth('chot-7902'), hb('chot-7902', 10 * 60_000))]);
    expect(acks).toEqual([{ serverTime: now, clockSkewMs: 0 }, { serverTime: now, clockSkewMs: 600_000 }]);
    await stations.setDisabled(admin79, 'chot-7902', true);

    const fleet = await stations.fleet(admin79);
    expect(fleet.map((s) => [s.stationId, s.disabled, s.lastHeartbeatAt, s.outboxBacklog])).toEqual([['chot-7901', false, now, 2], ['chot-7902', true, now, 2]]);
    expect(fleet[1]!.warnings.map((w) => w.code).sort()).toEqual(['CLOCK_SKEW', 'DISABLED', 'SCANNER_UNPLUGGED']);
    expect(await stations.fleet(command80)).toEqual([]);
    expect(await db.client.all('SELECT station_id AS "stationId" FROM heartbeat_minutes ORDER BY 1')).toEqual([{ stationId: 'chot-7901' }, { stationId: 'chot-7902' }]);
  });

  it('lists the alerts ingest raised to the station\'s province only, and acknowledges them once', async () => {
    const ingest = new IngestService(db.client, new PgIngestRepository(db.client), clock);
    const recs = journalChain('chot-7901', 3, () => ({}), T0 - 40 * DAY);
    const station = { stationId: 'chot-7901', checkpointId: 7901, province: 79, lanes: [{ id: 'L1', direction: 'entry' as const }] };
    const ack = await ingest.ingestGrouped(station, { stationId: 'chot-7901', records: [recs[0], { ...recs[1]!, verdict: 'DENY' }, recs[2]] });
    expect(ack.chainBreaks.map((b) => b.seq)).toEqual([2]);

    const alerts = new AlertsService(sqlAlertRepository(db.client), clock);
    const listed = await alerts.list(admin79, { kind: 'CHAIN_BREAK', open: true, limit: 10, offset: 0 });
    expect(listed).toEqual([expect.objectContaining({ stationId: 'chot-7901', kind: 'CHAIN_BREAK', seq: 2, details: null, acknowledgedAt: null })]);
    expect(await alerts.list(command80, { limit: 10, offset: 0 })).toEqual([]);
    await expect(alerts.acknowledge(command80, listed[0]!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    now += 1000;
    expect(await alerts.acknowledge(admin79, listed[0]!.id)).toMatchObject({ acknowledgedAt: now, acknowledgedBy: admin79.id });
    expect(await alerts.list(admin79, { open: true, limit: 10, offset: 0 })).toEqual([]);
  });

  it('clears the personal fields of journal rows past retention, in chunks, and keeps the rows', async () => {
    const retention = new RetentionService(sqlRetentionRepository(db.client), 30, clock, sqlOperationalRecordsPruner(db.client));
    const result = await retention.purgePersonalData();
    expect(result).toMatchObject({ journalRows: 3, cutoff: now - 30 * DAY });
    const rows = await db.client.all('SELECT seq, plate, citizen_id AS "citizenId", purged_at AS "purgedAt" FROM journal WHERE station_id = ? ORDER BY seq', ['chot-7901']);
    expect(rows).toEqual([1, 2, 3].map((seq) => ({ seq, plate: null, citizenId: null, purgedAt: now })));
    expect((await retention.purgePersonalData()).journalRows).toBe(0);
  });
});
