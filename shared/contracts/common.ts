import { Type } from '@sinclair/typebox';

export const Millis = Type.Integer({ minimum: 0, maximum: 8_640_000_000_000, description: 'ms since epoch' });
export const CitizenId = Type.String({ pattern: '^(\\d{9}|\\d{12})$' });
export const Plate = Type.String({ minLength: 5, maxLength: 12, pattern: '^[0-9]{2}[A-Z]{1,2}[0-9]?-[0-9]{3}\\.?[0-9]{1,2}$' });
export const Zone = Type.String({ pattern: '^\\d{2}(-\\d{3})?$' });
export const Province = Type.Integer({ minimum: 1, maximum: 99 });
export const CheckpointId = Type.Integer({ minimum: 1, maximum: 65535 });
export const StationId = Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' });
export const LaneId = Type.String({ minLength: 1, maxLength: 32, pattern: '^[A-Za-z0-9_.-]+$' });
export const Direction = Type.Union([Type.Literal('entry'), Type.Literal('exit')]);
export const VerdictSchema = Type.Union([Type.Literal('ALLOW'), Type.Literal('DENY'), Type.Literal('REVIEW')]);
export const PersonName = Type.String({ minLength: 1, maxLength: 120 });
export const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$' });
