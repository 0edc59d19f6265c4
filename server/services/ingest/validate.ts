import { TypeCompiler } from '@sinclair/typebox/compiler';
import { JournalRecordSchema, type JournalRecord } from '../../../shared/contracts/journal.js';

// Compiled once at module load: a pure function of a constant schema, no I/O or config.
const checker = TypeCompiler.Compile(JournalRecordSchema);

export type RecordCheck = { ok: true; record: JournalRecord } | { ok: false; seq: number | null; message: string };

/** One record against the wire contract, with a message naming the first bad field. */
export function checkJournalRecord(value: unknown): RecordCheck {
  if (checker.Check(value)) return { ok: true, record: value };
  const seqValue = typeof value === 'object' && value !== null ? (value as { seq?: unknown }).seq : undefined;
  const seq = typeof seqValue === 'number' && Number.isSafeInteger(seqValue) ? seqValue : null;
  const first = checker.Errors(value).First();
  const message = first ? `${first.path || '/'}: ${first.message}` : 'record does not match the journal record schema';
  return { ok: false, seq, message };
}
