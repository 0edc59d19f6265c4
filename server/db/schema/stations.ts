import { isNotNull } from 'drizzle-orm';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export interface StationLane {
  id: string;
  direction: 'entry' | 'exit';
}

/** Registered checkpoint stations, their hashed credential, their last heartbeat and ingest state. */
export const stations = sqliteTable('stations', {
  stationId: text('station_id').primaryKey(),
  checkpointId: integer('checkpoint_id').notNull(),
  name: text('name').notNull(),
  province: integer('province').notNull(),
  /** the checkpoint's district and commune (official codes), so an area's command center sees its own */
  district: text('district'),
  commune: text('commune'),
  /** where the checkpoint is (WGS 84 degrees), for the command center's schematic; null when not given */
  latitude: real('latitude'),
  longitude: real('longitude'),
  lanes: text('lanes', { mode: 'json' }).$type<StationLane[]>().notNull(),
  /** SHA-256 of a 32-byte random secret: high entropy, so a slow hash adds nothing and would slow every upload */
  secretHash: text('secret_hash').notNull(),
  disabled: integer('disabled', { mode: 'boolean' }).notNull().default(false),
  createdAt: integer('created_at').notNull(),
  /** highest seq stored with no gap before it, and that record's hash */
  ackedSeq: integer('acked_seq').notNull().default(0),
  lastHeartbeatAt: integer('last_heartbeat_at'),
  heartbeat: text('heartbeat', { mode: 'json' }).$type<Record<string, unknown>>(),
  clockSkewMs: integer('clock_skew_ms'),
});

/** Things the command center must look at: chain breaks, seq conflicts, clones. */
export const stationAlerts = sqliteTable(
  'station_alerts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    stationId: text('station_id'),
    kind: text('kind', { enum: ['CHAIN_BREAK', 'SEQ_CONFLICT', 'CLONE', 'INVALID_RECORD'] }).notNull(),
    seq: integer('seq'),
    passId: integer('pass_id'),
    passProvince: integer('pass_province'),
    message: text('message').notNull(),
    details: text('details', { mode: 'json' }).$type<Record<string, unknown>>(),
    createdAt: integer('created_at').notNull(),
    acknowledgedAt: integer('acknowledged_at'),
    acknowledgedBy: integer('acknowledged_by'),
  },
  // by pass: a late exit closes the clone alerts it explains (ingest, clone-detector.ts)
  (t) => [
    index('station_alerts_station_idx').on(t.stationId, t.kind),
    index('station_alerts_created_idx').on(t.createdAt),
    index('station_alerts_pass_idx').on(t.passProvince, t.passId).where(isNotNull(t.passId)),
  ],
);

/**
 * Heartbeat history, compact: one row per station per minute in which it was heard (about 1,440 rows
 * a day per station, not one per 15 s heartbeat). The daily report's uptime is the share of the day's
 * minutes present.
 */
export const heartbeatMinutes = sqliteTable('heartbeat_minutes', {
  stationId: text('station_id').notNull(),
  /** the minute's start, ms since the epoch (server receipt time) */
  minute: integer('minute').notNull(),
}, (t) => [primaryKey({ columns: [t.stationId, t.minute] })]);
