import Database from 'better-sqlite3';
import { SqliteClient } from '../../../server/db/sqlite-client.js';
import { describeSqlClient } from './sql-client-contract.js';

describeSqlClient(
  'SQLite',
  async () => new SqliteClient(new Database(':memory:')),
  `CREATE TABLE things (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, flag INTEGER NOT NULL, doc TEXT NOT NULL, label TEXT NOT NULL);
   CREATE TABLE log (seq INTEGER PRIMARY KEY AUTOINCREMENT, note TEXT NOT NULL);`,
);
