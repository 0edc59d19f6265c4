import type { AuthStation } from '../../server/auth/access.js';
import type { SqlClient } from '../../server/db/sql-client.js';

/**
 * A station's row as registration leaves it, with a placeholder secret: what ingest needs of a station
 * (its acknowledged seq, its alerts' key) when a test drives the ingest service without the HTTP layer.
 */
export async function insertStationRow(client: SqlClient, s: Pick<AuthStation, 'stationId' | 'checkpointId' | 'province' | 'lanes'>): Promise<void> {
  await client.run(
    `INSERT INTO stations (station_id, checkpoint_id, name, province, lanes, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, 'x', 0)`,
    [s.stationId, s.checkpointId, s.stationId, s.province, JSON.stringify(s.lanes)],
  );
}
