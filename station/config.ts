import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { publicKeyFromRaw } from '../shared/codes/keys.js';
import { CheckpointId, Province, StationId } from '../shared/contracts/common.js';
import { parseScannerConfig, ScannerConfigError, type ScannerConfig } from './scanner/config.js';
import { OfficerAccountSchema, type OfficerAccount } from './screen/officers.js';

/**
 * The station's config file (JSON), validated once at start. Scanner entries are checked by the
 * scanner module's own schema so that errors name `scanners[i].field`. No crossing window here: the
 * signed policy carries it.
 */
export const StationConfigSchema = Type.Object(
  {
    stationId: StationId,
    checkpointId: CheckpointId,
    province: Province,
    /** the province's root public key: raw Ed25519, base64url (43 chars) */
    rootPublicKey: Type.String({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]{43}$' }),
    /** where the station keeps its SQLite store; relative paths are from the config file's folder */
    dataDir: Type.String({ minLength: 1, maxLength: 500 }),
    /** each entry follows the schema of its `kind` (SCANNER_SCHEMAS in station/scanner/config.ts) */
    scanners: Type.Array(Type.Unknown(), { maxItems: 32 }),
    server: Type.Optional(
      Type.Object(
        {
          url: Type.String({ minLength: 8, maxLength: 500, pattern: '^https?://' }),
          credential: Type.String({ minLength: 1, maxLength: 500 }),
        },
        { additionalProperties: false },
      ),
    ),
    /** days personal data stays in the journal once the server has acknowledged it (default 30) */
    retentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 3650 })),
    /**
     * FULL (default): a shown verdict survives power loss (one fsync per decision). NORMAL: it survives
     * a killed process but the last commits may be lost on power loss; no fsync per decision.
     */
    journalSync: Type.Optional(Type.Union([Type.Literal('FULL'), Type.Literal('NORMAL')])),
    officerScreen: Type.Optional(
      Type.Object(
        {
          host: Type.String({ minLength: 1, maxLength: 255 }),
          port: Type.Integer({ minimum: 0, maximum: 65535 }),
          /** who may sign in on the screen; PINs as scrypt hashes (station/screen/hash-pin.ts) */
          officers: Type.Optional(Type.Array(OfficerAccountSchema, { maxItems: 500 })),
          /** a verdict dims to "waiting for the next vehicle" after this long (default 20 s) */
          verdictHoldSeconds: Type.Optional(Type.Integer({ minimum: 3, maximum: 600 })),
          /** the screen warns loudly when the server has been unreachable this long (default 120 s) */
          serverAlertSeconds: Type.Optional(Type.Integer({ minimum: 10, maximum: 86_400 })),
        },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false },
);
export const DEFAULT_RETENTION_DAYS = 30;

export type StationConfigInput = Static<typeof StationConfigSchema>;

export interface StationConfig {
  readonly stationId: string;
  readonly checkpointId: number;
  readonly province: number;
  readonly rootPublicKey: string;
  readonly rootKey: KeyObject;
  /** absolute */
  readonly dataDir: string;
  readonly scanners: readonly ScannerConfig[];
  readonly server: { readonly url: string; readonly credential: string } | null;
  /** days acknowledged journal records keep their personal fields (station/store purgePersonalData) */
  readonly retentionDays: number;
  readonly journalSync: 'FULL' | 'NORMAL';
  readonly officerScreen: {
    readonly host: string;
    readonly port: number;
    readonly officers: readonly OfficerAccount[];
    readonly verdictHoldSeconds?: number;
    readonly serverAlertSeconds?: number;
  } | null;
}

export class StationConfigError extends Error {
  readonly code = 'INVALID_STATION_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'StationConfigError';
  }
}

function fieldOf(path: string): string {
  return path.replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
}

/** Validate a parsed config object; `baseDir` resolves a relative dataDir. Errors name the field. */
export function parseStationConfig(input: unknown, baseDir = process.cwd()): StationConfig {
  if (!Value.Check(StationConfigSchema, input)) {
    const first = Value.Errors(StationConfigSchema, input).First();
    const field = first ? fieldOf(first.path) : '';
    throw new StationConfigError(`${field || 'config'}: ${first?.message ?? 'invalid'}`);
  }
  let rootKey: KeyObject;
  try {
    rootKey = publicKeyFromRaw(Buffer.from(input.rootPublicKey, 'base64url'));
  } catch (err) {
    throw new StationConfigError(`rootPublicKey: not an Ed25519 public key (${(err as Error).message})`);
  }
  const scanners = input.scanners.map((s, i) => {
    try {
      return parseScannerConfig(s, `scanners[${i}]`);
    } catch (err) {
      if (err instanceof ScannerConfigError) throw new StationConfigError(err.message);
      throw err;
    }
  });
  (input.officerScreen?.officers ?? []).forEach((o, i, all) => {
    const j = all.findIndex((x) => x.id === o.id);
    if (j < i) throw new StationConfigError(`officerScreen.officers[${i}].id: ${o.id} is already used by officerScreen.officers[${j}]`);
  });
  // Crossings are kept per lane, so a lane has one direction; two scanners may serve it.
  scanners.forEach((s, i) => {
    const j = scanners.findIndex((o) => o.id === s.id);
    if (j < i) throw new StationConfigError(`scanners[${i}].id: ${s.id} is already used by scanners[${j}]`);
    const k = scanners.findIndex((o) => o.lane === s.lane);
    if (k < i && scanners[k]!.direction !== s.direction) {
      throw new StationConfigError(`scanners[${i}].direction: lane ${s.lane} is already served as ${scanners[k]!.direction} by scanners[${k}]`);
    }
  });
  // Screen and camera reads come from the officer screen's page: without the screen they could never arrive.
  const onScreen = scanners.findIndex((s) => s.kind === 'screen' || s.kind === 'camera');
  if (onScreen >= 0 && !input.officerScreen) {
    throw new StationConfigError(`scanners[${onScreen}].kind: a ${scanners[onScreen]!.kind} scanner is read by the officer screen, and this config has no officerScreen`);
  }
  return Object.freeze({
    stationId: input.stationId,
    checkpointId: input.checkpointId,
    province: input.province,
    rootPublicKey: input.rootPublicKey,
    rootKey,
    dataDir: resolve(baseDir, input.dataDir),
    scanners: Object.freeze(scanners),
    server: input.server ? Object.freeze({ ...input.server }) : null,
    retentionDays: input.retentionDays ?? DEFAULT_RETENTION_DAYS,
    journalSync: input.journalSync ?? 'FULL',
    officerScreen: input.officerScreen ? Object.freeze({ ...input.officerScreen, officers: Object.freeze(input.officerScreen.officers ?? []) }) : null,
  });
}

/** Read and validate a config file. */
export function loadStationConfig(file: string): StationConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new StationConfigError(`cannot read config file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  let input: unknown;
  try {
    input = JSON.parse(text);
  } catch (err) {
    throw new StationConfigError(`config file ${file} is not valid JSON: ${(err as Error).message}`);
  }
  return parseStationConfig(input, dirname(resolve(file)));
}
