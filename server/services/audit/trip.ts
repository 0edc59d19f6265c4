/**
 * A vehicle's journey across provinces, built from its ALLOWed crossings: "vào Long An tại chốt X
 * lúc …, ra tại chốt Y …, vào TP. Hồ Chí Minh tại Z …". Pure: the crossings and the clock come in,
 * the legs come out, so the rules are tested without a database.
 *
 * A leg is one stay in one province, from an entry to the next exit in that province. Checkpoints do
 * not always record both ends (a road without a checkpoint, an exit lane not staffed), so a leg may
 * have only one end; the leg then says which end was not recorded rather than inventing it.
 */

export interface TripCrossing {
  stationId: string;
  seq: number;
  /** the province of the checkpoint (not of the pass) */
  province: number;
  checkpointId: number;
  direction: 'entry' | 'exit';
  at: number;
  passId: number | null;
  passProvince: number | null;
  plate: string | null;
}

export type LegState =
  /** entered and left, both recorded */
  | 'left'
  /** entered, no exit yet, nothing seen since elsewhere */
  | 'inside'
  /** entered, then seen entering elsewhere with no exit recorded here */
  | 'exit-not-recorded'
  /** an exit with no entry recorded before it */
  | 'entry-not-recorded';

export interface TripLeg {
  province: number;
  entry: TripCrossing | null;
  exit: TripCrossing | null;
  state: LegState;
  /** inside past the province's transit allowance (only for 'inside') */
  overdue: boolean;
  /** when an 'inside' leg must end by: entry time + the province's allowance */
  dueAt: number | null;
}

export interface TripOptions {
  now: number;
  /** hours the vehicle may stay in the province it entered with `entry` (its transit allowance) */
  allowanceHours: (province: number, entry: TripCrossing) => number;
}

const HOUR = 3_600_000;

const byTime = (a: TripCrossing, b: TripCrossing) => a.at - b.at || a.stationId.localeCompare(b.stationId) || a.seq - b.seq;

/**
 * Legs in time order (by the time they began: entry, or exit when no entry was recorded). A repeated
 * entry at the same checkpoint with no exit between is one arrival read twice, not a new leg.
 */
export function buildTrip(crossings: readonly TripCrossing[], opts: TripOptions): TripLeg[] {
  const legs: TripLeg[] = [];
  const open = new Map<number, TripLeg>();
  for (const c of [...crossings].sort(byTime)) {
    const here = open.get(c.province);
    if (c.direction === 'entry') {
      if (here && here.entry?.checkpointId === c.checkpointId) continue;
      // Entering anywhere means every open stay ended unrecorded (or the pass is a clone: the
      // clone detector raises that; the trip shows what was recorded).
      for (const [p, leg] of open) {
        leg.state = 'exit-not-recorded';
        open.delete(p);
      }
      const leg: TripLeg = { province: c.province, entry: c, exit: null, state: 'inside', overdue: false, dueAt: null };
      legs.push(leg);
      open.set(c.province, leg);
    } else if (here) {
      here.exit = c;
      here.state = 'left';
      open.delete(c.province);
    } else {
      legs.push({ province: c.province, entry: null, exit: c, state: 'entry-not-recorded', overdue: false, dueAt: null });
    }
  }
  for (const leg of open.values()) {
    leg.dueAt = leg.entry!.at + opts.allowanceHours(leg.province, leg.entry!) * HOUR;
    leg.overdue = leg.dueAt < opts.now;
  }
  return legs;
}

/** The provinces a trip went through, in order of first arrival. */
export function provincesOf(legs: readonly TripLeg[]): number[] {
  return [...new Set(legs.map((l) => l.province))];
}
