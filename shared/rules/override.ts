import type { Crossing } from './crossing.js';
import type { Verdict } from './reasons.js';

export interface Override {
  verdict: Verdict;
  officer: string;
  /** the officer's written reason; required, because an override without one cannot be audited */
  note: string;
}

/** An officer's manual verdict on a crossing. The original reasons stay, so the audit shows both. */
export function applyOverride(c: Crossing, o: Override): Crossing {
  if (o.note.trim().length < 3) throw new Error('an override needs a written reason');
  if (o.officer.trim().length === 0) throw new Error('an override needs the officer');
  return { ...c, verdict: o.verdict, reasons: [...new Set([...c.reasons, 'OFFICER_OVERRIDE' as const])] };
}
