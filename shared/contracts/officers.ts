import { Type, type Static } from '@sinclair/typebox';
import { PIN_HASH_PATTERN } from '../auth/pin-hash.js';

/**
 * Checkpoint officers as a province admin manages them on the server and as the province's stations
 * receive them: the badge id, the name, and the PIN only as a scrypt hash. A disabled officer is sent
 * too, so a station ends their sessions.
 */
export const OfficerId = Type.String({ minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9_.-]+$' });

export const StationOfficerSchema = Type.Object(
  {
    /** the officer's badge or staff number, typed at sign-in and written into override records */
    id: OfficerId,
    name: Type.String({ minLength: 1, maxLength: 100 }),
    pinHash: Type.String({ maxLength: 300, pattern: PIN_HASH_PATTERN }),
    disabled: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type StationOfficer = Static<typeof StationOfficerSchema>;

/**
 * `GET /api/v1/station/officers?since=<version>`: the station's province's officers. `officers` is null
 * when nothing changed since `since` (the station keeps what it has).
 */
export const StationOfficersSchema = Type.Object(
  {
    version: Type.Integer({ minimum: 0 }),
    officers: Type.Union([Type.Null(), Type.Array(StationOfficerSchema, { maxItems: 5000 })]),
  },
  { additionalProperties: false },
);
export type StationOfficers = Static<typeof StationOfficersSchema>;
