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
  { key: 'scannerId', column: 'scanner_id' },
  { key: 'crossingId', column: 'crossing_id' },
  { key: 'verdict', column: 'verdict' },
  { key: 'reasons', column: 'reasons', codec: REASONS_CODEC },
  { key: 'codeKind', column: 'code_kind' },
  { key: 'passId', column: 'pass_id' },
  { key: 'passProvince', column: 'pass_province' },
  { key: 'passVersion', column: 'pass_version' },
  { key: 'plate', column: 'plate' },
  { key: 'citizenId', column: 'citizen_id' },
  { key: 'payloadHash', column: 'payload_hash' },
  { key: 'officer', column: 'officer' },
  { key: 'note', column: 'note' },
  { key: 'policyVersion', column: 'policy_version' },
] as const satisfies readonly RecordField<keyof JournalRecord>[];

// A field added to the contract and not here (or here and not in the contract) fails the type check.
type Listed = (typeof JOURNAL_RECORD_FIELDS)[number]['key'];
const everyFieldListed: [Exclude<keyof JournalRecord, Listed>] extends [never] ? true : never = true;
void everyFieldListed;
