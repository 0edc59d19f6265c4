import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Direction, LaneId } from '../../shared/contracts/common.js';

/** Honeywell host-ACK mode: ESC 7 good read, ESC 8 bad read. Used when feedback is enabled without bytes. */
export const HOST_ACK_GOOD = '1b37';
export const HOST_ACK_BAD = '1b38';

const HexBytes = Type.String({ minLength: 2, maxLength: 128, pattern: '^([0-9a-fA-F]{2})+$', description: 'bytes as hex, e.g. 1b37' });

const suffixes = () => [Type.Literal('cr'), Type.Literal('lf'), Type.Literal('crlf'), Type.Literal('auto')];
const aimModes = () => [Type.Literal('none'), Type.Literal('optional'), Type.Literal('required')];
export const SuffixSchema = Type.Union(suffixes());
export type Suffix = Static<typeof SuffixSchema>;
export const AimModeSchema = Type.Union(aimModes());
export type AimMode = Static<typeof AimModeSchema>;

/** One scanner of a station, as written in the station's config file (defaults filled by `withScannerDefaults`). */
export const ScannerConfigSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
    /** Prefer the stable /dev/serial/by-id/... link over /dev/ttyACM0. */
    path: Type.String({ minLength: 1, maxLength: 300 }),
    baudRate: Type.Optional(Type.Integer({ minimum: 50, maximum: 4_000_000, default: 9600 })),
    suffix: Type.Optional(Type.Union(suffixes(), { default: 'auto' })),
    aim: Type.Optional(Type.Union(aimModes(), { default: 'optional' })),
    /** AIM symbology letters accepted (']Q1' is QR: 'Q'); empty accepts any. */
    allowedSymbologies: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9]$' }), { maxItems: 32, default: ['Q'] })),
    maxLineLength: Type.Optional(Type.Integer({ minimum: 16, maximum: 65_536, default: 1024 })),
    debounceMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, default: 1500 })),
    lane: LaneId,
    direction: Direction,
    /** Good/bad-read host commands; `{}` enables Honeywell host ACK (ESC 7 / ESC 8); null disables. */
    feedback: Type.Optional(
      Type.Union([Type.Object({ good: Type.Optional(HexBytes), bad: Type.Optional(HexBytes) }, { additionalProperties: false }), Type.Null()], { default: null }),
    ),
    reopen: Type.Optional(
      Type.Object(
        { minMs: Type.Integer({ minimum: 10, maximum: 60_000 }), maxMs: Type.Integer({ minimum: 10, maximum: 600_000 }) },
        { additionalProperties: false, default: { minMs: 100, maxMs: 5000 } },
      ),
    ),
  },
  { additionalProperties: false },
);
export type ScannerConfigInput = Static<typeof ScannerConfigSchema>;

/** A scanner's config with every default applied; what the scanner classes take. */
export interface ScannerConfig {
  readonly id: string;
  readonly path: string;
  readonly baudRate: number;
  readonly suffix: Suffix;
  readonly aim: AimMode;
  readonly allowedSymbologies: readonly string[];
  readonly maxLineLength: number;
  readonly debounceMs: number;
  readonly lane: string;
  readonly direction: 'entry' | 'exit';
  readonly feedback: { readonly good: string; readonly bad: string } | null;
  readonly reopen: { readonly minMs: number; readonly maxMs: number };
}

export class ScannerConfigError extends Error {
  readonly code = 'INVALID_SCANNER_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'ScannerConfigError';
  }
}

/** Fill defaults of an already validated input. */
export function withScannerDefaults(input: ScannerConfigInput): ScannerConfig {
  const fb = input.feedback ?? null;
  return {
    id: input.id,
    path: input.path,
    baudRate: input.baudRate ?? 9600,
    suffix: input.suffix ?? 'auto',
    aim: input.aim ?? 'optional',
    allowedSymbologies: input.allowedSymbologies ?? ['Q'],
    maxLineLength: input.maxLineLength ?? 1024,
    debounceMs: input.debounceMs ?? 1500,
    lane: input.lane,
    direction: input.direction,
    feedback: fb === null ? null : { good: (fb.good ?? HOST_ACK_GOOD).toLowerCase(), bad: (fb.bad ?? HOST_ACK_BAD).toLowerCase() },
    reopen: input.reopen ?? { minMs: 100, maxMs: 5000 },
  };
}

/** Validate one scanner entry; the error names the field (`where` prefixes it, e.g. `scanners[1]`). */
export function parseScannerConfig(input: unknown, where = 'scanner'): ScannerConfig {
  if (!Value.Check(ScannerConfigSchema, input)) {
    const first = Value.Errors(ScannerConfigSchema, input).First();
    const field = first?.path ? first.path.replace(/^\//, '').replace(/\//g, '.') : '';
    throw new ScannerConfigError(`${where}${field ? '.' + field : ''}: ${first?.message ?? 'invalid'}`);
  }
  const config = withScannerDefaults(input);
  if (config.reopen.minMs > config.reopen.maxMs) throw new ScannerConfigError(`${where}.reopen: minMs is greater than maxMs`);
  return config;
}
