import { Type, type Static, type TObject, type TProperties } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { Direction, LaneId } from '../../shared/contracts/common.js';
import { SCANNER_KINDS, type ScannerKind } from '../../shared/contracts/heartbeat.js';

/** Honeywell host-ACK mode: ESC 7 good read, ESC 8 bad read. Used when feedback is enabled without bytes. */
export const HOST_ACK_GOOD = '1b37';
export const HOST_ACK_BAD = '1b38';

/**
 * How a scanner reaches the station:
 * - `serial`: a USB virtual COM port or RS-232 device (or a socat pty), read by the station;
 * - `evdev`: a USB keyboard-wedge scanner read by the station from /dev/input (headless lanes);
 * - `screen`: a keyboard-wedge scanner plugged into the PC or tablet showing the officer screen,
 *   captured by the page from physical key codes and posted to the station;
 * - `camera`: the tablet's or laptop's camera on the officer screen, decoded in the page.
 */
export { SCANNER_KINDS, type ScannerKind };

const HexBytes = Type.String({ minLength: 2, maxLength: 128, pattern: '^([0-9a-fA-F]{2})+$', description: 'bytes as hex, e.g. 1b37' });

const suffixes = () => [Type.Literal('cr'), Type.Literal('lf'), Type.Literal('crlf'), Type.Literal('auto')];
const aimModes = () => [Type.Literal('none'), Type.Literal('optional'), Type.Literal('required')];
export const SuffixSchema = Type.Union(suffixes());
export type Suffix = Static<typeof SuffixSchema>;
export const AimModeSchema = Type.Union(aimModes());
export type AimMode = Static<typeof AimModeSchema>;
/** The key a keyboard-wedge scanner types after a code: Enter, Tab, or either. */
export const KeySuffixSchema = Type.Union([Type.Literal('enter'), Type.Literal('tab'), Type.Literal('any')]);
export type KeySuffix = Static<typeof KeySuffixSchema>;

const Reopen = () =>
  Type.Optional(
    Type.Object(
      { minMs: Type.Integer({ minimum: 10, maximum: 60_000 }), maxMs: Type.Integer({ minimum: 10, maximum: 600_000 }) },
      { additionalProperties: false, default: { minMs: 100, maxMs: 5000 } },
    ),
  );

/** What every kind has: identity, lane binding, what a read may look like, debounce. */
const common = () => ({
  id: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_.-]+$' }),
  kind: Type.Optional(Type.Union(SCANNER_KINDS.map((k) => Type.Literal(k)))),
  aim: Type.Optional(Type.Union(aimModes(), { default: 'optional' })),
  /** AIM symbology letters accepted (']Q1' is QR: 'Q'); empty accepts any. */
  allowedSymbologies: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Za-z0-9]$' }), { maxItems: 32, default: ['Q'] })),
  maxLineLength: Type.Optional(Type.Integer({ minimum: 16, maximum: 65_536, default: 1024 })),
  debounceMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, default: 1500 })),
  lane: LaneId,
  direction: Direction,
});
const entry = <P extends TProperties>(props: P): TObject<ReturnType<typeof common> & P> => Type.Object({ ...common(), ...props }, { additionalProperties: false });

/** One schema per kind: a field of another kind is refused by name (`scanners[2].baudRate`). */
export const SCANNER_SCHEMAS = {
  serial: entry({
    /** Prefer the stable /dev/serial/by-id/... link over /dev/ttyACM0. */
    path: Type.String({ minLength: 1, maxLength: 300 }),
    baudRate: Type.Optional(Type.Integer({ minimum: 50, maximum: 4_000_000, default: 9600 })),
    suffix: Type.Optional(Type.Union(suffixes(), { default: 'auto' })),
    /** Good/bad-read host commands; `{}` enables Honeywell host ACK (ESC 7 / ESC 8); null disables. */
    feedback: Type.Optional(
      Type.Union([Type.Object({ good: Type.Optional(HexBytes), bad: Type.Optional(HexBytes) }, { additionalProperties: false }), Type.Null()], { default: null }),
    ),
    reopen: Reopen(),
  }),
  evdev: entry({
    /** Prefer the stable /dev/input/by-id/usb-…-event-kbd link over /dev/input/eventN. */
    path: Type.String({ minLength: 1, maxLength: 300 }),
    keySuffix: Type.Optional(KeySuffixSchema),
    /** EVIOCGRAB: the scanner's keystrokes reach no other program (the desktop, a text field). */
    grab: Type.Optional(Type.Boolean({ default: true })),
    reopen: Reopen(),
  }),
  screen: entry({
    keySuffix: Type.Optional(KeySuffixSchema),
    /** longest gap between two keys of one scanner burst; a person's typing is slower */
    maxKeyGapMs: Type.Optional(Type.Integer({ minimum: 5, maximum: 200 })),
    /** a shorter burst is a person's quick keystrokes, not a code */
    minBurstLength: Type.Optional(Type.Integer({ minimum: 2, maximum: 512 })),
  }),
  camera: entry({
    facing: Type.Optional(Type.Union([Type.Literal('environment'), Type.Literal('user')])),
  }),
} as const;
export type ScannerConfigInput = Static<(typeof SCANNER_SCHEMAS)[ScannerKind]>;

/**
 * A scanner's config with every default applied; what the scanner classes take. One flat record for
 * every kind: fields a kind does not use hold neutral values (a screen scanner has no path, no host
 * commands; its reads are framed with CR because the page sends one payload a read).
 */
export interface ScannerConfig {
  readonly id: string;
  readonly kind: ScannerKind;
  /** the device path; '' for `screen` and `camera` */
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
  /** evdev and screen: which key ends a read */
  readonly keySuffix: KeySuffix;
  /** evdev: take the device exclusively */
  readonly grab: boolean;
  /** screen: burst detection */
  readonly maxKeyGapMs: number;
  readonly minBurstLength: number;
  /** camera: which camera the page asks for */
  readonly facing: 'environment' | 'user';
}

export class ScannerConfigError extends Error {
  readonly code = 'INVALID_SCANNER_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'ScannerConfigError';
  }
}

type AnyInput = Partial<Record<string, unknown>> & { id: string; lane: string; direction: 'entry' | 'exit' };

/** Fill defaults of an already validated input. */
export function withScannerDefaults(input: ScannerConfigInput): ScannerConfig {
  const i = input as AnyInput;
  const kind = (i.kind as ScannerKind | undefined) ?? 'serial';
  const fb = (i.feedback as { good?: string; bad?: string } | null | undefined) ?? null;
  return {
    id: i.id,
    kind,
    path: (i.path as string | undefined) ?? '',
    baudRate: (i.baudRate as number | undefined) ?? 9600,
    // Keyboard kinds turn Enter/Tab into CR before framing; the page sends one read at a time.
    suffix: kind === 'serial' ? ((i.suffix as Suffix | undefined) ?? 'auto') : 'cr',
    aim: (i.aim as AimMode | undefined) ?? 'optional',
    allowedSymbologies: (i.allowedSymbologies as string[] | undefined) ?? ['Q'],
    maxLineLength: (i.maxLineLength as number | undefined) ?? 1024,
    debounceMs: (i.debounceMs as number | undefined) ?? 1500,
    lane: i.lane,
    direction: i.direction,
    feedback: fb === null ? null : { good: (fb.good ?? HOST_ACK_GOOD).toLowerCase(), bad: (fb.bad ?? HOST_ACK_BAD).toLowerCase() },
    reopen: (i.reopen as { minMs: number; maxMs: number } | undefined) ?? { minMs: 100, maxMs: 5000 },
    keySuffix: (i.keySuffix as KeySuffix | undefined) ?? 'any',
    grab: (i.grab as boolean | undefined) ?? true,
    maxKeyGapMs: (i.maxKeyGapMs as number | undefined) ?? 35,
    minBurstLength: (i.minBurstLength as number | undefined) ?? 8,
    facing: (i.facing as 'environment' | 'user' | undefined) ?? 'environment',
  };
}

/** Validate one scanner entry; the error names the field (`where` prefixes it, e.g. `scanners[1]`). */
export function parseScannerConfig(input: unknown, where = 'scanner'): ScannerConfig {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ScannerConfigError(`${where}: Expected object`);
  const kind = (input as { kind?: unknown }).kind ?? 'serial';
  if (typeof kind !== 'string' || !(SCANNER_KINDS as readonly string[]).includes(kind)) {
    throw new ScannerConfigError(`${where}.kind: must be one of ${SCANNER_KINDS.join(', ')} (got ${JSON.stringify(kind)})`);
  }
  const schema = SCANNER_SCHEMAS[kind as ScannerKind];
  if (!Value.Check(schema, input)) {
    const first = Value.Errors(schema, input).First();
    const field = first?.path ? first.path.replace(/^\//, '').replace(/\//g, '.') : '';
    // A field of another kind: say so, with the fields this kind has.
    if (first && /unexpected property/i.test(first.message)) {
      throw new ScannerConfigError(`${where}.${field}: not a field of a ${kind} scanner (its fields: ${Object.keys(schema.properties).join(', ')})`);
    }
    throw new ScannerConfigError(`${where}${field ? '.' + field : ''}: ${first?.message ?? 'invalid'}`);
  }
  const config = withScannerDefaults(input as ScannerConfigInput);
  if (config.reopen.minMs > config.reopen.maxMs) throw new ScannerConfigError(`${where}.reopen: minMs is greater than maxMs`);
  return config;
}
