import { bigint, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { ms } from './columns.js';

/** PostgreSQL twin of server/db/schema/notices.ts. */
export const notices = pgTable('notices', {
  seq: bigint('seq', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
  key: text('key').notNull().unique(),
  kind: text('kind').notNull(),
  at: ms('at').notNull(),
  province: integer('province').notNull(),
  stationId: text('station_id'),
  checkpointId: integer('checkpoint_id'),
  messageVi: text('message_vi').notNull(),
  message: text('message').notNull(),
});

export const noticeCursor = pgTable('notice_cursor', {
  id: integer('id').primaryKey(),
  journalRowid: bigint('journal_rowid', { mode: 'number' }).notNull(),
  alertId: bigint('alert_id', { mode: 'number' }).notNull(),
});
