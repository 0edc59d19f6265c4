import { isNotNull, sql } from 'drizzle-orm';
import { bigint, boolean, index, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core';
import { ms, seqNo } from './columns.js';

/**
 * PostgreSQL twin of server/db/schema/journal.ts. Not partitioned yet: a partitioned table's unique
 * keys must include the partition column, so (station_id, seq) idempotency needs its own design
 * (issue 13, item 4) before `at` can become the partition key.
 */
export const journal = pgTable(
  'journal',
  {
    stationId: text('station_id').notNull(),
    seq: seqNo('seq').notNull(),
    prevHash: text('prev_hash').notNull(),
    hash: text('hash').notNull(),
    at: ms('at').notNull(),
    receivedAt: ms('received_at').notNull(),
    checkpointId: bigint('checkpoint_id', { mode: 'number' }).notNull(),
    province: bigint('province', { mode: 'number' }).notNull(),
    kind: text('kind').notNull(),
    lane: text('lane').notNull(),
    direction: text('direction').notNull(),
    scannerId: text('scanner_id'),
    crossingId: text('crossing_id'),
    verdict: text('verdict').notNull(),
    /** ReasonCode[] as a JSON array's text, as the station stores it (shared/journal-record/reasons-text.ts) */
    reasons: text('reasons').notNull(),
    codeKind: text('code_kind').notNull(),
    passId: bigint('pass_id', { mode: 'number' }),
    passProvince: bigint('pass_province', { mode: 'number' }),
    passVersion: bigint('pass_version', { mode: 'number' }),
    plate: text('plate'),
    citizenId: text('citizen_id'),
    payloadHash: text('payload_hash'),
    officer: text('officer'),
    note: text('note'),
    policyVersion: bigint('policy_version', { mode: 'number' }).notNull(),
    hashOk: boolean('hash_ok').notNull(),
    purgedAt: ms('purged_at'),
  },
  (t) => [
    // (station, seq) is unique by ingest's per-station lock and lookup; the key carries `at` because a
    // partitioned table's keys must include its partition column (migration 0016 partitions by `at`)
    primaryKey({ columns: [t.stationId, t.seq, t.at] }),
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

export const journalConflicts = pgTable(
  'journal_conflicts',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    stationId: text('station_id').notNull(),
    seq: seqNo('seq').notNull(),
    receivedAt: ms('received_at').notNull(),
    record: jsonb('record').$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index('journal_conflicts_station_idx').on(t.stationId, t.seq)],
);

export const journalRejects = pgTable(
  'journal_rejects',
  {
    id: bigint('id', { mode: 'number' }).primaryKey().generatedByDefaultAsIdentity(),
    stationId: text('station_id').notNull(),
    seq: seqNo('seq'),
    receivedAt: ms('received_at').notNull(),
    message: text('message').notNull(),
    record: text('record').notNull(),
  },
  (t) => [index('journal_rejects_station_idx').on(t.stationId, t.seq)],
);
