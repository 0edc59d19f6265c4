import { Type, type Static } from '@sinclair/typebox';
import { CheckpointId, CitizenId, PersonNameInput, Plate, Province, Zone } from '../../../shared/contracts/common.js';
import { PassStatus } from '../../../shared/contracts/feed.js';
import { GOODS } from '../../../shared/codes/pass-code.js';

/** What a transport officer fills in for a pass; the same shape for the API, CSV rows and seeding. */
export const Phone = Type.String({ pattern: '^\\+?[0-9 .-]{6,20}$', description: 'phone number' });

/**
 * A pass time the printed code can carry: the code holds seconds in 32 bits (shared/codes/pass-code.ts),
 * so nothing after 2106-02-07 can be signed; a later date is refused by name, never a 500 at signing.
 */
export const PASS_TIME_MAX_MS = (2 ** 32 - 1) * 1000;
export const PassMillis = Type.Integer({ minimum: 0, maximum: PASS_TIME_MAX_MS, description: 'ms since epoch, at most 2106-02-07 (what the code can carry)' });

export const CrewInputSchema = Type.Object(
  {
    citizenId: CitizenId,
    name: PersonNameInput,
    phone: Type.Optional(Type.Union([Type.Null(), Phone])),
  },
  { additionalProperties: false },
);

export const PassInputSchema = Type.Object(
  {
    plate: Plate,
    company: Type.Optional(Type.Union([Type.Null(), Type.String({ minLength: 1, maxLength: 200 })])),
    goods: Type.Integer({ minimum: 0, maximum: GOODS.length - 1, description: 'index into the goods categories' }),
    /** the first member is the driver, the others assistant drivers (phụ xe) */
    crew: Type.Array(CrewInputSchema, { minItems: 1, maxItems: 4 }),
    originZone: Zone,
    destinationZone: Zone,
    routeCheckpoints: Type.Array(CheckpointId, { maxItems: 16 }),
    routeProvinces: Type.Array(Province, { maxItems: 16 }),
    permittedStops: Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 1000 })])),
    /** default: now */
    validFrom: Type.Optional(PassMillis),
    /** null: until further notice */
    validTo: Type.Union([Type.Null(), PassMillis]),
    direction: Type.Optional(Type.Union([Type.Literal('both'), Type.Literal('entry'), Type.Literal('exit')])),
    maxStayHours: Type.Optional(Type.Integer({ minimum: 1, maximum: 24 * 365 })),
    /** default: the acting user's province */
    issuingProvince: Type.Optional(Province),
  },
  { additionalProperties: false },
);
export type PassInput = Static<typeof PassInputSchema>;

/** An amendment names only what changes; the province of a pass never changes. */
export const PassAmendSchema = Type.Partial(Type.Omit(PassInputSchema, ['issuingProvince']), { additionalProperties: false });
export type PassAmend = Static<typeof PassAmendSchema>;

export const PassViewSchema = Type.Object({
  passId: Type.Integer(),
  version: Type.Integer(),
  status: PassStatus,
  statusReason: Type.Union([Type.Null(), Type.String()]),
  plate: Type.String(),
  company: Type.Union([Type.Null(), Type.String()]),
  goods: Type.Integer(),
  crew: Type.Array(
    Type.Object({
      citizenId: Type.String(),
      name: Type.String(),
      phone: Type.Union([Type.Null(), Type.String()]),
      role: Type.Union([Type.Literal('driver'), Type.Literal('assistant')]),
    }),
  ),
  originZone: Type.String(),
  destinationZone: Type.String(),
  routeCheckpoints: Type.Array(Type.Integer()),
  routeProvinces: Type.Array(Type.Integer()),
  permittedStops: Type.Union([Type.Null(), Type.String()]),
  validFrom: Type.Integer(),
  validTo: Type.Union([Type.Null(), Type.Integer()]),
  direction: Type.Union([Type.Literal('both'), Type.Literal('entry'), Type.Literal('exit')]),
  maxStayHours: Type.Integer(),
  issuingProvince: Type.Integer(),
  issuedAt: Type.Integer(),
  /** the printed code of the current version */
  code: Type.String(),
  createdAt: Type.Integer(),
  createdBy: Type.String(),
  updatedAt: Type.Integer(),
  updatedBy: Type.String(),
});
export type PassView = Static<typeof PassViewSchema>;

export const PassSearchSchema = Type.Object(
  {
    plate: Type.Optional(Type.String({ minLength: 1, maxLength: 12 })),
    citizenId: Type.Optional(CitizenId),
    /** part of a plate, a company, a crew member's name, or a citizen id */
    q: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    status: Type.Optional(PassStatus),
    /** passes whose fixed end falls within this many days from now */
    expiringDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 366 })),
    sort: Type.Optional(Type.Union([Type.Literal('id'), Type.Literal('plate'), Type.Literal('validTo'), Type.Literal('updatedAt')])),
    order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')])),
    offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000_000 })),
    province: Type.Optional(Province),
    /** keyset paging: pass ids below this one (results are newest first) */
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  },
  { additionalProperties: false },
);
export type PassSearch = Static<typeof PassSearchSchema>;
