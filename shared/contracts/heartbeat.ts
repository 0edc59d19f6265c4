import { Type, type Static } from '@sinclair/typebox';
import { Direction, LaneId, Millis, StationId } from './common.js';

/** How a scanner reaches its station (station/scanner/config.ts describes each). */
export const SCANNER_KINDS = ['serial', 'evdev', 'screen', 'camera'] as const;
export type ScannerKind = (typeof SCANNER_KINDS)[number];

export const ScannerStateSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64 }),
    /** absent from stations older than the kinds (they had serial scanners only) */
    kind: Type.Optional(Type.Union(SCANNER_KINDS.map((k) => Type.Literal(k)))),
    lane: LaneId,
    direction: Direction,
    state: Type.Union([Type.Literal('connected'), Type.Literal('unplugged'), Type.Literal('opening'), Type.Literal('error')]),
    path: Type.String({ maxLength: 300 }),
    lastReadAt: Type.Union([Type.Null(), Millis]),
  },
  { additionalProperties: false },
);
export type ScannerState = Static<typeof ScannerStateSchema>;

export const HeartbeatSchema = Type.Object(
  {
    stationId: StationId,
    softwareVersion: Type.String({ minLength: 1, maxLength: 40 }),
    /** the station's clock when it sent this, ms since epoch */
    clock: Millis,
    cacheCursor: Type.Union([Type.Null(), Type.Integer({ minimum: 0 })]),
    cacheAgeMs: Type.Union([Type.Null(), Type.Integer({ minimum: 0 })]),
    outboxBacklog: Type.Integer({ minimum: 0 }),
    lastSeq: Type.Integer({ minimum: 0 }),
    scanners: Type.Array(ScannerStateSchema, { maxItems: 32 }),
  },
  { additionalProperties: false },
);
export type Heartbeat = Static<typeof HeartbeatSchema>;

export const HeartbeatAckSchema = Type.Object(
  { serverTime: Millis, clockSkewMs: Type.Integer() },
  { additionalProperties: false },
);
export type HeartbeatAck = Static<typeof HeartbeatAckSchema>;
