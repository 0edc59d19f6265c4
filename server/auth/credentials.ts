import type { SqlClient } from '../db/sql-client.js';
import { isRole, type AuthStation, type AuthUser } from './access.js';
import { scopeFromColumns } from './scope.js';

/** The lookups the auth hook makes on every request; behind an interface so the store can change without touching the hook. */
export interface CredentialStore {
  userBySession(tokenHash: string, now: number): Promise<AuthUser | null>;
  userByApiToken(tokenHash: string, now: number): Promise<AuthUser | null>;
  station(stationId: string): Promise<(AuthStation & { secretHash: string }) | null>;
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

/**
 * Every request's credential is looked up in the database, never in a process cache, so a session made
 * on one server instance, or a token revoked on another, holds on all of them at once.
 */
export function sqlCredentialStore(db: SqlClient): CredentialStore {
  return {
    userBySession: async (h, now) => toUser(await db.get<UserRow>(
      `SELECT ${USER_COLS} FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = ?`, [h, now, 0])),
    userByApiToken: async (h, now) => toUser(await db.get<UserRow>(
      `SELECT ${USER_COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = ? AND t.expires_at > ? AND t.revoked_at IS NULL AND u.disabled = ?`, [h, now, 0])),
    async station(stationId) {
      const row = await db.get<StationRow>(
        'SELECT station_id, checkpoint_id, province, district, commune, lanes, secret_hash FROM stations WHERE station_id = ? AND disabled = ?',
        [stationId, 0],
      );
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
