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

// A name needs at least one visible letter: Latin letters with Vietnamese (precomposed) and other
// accented forms. A name made only of spaces, controls, zero-width or direction marks has none. Other
// characters beside the letters are kept as written (and escaped wherever shown). BMP ranges, no
// lookahead: the same meaning with and without the regex 'u' flag, and fuzzers can generate from it.
const LETTER = 'A-Za-z\\u00C0-\\u024F\\u1E00-\\u1EFF';
export const PERSON_NAME_PATTERN = `^[^${LETTER}]*[${LETTER}][\\s\\S]*$`;
/** What people enter as a name (issuing, imports); stored names in feeds keep the plain `PersonName`. */
export const PersonNameInput = Type.String({ minLength: 1, maxLength: 120, pattern: PERSON_NAME_PATTERN, description: 'a name with visible letters' });

export const Sha256Hex = Type.String({ pattern: '^[0-9a-f]{64}$' });
