import { TypeCompiler } from '@sinclair/typebox/compiler';
import { JournalRecordSchema, type JournalRecord } from '../../../shared/contracts/journal.js';

// Compiled once at module load: a pure function of a constant schema, no I/O or config.
const checker = TypeCompiler.Compile(JournalRecordSchema);

export type RecordCheck = { ok: true; record: JournalRecord } | { ok: false; seq: number | null; message: string };

/** One record against the wire contract, with a message naming the first bad field. */
export function checkJournalRecord(value: unknown): RecordCheck {
  if (checker.Check(value)) {
    // PostgreSQL's text cannot hold a NUL; a station seals U+FFFD in its place (station/store/journal.ts)
    const nul = nulField(value);
    return nul === null ? { ok: true, record: value } : { ok: false, seq: value.seq, message: `/${nul}: text holds a NUL character (U+0000)` };
  }
  const seqValue = typeof value === 'object' && value !== null ? (value as { seq?: unknown }).seq : undefined;
  const seq = typeof seqValue === 'number' && Number.isSafeInteger(seqValue) ? seqValue : null;
  const first = checker.Errors(value).First();
  const message = first ? `${first.path || '/'}: ${first.message}` : 'record does not match the journal record schema';
  return { ok: false, seq, message };
}

/** Nesting kept when a rejected record is stored as sent; deeper parts are replaced by a marker. */
const MAX_KEPT_DEPTH = 16;

/**
 * The record as JSON text for quarantine, with nesting deeper than MAX_KEPT_DEPTH cut off: a value
 * nested 100,000 deep (JSON.parse takes it) would overflow the stack in JSON.stringify, turning one
 * bad record into a 500 for the whole batch. Recursion here stops at the depth limit.
 */
export function boundedJson(value: unknown): string {
  const cut = (v: unknown, depth: number): unknown => {
    if (typeof v !== 'object' || v === null) return v;
    if (depth >= MAX_KEPT_DEPTH) return '[nested too deep: cut]';
    if (Array.isArray(v)) return v.map((x) => cut(x, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = cut(x, depth + 1);
    return out;
  };
  return JSON.stringify(cut(value, 0)) ?? 'undefined';
}

/** The first text field of a record holding a NUL (U+0000), or null. A key loop: no entry arrays per record. */
function nulField(r: JournalRecord): string | null {
  const fields = r as unknown as Record<string, unknown>;
  for (const k in fields) {
    const v = fields[k];
    if (typeof v === 'string' && v.includes('\u0000')) return k;
  }
  return null;
}
