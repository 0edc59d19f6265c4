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
  /** each station's last heartbeat, and the minute it was heard in (the daily report's uptime) */
  saveHeartbeats(beats: readonly SavedHeartbeat[]): Promise<void>;
  /** open (unacknowledged) alerts per station and kind */
  openAlertCounts(f: ScopeFilter): Promise<{ stationId: string; kind: string; n: number }[]>;
}

export interface SavedHeartbeat {
  stationId: string;
  at: number;
  heartbeat: Record<string, unknown>;
  clockSkewMs: number;
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
    async saveHeartbeats(beats) {
      if (beats.length === 0) return;
      const minute = (at: number) => Math.floor(at / 60_000) * 60_000;
      if (client.dialect === 'postgres') {
        // A group of stations' heartbeats in two statements. Their rows are locked in station order
        // first, as ingest's acknowledgement does (server/services/ingest/pg-repository.ts), so two
        // groups updating some of the same stations never wait for each other in a cycle: the array of
        // locked ids is built whole before the update reads it. Rows are found by key, never by
        // reading the table, which every heartbeat and acknowledgement rewrites a row of.
        const rows = JSON.stringify([...beats].sort((a, b) => (a.stationId < b.stationId ? -1 : 1)).map((b) => ({
          station_id: b.stationId, at: b.at, heartbeat: JSON.stringify(b.heartbeat), skew: b.clockSkewMs, minute: minute(b.at),
        })));
        await client.run(
          `UPDATE stations s SET last_heartbeat_at = q.at, heartbeat = q.heartbeat::jsonb, clock_skew_ms = q.skew
           FROM json_to_recordset(@rows::json) AS q(station_id text, at bigint, heartbeat text, skew bigint)
           WHERE s.station_id = ANY(ARRAY(
                   SELECT station_id FROM stations WHERE station_id = ANY(ARRAY(SELECT station_id FROM json_to_recordset(@rows::json) AS k(station_id text)))
                   ORDER BY station_id FOR UPDATE))
             AND s.station_id = q.station_id`,
          { rows },
        );
        // the history the daily report's uptime is read from: each minute heard, once
        await client.run(
          `INSERT INTO heartbeat_minutes (station_id, minute)
           SELECT DISTINCT station_id, minute FROM json_to_recordset(?::json) AS q(station_id text, minute bigint) ORDER BY station_id, minute
           ON CONFLICT (station_id, minute) DO NOTHING`,
          [rows],
        );
        return;
      }
      for (const b of beats) {
        await client.run('UPDATE stations SET last_heartbeat_at = ?, heartbeat = ?, clock_skew_ms = ? WHERE station_id = ?', [b.at, JSON.stringify(b.heartbeat), b.clockSkewMs, b.stationId]);
        await client.run('INSERT INTO heartbeat_minutes (station_id, minute) VALUES (?, ?) ON CONFLICT (station_id, minute) DO NOTHING', [b.stationId, minute(b.at)]);
      }
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
