import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import type { ServerDb } from '../../db/database.js';
import type { ScopeFilter } from '../../auth/scope.js';
import { scopeWhere } from '../../auth/scope-sql.js';
import { heartbeatMinutes, stationAlerts, stations, type StationLane } from '../../db/schema/index.js';

export interface StationRecord {
  stationId: string;
  checkpointId: number;
  name: string;
  province: number;
  district: string | null;
  commune: string | null;
  latitude: number | null;
  longitude: number | null;
  lanes: StationLane[];
  disabled: boolean;
  createdAt: number;
  ackedSeq: number;
  lastHeartbeatAt: number | null;
  heartbeat: Record<string, unknown> | null;
  clockSkewMs: number | null;
}

export interface StationRepository {
  find(stationId: string): StationRecord | null;
  insert(s: Omit<StationRecord, 'ackedSeq' | 'lastHeartbeatAt' | 'heartbeat' | 'clockSkewMs'> & { secretHash: string }): void;
  setSecretHash(stationId: string, secretHash: string): void;
  setDisabled(stationId: string, disabled: boolean): void;
  listInScope(f: ScopeFilter): StationRecord[];
  saveHeartbeat(stationId: string, at: number, heartbeat: Record<string, unknown>, clockSkewMs: number): void;
  /** open (unacknowledged) alerts per station and kind */
  openAlertCounts(f: ScopeFilter): { stationId: string; kind: string; n: number }[];
}

const cols = {
  stationId: stations.stationId, checkpointId: stations.checkpointId, name: stations.name, province: stations.province,
  district: stations.district, commune: stations.commune, latitude: stations.latitude, longitude: stations.longitude,
  lanes: stations.lanes, disabled: stations.disabled, createdAt: stations.createdAt, ackedSeq: stations.ackedSeq,
  lastHeartbeatAt: stations.lastHeartbeatAt, heartbeat: stations.heartbeat, clockSkewMs: stations.clockSkewMs,
};

export function drizzleStationRepository(db: ServerDb): StationRepository {
  return {
    find: (stationId) => db.select(cols).from(stations).where(eq(stations.stationId, stationId)).get() ?? null,
    insert: (s) => void db.insert(stations).values(s).run(),
    setSecretHash: (stationId, secretHash) => void db.update(stations).set({ secretHash }).where(eq(stations.stationId, stationId)).run(),
    setDisabled: (stationId, disabled) => void db.update(stations).set({ disabled }).where(eq(stations.stationId, stationId)).run(),
    listInScope: (f) => db.select(cols).from(stations).where(scopeWhere(f, stations)).orderBy(asc(stations.stationId)).all(),
    saveHeartbeat: (stationId, at, heartbeat, clockSkewMs) => {
      db.update(stations).set({ lastHeartbeatAt: at, heartbeat, clockSkewMs }).where(eq(stations.stationId, stationId)).run();
      // the history the daily report's uptime is read from: the minute was heard, once
      db.insert(heartbeatMinutes).values({ stationId, minute: Math.floor(at / 60_000) * 60_000 }).onConflictDoNothing().run();
    },
    openAlertCounts: (f) =>
      db.select({ stationId: sql<string>`${stationAlerts.stationId}`, kind: stationAlerts.kind, n: sql<number>`count(*)` })
        .from(stationAlerts)
        .innerJoin(stations, eq(stations.stationId, stationAlerts.stationId))
        .where(and(scopeWhere(f, stations), isNull(stationAlerts.acknowledgedAt)))
        .groupBy(stationAlerts.stationId, stationAlerts.kind)
        .all(),
  };
}
