import type Database from 'better-sqlite3';
import type { SqliteClient } from '../../db/sqlite-client.js';
import { CHANGE_SQL, SqlChangeLog, passForgetFor, personChangeFor, type FeedEntity } from './change-log.js';

/** Transitional (issue 13): the synchronous append of the repositories not yet async (SQLite only). */
export interface SyncAppend {
  appendSync(entity: FeedEntity, key: string, itemJson: string, at: number): number;
}

/**
 * The change log on SQLite: the async methods of SqlChangeLog (through the client, whose statements are
 * prepared once), plus `appendSync` for the repositories that still write in synchronous
 * better-sqlite3 transactions on the same connection (passes, health) until they move to `append`.
 * Same SQL, same decisions; one writer, so numbers are in commit order without a lock.
 */
export class SqliteChangeLog extends SqlChangeLog implements SyncAppend {
  private readonly insert: Database.Statement<[string, string, string, number], { seq: number }>;
  private readonly passBefore: Database.Statement<[number], Parameters<typeof passForgetFor>[0] & object>;
  private readonly personBefore: Database.Statement<[string], Parameters<typeof personChangeFor>[0] & object>;

  constructor(client: SqliteClient) {
    super(client);
    const db = client.raw;
    this.insert = db.prepare(CHANGE_SQL.insert);
    this.passBefore = db.prepare(CHANGE_SQL.passBefore);
    this.personBefore = db.prepare(CHANGE_SQL.personBefore);
  }

  /**
   * Transitional (issue 13): `append` for a caller inside a synchronous better-sqlite3 transaction.
   * Remove once no repository calls it.
   */
  appendSync(entity: FeedEntity, key: string, itemJson: string, at: number): number {
    const db = (this.client as SqliteClient).raw;
    if (!db.inTransaction) throw new Error('ChangeLog.appendSync must run inside the transaction of the change it describes');
    if (entity === 'pass') {
      const forget = passForgetFor(this.passBefore.get(Number(key)), itemJson);
      if (forget !== null) this.insert.get('pass', `${key}:forget`, forget, at);
    }
    if (entity === 'person') {
      const change = personChangeFor(this.personBefore.get(key), key, itemJson);
      if ('unchangedSince' in change) return change.unchangedSince;
      itemJson = change.item;
    }
    return this.insert.get(entity, key, itemJson, at)!.seq;
  }
}

/** PostgreSQL has no synchronous path: every repository writing there must call the async `append`. */
export class PgChangeLog extends SqlChangeLog implements SyncAppend {
  appendSync(): number {
    throw new Error('ChangeLog.appendSync is SQLite only: this repository must move to the async append (issue 13)');
  }
}
