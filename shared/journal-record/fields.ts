import type { JournalRecord } from '../contracts/journal.js';
import type { ReasonCode } from '../rules/reasons.js';
import { decodeReasons, encodeReasons } from './reasons-text.js';

/** How a field's value is written into its column and read back, when the two differ. */
export interface ColumnCodec {
  encode(value: unknown): unknown;
  decode(stored: unknown): unknown;
}

/** One field of a stored record: its name on the wire (and in TypeScript) and its column's name. */
export interface RecordField<K extends string = string> {
  readonly key: K;
  readonly column: string;
  readonly codec?: ColumnCodec;
  /** names or links to a person: retention clears it (station and server alike) once the record is old */
  readonly personal?: true;
}

export const REASONS_CODEC: ColumnCodec = {
  encode: (v) => encodeReasons(v as readonly ReasonCode[]),
  decode: (s) => decodeReasons(s as string),
};

/**
 * The journal record's one definition of storage: every field of the wire contract
 * (shared/contracts/journal.ts) with the column that holds it, in the contract's order. The station's
 * journal table and the server's (both engines) hold these columns under these names; their own extra
 * columns (the server's received time, checkpoint, province, hash check; either side's purge time)
 * are listed beside their tables. Column lists, row readers and insert statements are derived from
 * this list (sql-lists.ts), and test/shared/journal-record checks every table against it.
 */
export const JOURNAL_RECORD_FIELDS = [
  { key: 'stationId', column: 'station_id' },
  { key: 'seq', column: 'seq' },
  { key: 'prevHash', column: 'prev_hash' },
  { key: 'hash', column: 'hash' },
  { key: 'at', column: 'at' },
  { key: 'kind', column: 'kind' },
  { key: 'lane', column: 'lane' },
  { key: 'direction', column: 'direction' },
  { key: 'scannerId', column: 'scanner_id', personal: true },
  { key: 'crossingId', column: 'crossing_id', personal: true },
  { key: 'verdict', column: 'verdict' },
  { key: 'reasons', column: 'reasons', codec: REASONS_CODEC },
  { key: 'codeKind', column: 'code_kind' },
  { key: 'passId', column: 'pass_id', personal: true },
  { key: 'passProvince', column: 'pass_province' },
  { key: 'passVersion', column: 'pass_version', personal: true },
  { key: 'plate', column: 'plate', personal: true },
  { key: 'citizenId', column: 'citizen_id', personal: true },
  { key: 'payloadHash', column: 'payload_hash', personal: true },
  { key: 'officer', column: 'officer', personal: true },
  { key: 'note', column: 'note', personal: true },
  { key: 'policyVersion', column: 'policy_version' },
] as const satisfies readonly RecordField<keyof JournalRecord>[];

/**
 * What retention clears: every field that names or links to a person. The plate and pass id go too:
 * through the pass they name its crew. Kept: station, seq, time, lane, direction, kind, verdict,
 * reasons, code kind, policy version, the pass's province and both hashes, so counts still add up and
 * the chain's links can still be walked.
 */
export const PERSONAL_COLUMNS: readonly string[] = JOURNAL_RECORD_FIELDS.filter((f) => 'personal' in f).map((f) => f.column);

// A field added to the contract and not here (or here and not in the contract) fails the type check.
type Listed = (typeof JOURNAL_RECORD_FIELDS)[number]['key'];
const everyFieldListed: [Exclude<keyof JournalRecord, Listed>] extends [never] ? true : never = true;
void everyFieldListed;
