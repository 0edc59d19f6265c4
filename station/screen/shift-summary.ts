import type { JournalRecord } from '../../shared/contracts/journal.js';
import type { Verdict } from '../../shared/rules/reasons.js';

export interface ShiftSummary {
  officer: { id: string; name: string };
  /** when the officer signed in, ms since epoch */
  since: number;
  /** crossings closed on this station during the shift, by the rules' verdict */
  crossings: Record<Verdict, number>;
  /** scans that could not be read */
  misreads: number;
  /** this officer's overrides during the shift, oldest first */
  overrides: { at: number; lane: string; plate: string | null; verdict: Verdict; note: string | null }[];
}

const MISREAD = new Set(['UNREADABLE', 'UNKNOWN_FORMAT', 'SYMBOLOGY_NOT_ALLOWED']);
const PAGE = 1000;

/**
 * The hand-over summary of one officer's shift, read from the station's journal (so it survives a
 * restart like the session does): every record after the seq the journal had at sign-in.
 */
export function shiftSummary(
  journalSince: (seq: number, limit: number) => JournalRecord[],
  session: { officer: { id: string; name: string }; startedAt: number; startSeq: number },
): ShiftSummary {
  const out: ShiftSummary = { officer: session.officer, since: session.startedAt, crossings: { ALLOW: 0, DENY: 0, REVIEW: 0 }, misreads: 0, overrides: [] };
  let seq = session.startSeq;
  for (;;) {
    const page = journalSince(seq, PAGE);
    for (const r of page) {
      if (r.kind === 'crossing') out.crossings[r.verdict] += 1;
      else if (r.kind === 'scan' && r.codeKind === 'none' && r.reasons.length > 0 && r.reasons.every((x) => MISREAD.has(x))) out.misreads += 1;
      else if (r.kind === 'override' && r.officer === session.officer.id) out.overrides.push({ at: r.at, lane: r.lane, plate: r.plate, verdict: r.verdict, note: r.note });
    }
    if (page.length < PAGE) return out;
    seq = page[page.length - 1]!.seq;
  }
}
