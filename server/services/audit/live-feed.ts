import type { CrossingRow } from './repository.js';

/** One vehicle (or walk-in) crossing as the live feed shows it: the crossing's verdict and who was scanned in it. */
export interface VehicleCrossing extends CrossingRow {
  crew: { citizenId: string; verdict: string; reasons: string[] }[];
}

export interface CheckpointTotals {
  checkpointId: number;
  allow: number;
  deny: number;
  review: number;
  total: number;
}

/**
 * The crossing records (kind 'crossing', newest first as given) each with the people scanned in it:
 * the scans of the same station and crossing id that carry a citizen id, in the station's order.
 */
export function withCrew(crossings: readonly CrossingRow[], sameCrossing: (c: CrossingRow) => readonly CrossingRow[]): VehicleCrossing[] {
  return crossings.map((c) => {
    const scans = c.crossingId === null || c.kind !== 'crossing' ? [] : sameCrossing(c).filter((r) => r.kind === 'scan' && r.citizenId !== null);
    const crew = scans.sort((a, b) => a.seq - b.seq).map((r) => ({ citizenId: r.citizenId!, verdict: r.verdict, reasons: r.reasons }));
    // a walk-in's crossing carries its own citizen id and no scans of others
    if (crew.length === 0 && c.citizenId !== null && c.kind === 'crossing') crew.push({ citizenId: c.citizenId, verdict: c.verdict, reasons: c.reasons });
    return { ...c, crew };
  });
}

/** Rows of (checkpoint, verdict, n) folded into one line per checkpoint. */
export function totalsByCheckpoint(rows: readonly { checkpointId: number; verdict: string; n: number }[]): CheckpointTotals[] {
  const by = new Map<number, CheckpointTotals>();
  for (const r of rows) {
    const t = by.get(r.checkpointId) ?? { checkpointId: r.checkpointId, allow: 0, deny: 0, review: 0, total: 0 };
    if (r.verdict === 'ALLOW') t.allow += r.n;
    else if (r.verdict === 'DENY') t.deny += r.n;
    else t.review += r.n;
    t.total += r.n;
    by.set(r.checkpointId, t);
  }
  return [...by.values()].sort((a, b) => a.checkpointId - b.checkpointId);
}
