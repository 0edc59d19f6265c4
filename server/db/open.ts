import type { ServerConfig } from '../config.js';
import { openServerDatabase, type ServerDatabase } from './database.js';
import { openPgServerDatabase } from './pg/database.js';
import type { SqlClient } from './sql-client.js';

/** The database the server runs on, whichever engine: repositories see only `client`. */
export interface OpenDatabase {
  readonly client: SqlClient;
  /** SQLite only: the file-backed handle (hot-path repositories, backups); null on PostgreSQL */
  readonly sqlite: ServerDatabase | null;
  close(): Promise<void>;
}

/**
 * PostgreSQL when DATABASE_URL is set (its migrations applied, concurrent starts safe), otherwise
 * SQLite at DB_FILE (default DATA_DIR/server.sqlite).
 */
export async function openDatabase(config: Pick<ServerConfig, 'databaseUrl' | 'databasePoolSize' | 'dbFile'>): Promise<OpenDatabase> {
  if (config.databaseUrl) {
    const pg = await openPgServerDatabase(config.databaseUrl, { max: config.databasePoolSize });
    return { client: pg.client, sqlite: null, close: () => pg.close() };
  }
  const sqlite = openServerDatabase(config.dbFile);
  return { client: sqlite.client, sqlite, close: async () => sqlite.close() };
}
