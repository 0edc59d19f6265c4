import type { SqliteHandle } from '../db/database.js';
import { isRole, type AuthStation, type AuthUser } from './access.js';

/** The lookups the auth hook makes on every request; behind an interface so another store can replace SQLite. */
export interface CredentialStore {
  userBySession(tokenHash: string, now: number): AuthUser | null;
  userByApiToken(tokenHash: string, now: number): AuthUser | null;
  station(stationId: string): (AuthStation & { secretHash: string }) | null;
}

interface UserRow { id: number; username: string; role: string; province: number }
interface StationRow { station_id: string; checkpoint_id: number; province: number; lanes: string; secret_hash: string }

function toUser(row: UserRow | undefined): AuthUser | null {
  if (!row || !isRole(row.role)) return null;
  return { id: row.id, username: row.username, role: row.role, province: row.province };
}

export function sqliteCredentialStore(sqlite: SqliteHandle): CredentialStore {
  const bySession = sqlite.prepare<[string, number], UserRow>(
    `SELECT u.id, u.username, u.role, u.province FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
  );
  const byToken = sqlite.prepare<[string, number], UserRow>(
    `SELECT u.id, u.username, u.role, u.province FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ? AND t.expires_at > ? AND t.revoked_at IS NULL AND u.disabled = 0`,
  );
  const station = sqlite.prepare<[string], StationRow>(
    `SELECT station_id, checkpoint_id, province, lanes, secret_hash FROM stations WHERE station_id = ? AND disabled = 0`,
  );
  return {
    userBySession: (h, now) => toUser(bySession.get(h, now)),
    userByApiToken: (h, now) => toUser(byToken.get(h, now)),
    station(stationId) {
      const row = station.get(stationId);
      if (!row) return null;
      return {
        stationId: row.station_id,
        checkpointId: row.checkpoint_id,
        province: row.province,
        lanes: JSON.parse(row.lanes) as AuthStation['lanes'],
        secretHash: row.secret_hash,
      };
    },
  };
}
