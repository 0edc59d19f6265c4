import { isNotNull, sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Journal records uploaded by stations, one row per (station, seq). `at` is the station's clock,
 * `receivedAt` the server's. `checkpointId`/`province` are copied from the station at ingest so that
 * searches need no join. Retention clears the personal columns and sets `purgedAt`.
 */
export const journal = sqliteTable(
  'journal',
  {
    stationId: text('station_id').notNull(),
    seq: integer('seq').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    at: integer('at').notNull(),
    receivedAt: integer('received_at').notNull(),
    checkpointId: integer('checkpoint_id').notNull(),
    province: integer('province').notNull(),
    kind: text('kind').notNull(),
    lane: text('lane').notNull(),
    direction: text('direction').notNull(),
    scannerId: text('scanner_id'),
    crossingId: text('crossing_id'),
    verdict: text('verdict').notNull(),
    /** ReasonCode[] as a JSON array's text, as the station stores it (shared/journal-record/reasons-text.ts) */
    reasons: text('reasons').notNull(),
    codeKind: text('code_kind').notNull(),
    passId: integer('pass_id'),
    /** the pass's issuing province: a pass is (passProvince, passId) */
    passProvince: integer('pass_province'),
    passVersion: integer('pass_version'),
    plate: text('plate'),
    citizenId: text('citizen_id'),
    payloadHash: text('payload_hash'),
    officer: text('officer'),
    note: text('note'),
    policyVersion: integer('policy_version').notNull(),
    /** false when the record's own hash did not match its content on arrival */
    hashOk: integer('hash_ok', { mode: 'boolean' }).notNull(),
    purgedAt: integer('purged_at'),
  },
  // Few indexes, partial where a column is often null: each one costs every insert (ingest must
  // reach 100k records/s). Co-travellers are found by crossing id within a seq window of the same
  // station (the primary key), counts by checkpoint scan the time index.
  (t) => [
    primaryKey({ columns: [t.stationId, t.seq] }),
    index('journal_at_idx').on(t.at),
    index('journal_plate_at_idx').on(t.plate, t.at).where(isNotNull(t.plate)),
    index('journal_citizen_at_idx').on(t.citizenId, t.at).where(isNotNull(t.citizenId)),
    index('journal_pass_at_idx').on(t.passId, t.at).where(isNotNull(t.passId)),
    // the command center's searches by checkpoint and time, and a trace's same-lane neighbours (checkpoint, lane, ±minutes)
    index('journal_checkpoint_at_idx').on(t.checkpointId, t.at),
    // the notices' read of people turned back since a received time (server/services/notify/notices.ts reads it on
    // PostgreSQL; SQLite reads by rowid): refusals only, so ingest of the usual ALLOW scan pays nothing for it
    index('journal_denied_received_idx').on(t.receivedAt).where(sql`${t.kind} = 'scan' AND ${t.verdict} = 'DENY'`),
  ],
);

/** A record re-sent with a seq already stored but different content: kept for review, never merged. */
export const journalConflicts = sqliteTable(
  'journal_conflicts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    stationId: text('station_id').notNull(),
    seq: integer('seq').notNull(),
    receivedAt: integer('received_at').notNull(),
    record: text('record', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('journal_conflicts_station_idx').on(t.stationId, t.seq)],
);

/**
 * Records a station sent that do not pass validation, kept as sent (never dropped). A reject with a
 * seq of the uploading station counts as received for the acknowledgement, so one bad record cannot
 * hold a station's outbox forever; the command center sees an INVALID_RECORD alert.
 */
export const journalRejects = sqliteTable(
  'journal_rejects',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    stationId: text('station_id').notNull(),
    /** null when the record has no usable seq or names another station */
    seq: integer('seq'),
    receivedAt: integer('received_at').notNull(),
    message: text('message').notNull(),
    record: text('record').notNull(),
  },
  (t) => [index('journal_rejects_station_idx').on(t.stationId, t.seq)],
);
