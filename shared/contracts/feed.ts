import { Type, type Static } from '@sinclair/typebox';
import { TrustDocumentSchema } from '../trust/authority.js';
import { SignedDocumentSchema } from '../trust/signed-document.js';
import { CheckpointId, CitizenId, Millis, PersonName, Plate, Province, Zone } from './common.js';

/**
 * The whitelist feed from server to stations: a snapshot (paged) then deltas, all items from one
 * monotonic server change sequence. Central status in these items wins over a code's own dates.
 */
export const CrewMemberSchema = Type.Object(
  {
    citizenId: CitizenId,
    name: PersonName,
    role: Type.Union([Type.Literal('driver'), Type.Literal('assistant')]),
  },
  { additionalProperties: false },
);
export type CrewMember = Static<typeof CrewMemberSchema>;

export const PassStatus = Type.Union([Type.Literal('ACTIVE'), Type.Literal('SUSPENDED'), Type.Literal('REVOKED')]);

export const PassFactsSchema = Type.Object(
  {
    type: Type.Literal('pass'),
    passId: Type.Integer({ minimum: 1, maximum: 2 ** 40 }),
    version: Type.Integer({ minimum: 1, maximum: 65535 }),
    status: PassStatus,
    statusReason: Type.Union([Type.Null(), Type.String({ maxLength: 500 })]),
    plate: Plate,
    company: Type.Union([Type.Null(), Type.String({ maxLength: 200 })]),
    goods: Type.Integer({ minimum: 0, maximum: 255 }),
    crew: Type.Array(CrewMemberSchema, { minItems: 1, maxItems: 4 }),
    validFrom: Millis,
    validTo: Type.Union([Type.Null(), Millis]),
    routeCheckpoints: Type.Array(CheckpointId, { maxItems: 16 }),
    routeProvinces: Type.Array(Province, { maxItems: 16 }),
    direction: Type.Union([Type.Literal('both'), Type.Literal('entry'), Type.Literal('exit')]),
    issuingProvince: Province,
    originZone: Zone,
  },
  { additionalProperties: false },
);
export type PassFacts = Static<typeof PassFactsSchema>;

export const TestRecordSchema = Type.Object(
  {
    type: Type.Union([Type.Literal('RT_PCR'), Type.Literal('RAPID_ANTIGEN')]),
    result: Type.Union([Type.Literal('NEGATIVE'), Type.Literal('POSITIVE')]),
    sampledAt: Millis,
  },
  { additionalProperties: false },
);

export const PersonFactsSchema = Type.Object(
  {
    type: Type.Literal('person'),
    citizenId: CitizenId,
    name: PersonName,
    declaredAt: Type.Union([Type.Null(), Millis]),
    originZone: Type.Union([Type.Null(), Zone]),
    test: Type.Union([Type.Null(), TestRecordSchema]),
    doses: Type.Integer({ minimum: 0, maximum: 10 }),
    status: Type.Union([Type.Literal('NONE'), Type.Literal('F0'), Type.Literal('F1')]),
    statusAsOf: Millis,
  },
  { additionalProperties: false },
);
export type PersonFacts = Static<typeof PersonFactsSchema>;

export const ZoneLevelSchema = Type.Object(
  { type: Type.Literal('zone'), zone: Zone, level: Type.Integer({ minimum: 1, maximum: 4 }) },
  { additionalProperties: false },
);
export type ZoneLevelItem = Static<typeof ZoneLevelSchema>;

export const PolicyItemSchema = Type.Object(
  { type: Type.Literal('policy'), document: SignedDocumentSchema },
  { additionalProperties: false },
);
export const TrustListItemSchema = Type.Object(
  // a province's own root-signed list, or the national chain of authority documents
  { type: Type.Literal('trustList'), document: TrustDocumentSchema },
  { additionalProperties: false },
);
/**
 * One line of the national list of passes that are not ACTIVE, sent to every station whatever the
 * pass's route: a revocation made in any province reaches every checkpoint, in a few bytes.
 */
export const PassStatusItemSchema = Type.Object(
  {
    type: Type.Literal('passStatus'),
    issuingProvince: Province,
    passId: Type.Integer({ minimum: 1, maximum: 2 ** 40 }),
    status: Type.Union([Type.Literal('SUSPENDED'), Type.Literal('REVOKED')]),
    /** when the pass took this status (its last change) */
    since: Millis,
  },
  { additionalProperties: false },
);
export type PassStatusItem = Static<typeof PassStatusItemSchema>;

/**
 * One line of the national list of health facts that may be newer than a person's own signed code:
 * an F0/F1 status or a positive test. Stations hold this list, not the population: a person the
 * list does not name is decided from their code. No name, no phone: only what the decision needs.
 */
export const HealthFlagSchema = Type.Object(
  {
    type: Type.Literal('flag'),
    citizenId: CitizenId,
    status: Type.Union([Type.Literal('NONE'), Type.Literal('F0'), Type.Literal('F1')]),
    statusAsOf: Millis,
    /** the person's latest test when it was positive, else null */
    test: Type.Union([Type.Null(), TestRecordSchema]),
  },
  { additionalProperties: false },
);
export type HealthFlag = Static<typeof HealthFlagSchema>;

/**
 * Removal of a record, e.g. a person's data purged after its retention period. A pass's removal takes
 * its line of the status list with it (the pass that follows, if any, brings its own).
 */
export const DeleteItemSchema = Type.Object(
  {
    type: Type.Literal('delete'),
    entity: Type.Union([Type.Literal('pass'), Type.Literal('person'), Type.Literal('flag'), Type.Literal('zone')]),
    key: Type.String({ minLength: 1, maxLength: 64 }),
  },
  { additionalProperties: false },
);

export const FeedItemSchema = Type.Union([
  PassFactsSchema, PersonFactsSchema, ZoneLevelSchema, PolicyItemSchema, TrustListItemSchema, DeleteItemSchema,
  PassStatusItemSchema, HealthFlagSchema,
]);
export type FeedItem = Static<typeof FeedItemSchema>;

export const SnapshotPageSchema = Type.Object(
  {
    /** The server change sequence the snapshot is consistent with; deltas continue from it. */
    cursor: Type.Integer({ minimum: 0 }),
    items: Type.Array(FeedItemSchema),
    /** Opaque token for the next page; null on the last page. */
    nextPage: Type.Union([Type.Null(), Type.String({ maxLength: 200 })]),
  },
  { additionalProperties: false },
);
export type SnapshotPage = Static<typeof SnapshotPageSchema>;

export const DeltaPageSchema = Type.Object(
  {
    items: Type.Array(FeedItemSchema),
    /** Cursor after these items; pass it as `since` next time. */
    cursor: Type.Integer({ minimum: 0 }),
    hasMore: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type DeltaPage = Static<typeof DeltaPageSchema>;

/**
 * The feed's doorbell (GET /api/v1/feed/wait): held by the server until the feed's head passes the
 * station's cursor or the wait runs out; the station then asks for the changes as usual.
 */
export const FeedWaitSchema = Type.Object(
  {
    /** the head the server last read */
    head: Type.Integer({ minimum: 0 }),
    /** true: there are changes after the cursor (perhaps none for this station); false: the wait ran out */
    moved: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type FeedWait = Static<typeof FeedWaitSchema>;

/** The answer to a `since` cursor older than the retained changes (HTTP 410). */
export const SnapshotRequiredSchema = Type.Object(
  { code: Type.Literal('SNAPSHOT_REQUIRED'), message: Type.String(), oldestCursor: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);
