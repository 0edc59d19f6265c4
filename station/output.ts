import type { CrossingClosedEvent, VerdictEvent } from './engine/engine.js';

/** Stdout lines of `npm run station`: one JSON object per verdict or closed crossing. */

/** A verdict without the journal records themselves (seq, seqs and hash identify them). */
export function verdictLine(v: VerdictEvent): string {
  const { records, crossing, closed, ...rest } = v;
  return JSON.stringify({
    ...rest,
    decideMs: Math.round(v.decideMs * 1000) / 1000,
    journalMs: Math.round(v.journalMs * 1000) / 1000,
    seqs: records.map((r) => r.seq),
    crossing: crossing && { id: crossing.id, state: crossing.state, verdict: crossing.verdict, reasons: crossing.reasons, closedBy: crossing.closedBy },
    closed: closed.map((c) => ({ id: c.id, verdict: c.verdict, reasons: c.reasons, closedBy: c.closedBy })),
  });
}

export function crossingLine(e: CrossingClosedEvent): string {
  const c = e.crossing;
  return JSON.stringify({
    type: 'crossing', seq: e.record.seq, hash: e.record.hash, at: e.record.at, lane: c.lane, direction: c.direction,
    crossingId: c.id, verdict: c.verdict, reasons: c.reasons, closedBy: c.closedBy,
  });
}
