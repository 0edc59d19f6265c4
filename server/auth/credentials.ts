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

const STATION_COLS = 'station_id, checkpoint_id, province, district, commune, lanes, secret_hash';

function toStation(row: StationRow): AuthStation & { secretHash: string } {
  return {
    stationId: row.station_id,
    checkpointId: row.checkpoint_id,
    province: row.province,
    district: row.district,
    commune: row.commune,
    lanes: JSON.parse(row.lanes) as AuthStation['lanes'],
    secretHash: row.secret_hash,
  };
}

/**
 * Lookups asked for in one turn of the event loop, answered by one query after it: 2,000 stations
 * reporting to a server on PostgreSQL cost one round trip per turn for their credentials, not one
 * per request. Nothing is kept between turns.
 */
function batchedLookup<T>(many: (keys: string[]) => Promise<Map<string, T>>): (key: string) => Promise<T | null> {
  let waiting: Map<string, { resolve: (v: T | null) => void; reject: (e: unknown) => void }[]> | null = null;
  return (key) => new Promise((resolve, reject) => {
    if (!waiting) {
      const batch = new Map<string, { resolve: (v: T | null) => void; reject: (e: unknown) => void }[]>();
      waiting = batch;
      setImmediate(() => {
        waiting = null;
        many([...batch.keys()]).then(
          (found) => { for (const [k, ws] of batch) for (const w of ws) w.resolve(found.get(k) ?? null); },
          (err) => { for (const ws of batch.values()) for (const w of ws) w.reject(err); },
        );
      });
    }
    const ws = waiting.get(key) ?? [];
    ws.push({ resolve, reject });
    waiting.set(key, ws);
  });
}

const USER_COLS = 'u.id, u.username, u.role, u.province, u.scope_level, u.district, u.commune';

/**
 * Every request's credential is looked up in the database, never in a process cache, so a session made
 * on one server instance, or a token revoked on another, holds on all of them at once. On PostgreSQL the
 * stations' lookups of one turn of the event loop share one query.
 */
export function sqlCredentialStore(db: SqlClient): CredentialStore {
  return {
    userBySession: async (h, now) => toUser(await db.get<UserRow>(
      `SELECT ${USER_COLS} FROM sessions s JOIN users u ON u.id = s.user_id
       WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = ?`, [h, now, 0])),
    userByApiToken: async (h, now) => toUser(await db.get<UserRow>(
      `SELECT ${USER_COLS} FROM api_tokens t JOIN users u ON u.id = t.user_id
       WHERE t.token_hash = ? AND t.expires_at > ? AND t.revoked_at IS NULL AND u.disabled = ?`, [h, now, 0])),
    station: db.dialect === 'postgres' ? batchedLookup(async (ids) => {
      const rows = await db.all<StationRow>(
        `SELECT ${STATION_COLS} FROM stations WHERE station_id = ANY(ARRAY(SELECT json_array_elements_text(?::json))) AND disabled = ?`,
        [JSON.stringify(ids), 0],
      );
      return new Map(rows.map((r) => [r.station_id, toStation(r)]));
    }) : async (stationId) => {
      const row = await db.get<StationRow>(`SELECT ${STATION_COLS} FROM stations WHERE station_id = ? AND disabled = ?`, [stationId, 0]);
      return row ? toStation(row) : null;
    },
  };
}
