import type { ScopeFilter } from '../../auth/scope.js';
import { stationScopeSql } from '../../auth/scope-sql.js';
import type { StationLane } from '../../db/schema/index.js';
import type { SqlClient } from '../../db/sql-client.js';

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
  find(stationId: string): Promise<StationRecord | null>;
  insert(s: Omit<StationRecord, 'ackedSeq' | 'lastHeartbeatAt' | 'heartbeat' | 'clockSkewMs'> & { secretHash: string }): Promise<void>;
  setSecretHash(stationId: string, secretHash: string): Promise<void>;
  setDisabled(stationId: string, disabled: boolean): Promise<void>;
  listInScope(f: ScopeFilter): Promise<StationRecord[]>;
  saveHeartbeat(stationId: string, at: number, heartbeat: Record<string, unknown>, clockSkewMs: number): Promise<void>;
  /** open (unacknowledged) alerts per station and kind */
  openAlertCounts(f: ScopeFilter): Promise<{ stationId: string; kind: string; n: number }[]>;
}

type Row = Omit<StationRecord, 'lanes' | 'disabled' | 'heartbeat'> & { lanes: string; disabled: number; heartbeat: string | null };

const COLS = `s.station_id AS "stationId", s.checkpoint_id AS "checkpointId", s.name, s.province, s.district, s.commune,
  s.latitude, s.longitude, s.lanes, s.disabled, s.created_at AS "createdAt", s.acked_seq AS "ackedSeq",
  s.last_heartbeat_at AS "lastHeartbeatAt", s.heartbeat, s.clock_skew_ms AS "clockSkewMs"`;

/** JSON columns come back as text and booleans as 1/0 on both engines (server/db/sql-client.ts). */
function record(r: Row): StationRecord {
  return { ...r, lanes: JSON.parse(r.lanes) as StationLane[], disabled: r.disabled === 1, heartbeat: r.heartbeat === null ? null : (JSON.parse(r.heartbeat) as Record<string, unknown>) };
}

export function sqlStationRepository(client: SqlClient): StationRepository {
  return {
    async find(stationId) {
      const r = await client.get<Row>(`SELECT ${COLS} FROM stations s WHERE s.station_id = ?`, [stationId]);
      return r ? record(r) : null;
    },
    async insert(s) {
      await client.run(
        `INSERT INTO stations (station_id, checkpoint_id, name, province, district, commune, latitude, longitude, lanes, secret_hash, disabled, created_at)
         VALUES (@stationId, @checkpointId, @name, @province, @district, @commune, @latitude, @longitude, @lanes, @secretHash, @disabled, @createdAt)`,
        { ...s, lanes: JSON.stringify(s.lanes), disabled: s.disabled ? 1 : 0 },
      );
    },
    async setSecretHash(stationId, secretHash) {
      await client.run('UPDATE stations SET secret_hash = ? WHERE station_id = ?', [secretHash, stationId]);
    },
    async setDisabled(stationId, disabled) {
      await client.run('UPDATE stations SET disabled = ? WHERE station_id = ?', [disabled ? 1 : 0, stationId]);
    },
    async listInScope(f) {
      const scope = stationScopeSql(f, 's.province', 's.station_id');
      return (await client.all<Row>(`SELECT ${COLS} FROM stations s WHERE ${scope.sql} ORDER BY s.station_id`, scope.params)).map(record);
    },
    async saveHeartbeat(stationId, at, heartbeat, clockSkewMs) {
      await client.run('UPDATE stations SET last_heartbeat_at = ?, heartbeat = ?, clock_skew_ms = ? WHERE station_id = ?', [at, JSON.stringify(heartbeat), clockSkewMs, stationId]);
      // the history the daily report's uptime is read from: the minute was heard, once
      await client.run('INSERT INTO heartbeat_minutes (station_id, minute) VALUES (?, ?) ON CONFLICT (station_id, minute) DO NOTHING', [stationId, Math.floor(at / 60_000) * 60_000]);
    },
    async openAlertCounts(f) {
      const scope = stationScopeSql(f, 's.province', 's.station_id');
      return client.all(
        `SELECT a.station_id AS "stationId", a.kind, count(*) AS n FROM station_alerts a JOIN stations s ON s.station_id = a.station_id
         WHERE ${scope.sql} AND a.acknowledged_at IS NULL GROUP BY a.station_id, a.kind`,
        scope.params,
      );
    },
  };
}
