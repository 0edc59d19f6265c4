import type { SqliteHandle } from '../db/database.js';
import { isRole, type AuthStation, type AuthUser } from './access.js';
import { scopeFromColumns } from './scope.js';

/** The lookups the auth hook makes on every request; behind an interface so another store can replace SQLite. */
export interface CredentialStore {
  userBySession(tokenHash: string, now: number): AuthUser | null;
  userByApiToken(tokenHash: string, now: number): AuthUser | null;
  station(stationId: string): (AuthStation & { secretHash: string }) | null;
}

interface UserRow { id: number; username: string; role: string; province: number; scope_level: string; district: string | null; commune: string | null }
interface StationRow { station_id: string; checkpoint_id: number; province: number; district: string | null; commune: string | null; lanes: string; secret_hash: string }

function toUser(row: UserRow | undefined): AuthUser | null {
  if (!row || !isRole(row.role)) return null;
  // a row whose scope columns do not fit together authenticates nobody (never a wider scope by default)
  const scope = scopeFromColumns(row.scope_level, row.province, row.district, row.commune);
  if (!scope) return null;
  return { id: row.id, username: row.username, role: row.role, province: row.province, scope };
}

const USER_COLS = 'u.id, u.username, u.role, u.province, u.scope_level, u.district, u.commune';

export function sqliteCredentialStore(sqlite: SqliteHandle): CredentialStore {
  const bySession = sqlite.prepare<[string, number], UserRow>(
    `SELECT ${USER_COLS} FROM sessions s JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0`,
  );
  const byToken = sqlite.prepare<[string, number], UserRow>(
    `SELECT ${USER_COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id
     WHERE t.token_hash = ? AND t.expires_at > ? AND t.revoked_at IS NULL AND u.disabled = 0`,
  );
  const station = sqlite.prepare<[string], StationRow>(
    `SELECT station_id, checkpoint_id, province, district, commune, lanes, secret_hash FROM stations WHERE station_id = ? AND disabled = 0`,
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
        district: row.district,
        commune: row.commune,
        lanes: JSON.parse(row.lanes) as AuthStation['lanes'],
        secretHash: row.secret_hash,
      };
    },
  };
}
