import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Notices for people (server/services/notify), kept so a restart keeps the command center's list and
 * goes on from where it stopped looking. `seq` is the order the list is read in; `key` is the notice's
 * stable id (the webhook receiver's duplicate check), unique so a notice is kept once.
 */
export const notices = sqliteTable('notices', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  key: text('key').notNull().unique(),
  kind: text('kind').notNull(),
  at: integer('at').notNull(),
  province: integer('province').notNull(),
  stationId: text('station_id'),
  checkpointId: integer('checkpoint_id'),
  messageVi: text('message_vi').notNull(),
  message: text('message').notNull(),
});

/** Where the notice source stopped reading the journal and the station alerts (one row). */
export const noticeCursor = sqliteTable('notice_cursor', {
  id: integer('id').primaryKey(),
  journalRowid: integer('journal_rowid').notNull(),
  alertId: integer('alert_id').notNull(),
});
