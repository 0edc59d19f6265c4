import type { ServerConfig } from '../config.js';
import { openServerDatabase, type SqliteHandle } from './database.js';
import { openPgServerDatabase } from './pg/database.js';
import { PgClient } from './pg-client.js';
import type { SqlClient, SqlDialect } from './sql-client.js';

/** The database the server runs on, whichever engine. Repositories see only `client` (and `reader`). */
export interface AppDatabase {
  readonly dialect: SqlDialect;
  readonly client: SqlClient;
  /**
   * Where read-only audit searches go: a streaming replica when DATABASE_READ_URL names one (it may
   * lag the primary by a moment), otherwise `client`.
   */
  readonly reader: SqlClient;
  /** SQLite only (backups, the benchmark's direct reads); throws on PostgreSQL */
  readonly sqlite: SqliteHandle;
  close(): Promise<void>;
}

type DatabaseConfig = Pick<ServerConfig, 'databaseUrl' | 'databaseReadUrl' | 'databasePoolSize' | 'dbFile'>;

function sqliteOnly(what: string): never {
  throw new Error(`${what} is SQLite's; on PostgreSQL use app.database.client`);
}

/**
 * PostgreSQL when DATABASE_URL is set (its migrations applied; instances starting together are safe),
 * otherwise SQLite at DB_FILE (default DATA_DIR/server.sqlite).
 */
export async function openDatabase(config: DatabaseConfig): Promise<AppDatabase> {
  if (config.databaseUrl) {
    const pg = await openPgServerDatabase(config.databaseUrl, { max: config.databasePoolSize });
    const reader = config.databaseReadUrl ? PgClient.connect(config.databaseReadUrl, { max: config.databasePoolSize, applicationName: 'checkpoint-server-reader' }) : pg.client;
    return {
      dialect: 'postgres',
      client: pg.client,
      reader,
      get sqlite(): SqliteHandle { return sqliteOnly('database.sqlite'); },
      close: async () => {
        if (reader !== pg.client) await reader.close();
        await pg.close();
      },
    };
  }
  const s = openServerDatabase(config.dbFile);
  return { dialect: 'sqlite', client: s.client, reader: s.client, sqlite: s.sqlite, close: async () => s.close() };
}
