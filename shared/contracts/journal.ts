import { Type, type Static } from '@sinclair/typebox';
import { REASON_CODES } from '../rules/reasons.js';
import { CitizenId, Direction, LaneId, Millis, Plate, Province, Sha256Hex, StationId, VerdictSchema } from './common.js';

export const ReasonCodeSchema = Type.Union(REASON_CODES.map((c) => Type.Literal(c)));

/**
 * One journal record as a station keeps it and uploads it. `seq` is the station's own monotonic
 * sequence; `prevHash`/`hash` chain every record to the one before it, so an edit or a removal is
 * detectable at the server.
 */
export const JournalRecordSchema = Type.Object(
  {
    stationId: StationId,
    /** a safe integer: 1e300 or 2^53+1 would be stored rounded and collide */
    seq: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
    prevHash: Sha256Hex,
    hash: Sha256Hex,
    /** station clock, ms since epoch */
    at: Millis,
    kind: Type.Union([Type.Literal('scan'), Type.Literal('crossing'), Type.Literal('override')]),
    lane: LaneId,
    direction: Direction,
    scannerId: Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 64 })]),
    crossingId: Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 64 })]),
    verdict: VerdictSchema,
    reasons: Type.Array(ReasonCodeSchema, { maxItems: 32 }),
    codeKind: Type.Union([Type.Literal('pass'), Type.Literal('health'), Type.Literal('none')]),
    passId: Type.Union([Type.Null(), Type.Integer({ minimum: 1 })]),
    /** the pass's issuing province: a pass is (passProvince, passId), never passId alone */
    passProvince: Type.Union([Type.Null(), Province]),
    passVersion: Type.Union([Type.Null(), Type.Integer({ minimum: 1 })]),
    plate: Type.Union([Type.Null(), Plate]),
    citizenId: Type.Union([Type.Null(), CitizenId]),
    /** SHA-256 of the raw scanned text, so the exact code can be matched later without storing it. */
    payloadHash: Type.Union([Type.Null(), Sha256Hex]),
    officer: Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 100 })]),
    note: Type.Union([Type.Null(), Type.String({ maxLength: 1000 })]),
    policyVersion: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type JournalRecord = Static<typeof JournalRecordSchema>;

export const MAX_BATCH_RECORDS = 1000;

export const UploadBatchSchema = Type.Object(
  {
    stationId: StationId,
    records: Type.Array(Type.Unknown(), { minItems: 1, maxItems: MAX_BATCH_RECORDS }),
  },
  { additionalProperties: false },
);
/** Records are validated one by one at the server so a bad record is reported, not the whole batch. */
export type UploadBatch = { stationId: string; records: JournalRecord[] };

export const BatchAckSchema = Type.Object(
  {
    /** The highest seq stored with no gap before it: the station may drop everything up to here. */
    ackedSeq: Type.Integer({ minimum: 0 }),
    stored: Type.Integer({ minimum: 0 }),
    duplicates: Type.Integer({ minimum: 0 }),
    rejected: Type.Array(Type.Object({ index: Type.Integer(), seq: Type.Union([Type.Null(), Type.Integer()]), message: Type.String() })),
    chainBreaks: Type.Array(Type.Object({ seq: Type.Integer(), message: Type.String() })),
  },
  { additionalProperties: false },
);
export type BatchAck = Static<typeof BatchAckSchema>;
