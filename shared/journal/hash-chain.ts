import * as crypto from 'node:crypto';
import type { JournalRecord } from '../contracts/journal.js';

export const GENESIS_HASH = '0'.repeat(64);

// One-shot crypto.hash (Node >= 20.12) skips the Hash object: ~1 µs less per record at ingest.
const sha256hex: (input: string) => string =
  typeof crypto.hash === 'function'
    ? (input) => crypto.hash('sha256', input, 'hex')
    : (input) => crypto.createHash('sha256').update(input).digest('hex');

/**
 * The hash of a journal record: SHA-256 over a fixed-order JSON array of every field but `hash`.
 * Fixed order (not key sorting) keeps it fast enough for ingest at 100k records/s and unambiguous.
 */
export function journalHash(r: Omit<JournalRecord, 'hash'>): string {
  const fields: unknown[] = [
    r.stationId, r.seq, r.prevHash, r.at, r.kind, r.lane, r.direction, r.scannerId, r.crossingId,
    r.verdict, r.reasons, r.codeKind, r.passId, r.passVersion, r.plate, r.citizenId, r.payloadHash,
    r.officer, r.note, r.policyVersion,
  ];
  // Added later, so appended only when set: a record journaled before it existed keeps its hash.
  if (r.passProvince !== null) fields.push(r.passProvince);
  return sha256hex(JSON.stringify(fields));
}

export function sealRecord(r: Omit<JournalRecord, 'hash'>): JournalRecord {
  return { ...r, hash: journalHash(r) };
}

/**
 * The record that follows `prevHash` as `seq`: a draft sealed into the chain. Built field by field: a
 * spread of a record this wide makes a dictionary-mode object (about 1.8 KB and 3 µs, where this is
 * 0.25 KB and 0.2 µs), and the station seals one or two on every scan.
 */
export function sealNext(d: Omit<JournalRecord, 'hash' | 'seq' | 'prevHash'>, seq: number, prevHash: string): JournalRecord {
  const r = chainRecord(d, seq, prevHash, '');
  r.hash = journalHash(r);
  return r;
}

/** A draft at `seq` in the chain with its hash already known (a record read back, not sealed again). */
export function chainRecord(d: Omit<JournalRecord, 'hash' | 'seq' | 'prevHash'>, seq: number, prevHash: string, hash: string): JournalRecord {
  return {
    stationId: d.stationId, seq, prevHash, hash, at: d.at, kind: d.kind, lane: d.lane, direction: d.direction,
    scannerId: d.scannerId, crossingId: d.crossingId, verdict: d.verdict, reasons: d.reasons, codeKind: d.codeKind,
    passId: d.passId, passProvince: d.passProvince, passVersion: d.passVersion, plate: d.plate, citizenId: d.citizenId,
    payloadHash: d.payloadHash, officer: d.officer, note: d.note, policyVersion: d.policyVersion,
  };
}

export type ChainCheck = { ok: true } | { ok: false; seq: number; message: string };

/** Check records in seq order against each other and the hash of the record before the first. */
export function checkChain(records: readonly JournalRecord[], prevHash: string | null): ChainCheck {
  let expected = prevHash;
  for (const r of records) {
    if (journalHash(r) !== r.hash) return { ok: false, seq: r.seq, message: 'record hash does not match its content' };
    if (expected !== null && r.prevHash !== expected) return { ok: false, seq: r.seq, message: 'prevHash does not match the previous record' };
    expected = r.hash;
  }
  return { ok: true };
}
