import { isNotNull } from 'drizzle-orm';
import { bigint, boolean, doublePrecision, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import type { StationLane } from '../../schema/stations.js';
import { ms, seqNo } from './columns.js';

export const stations = pgTable('stations', {
  stationId: text('station_id').primaryKey(),
  checkpointId: bigint('checkpoint_id', { mode: 'number' }).notNull(),
  name: text('name').notNull(),
  province: bigint('province', { mode: 'number' }).notNull(),
  district: text('district'),
  commune: text('commune'),
  latitude: doublePrecision('latitude'),
  longitude: doublePrecision('longitude'),
  lanes: jsonb('lanes').$type<StationLane[]>().notNull(),
  secretHash: text('secret_hash').notNull(),
  disabled: boolean('disabled').notNull().default(false),
  createdAt: ms('created_at').notNull(),
  ackedSeq: seqNo('acked_seq').notNull().default(0),
  lastHeartbeatAt: ms('last_heartbeat_at'),
  heartbeat: jsonb('heartbeat').$type<Record<string, unknown>>(),
  clockSkewMs: ms('clock_skew_ms'),
});

export const stationAlerts = pgTable(
  'station_alerts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    stationId: text('station_id'),
    kind: text('kind', { enum: ['CHAIN_BREAK', 'SEQ_CONFLICT', 'CLONE', 'INVALID_RECORD'] }).notNull(),
    seq: seqNo('seq'),
    passId: bigint('pass_id', { mode: 'number' }),
    passProvince: bigint('pass_province', { mode: 'number' }),
    message: text('message').notNull(),
    details: jsonb('details').$type<Record<string, unknown>>(),
    createdAt: ms('created_at').notNull(),
    acknowledgedAt: ms('acknowledged_at'),
    acknowledgedBy: bigint('acknowledged_by', { mode: 'number' }),
  },
  // by pass: a late exit closes the clone alerts it explains (ingest, clone-detector.ts)
  (t) => [
    index('station_alerts_station_idx').on(t.stationId, t.kind),
    index('station_alerts_created_idx').on(t.createdAt),
    index('station_alerts_pass_idx').on(t.passProvince, t.passId).where(isNotNull(t.passId)),
  ],
);

export const heartbeatMinutes = pgTable('heartbeat_minutes', {
  stationId: text('station_id').notNull(),
  minute: ms('minute').notNull(),
}, (t) => [primaryKey({ columns: [t.stationId, t.minute] })]);
