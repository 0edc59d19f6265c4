import { createHash } from 'node:crypto';
import type { DemoSeed } from '../../../demo/seed.js';
import { crossingScans } from '../../../hardware-sim/fixtures/issue-samples.js';
import type { JournalRecord } from '../../../shared/contracts/journal.js';

export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * A long stream of scans drawn from the seeded province: each vehicle's crossing (pass, driver,
 * a stranger where there is one, assistant) and each walk-in, shuffled per cycle with a seeded PRNG.
 * Every code occurs once per cycle, so a scan journaled twice could only match the stream by
 * skipping almost a whole cycle, far beyond the handful of reads a crash may lose.
 */
export function scanStream(seed: DemoSeed, count: number, random: () => number, reserved: readonly string[] = []): string[] {
  const units: string[][] = [
    ...seed.vehicles.map((v) => crossingScans(v)),
    ...seed.walkIns.filter((w) => !reserved.includes(w.code)).map((w) => [w.code]),
  ];
  const out: string[] = [];
  while (out.length < count) {
    const cycle = [...units];
    for (let i = cycle.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [cycle[i], cycle[j]] = [cycle[j]!, cycle[i]!];
    }
    for (const u of cycle) out.push(...u);
  }
  return out.slice(0, count);
}

export interface StreamMatch {
  /** scans written but never journaled (read by a station that died before deciding them) */
  lost: number;
  /** scan records whose payload is no code of the stream (a line cut by a crash) */
  fragments: number;
  /** journaled scans matched to the stream */
  matched: number;
  /** how far into the stream the journal reaches */
  consumed: number;
  /** null when the journal is the stream in order with only deletions; else what broke it */
  error: string | null;
}

/**
 * Match the journal's scan records (one scanner, seq order) against the stream written to it: the
 * journal must be the stream with some reads deleted, every journaled read in the stream's order.
 */
export function matchJournalToStream(records: readonly JournalRecord[], scannerId: string, written: readonly string[]): StreamMatch {
  const hashes = written.map(sha256);
  const known = new Set(hashes);
  let pos = 0;
  let lost = 0;
  let fragments = 0;
  let matched = 0;
  for (const r of records) {
    if (r.kind !== 'scan' || r.scannerId !== scannerId) continue;
    if (r.payloadHash === null || !known.has(r.payloadHash)) {
      fragments++;
      continue;
    }
    const at = hashes.indexOf(r.payloadHash, pos);
    if (at < 0) return { lost, fragments, matched, consumed: pos, error: `scan record seq ${r.seq} is not found after stream position ${pos} (a duplicate or out of order)` };
    lost += at - pos;
    pos = at + 1;
    matched++;
  }
  return { lost, fragments, matched, consumed: pos, error: null };
}
