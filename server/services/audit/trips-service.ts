import { passRef, type PassIdentity } from '../../../shared/codes/pass-ref.js';
import { UnauthorizedError, ValidationError } from '../../domain-errors.js';
import type { AccessLogService, Reader } from '../access-log/service.js';
import type { ProvinceFilter } from './filters.js';
import type { AuditRepository } from './repository.js';
import { buildTrip, provincesOf, type LegState, type TripCrossing } from './trip.js';

export type TripSubject = { pass: PassIdentity } | { plate: string };

/** One end of a leg. Outside the reader's provinces only the province and the time are shown. */
export interface TripPoint {
  at: number;
  checkpointId: number | null;
  stationId: string | null;
  passRef: string | null;
  plate: string | null;
}

export interface TripLegView {
  province: number;
  state: LegState;
  /** false: a leg in a province outside the reader's; its checkpoints are not shown */
  detailed: boolean;
  entry: TripPoint | null;
  exit: TripPoint | null;
  overdue: boolean;
  dueAt: number | null;
}

export interface TripView {
  passes: string[];
  plates: string[];
  /** provinces in order of first arrival */
  provinces: number[];
  legs: TripLegView[];
  /** older crossings than the first leg exist in the range but were left out */
  truncated: boolean;
  from: number;
  to: number;
}

export interface TripsOptions {
  clock: () => number;
  defaultMaxStayHours: number;
  transitHours: ReadonlyMap<number, number>;
  retentionDays: number;
}

const DAY = 86_400_000;
const MAX_SPAN = 93 * DAY;
export const TRIP_LIMIT = 500;

/**
 * Trips across provinces for the command center: a vehicle's crossings at every province's checkpoints
 * as legs (trip.ts). A reader sees the trips that touch their provinces: the legs there in full, and
 * elsewhere only which province and when. The read is written to the access log.
 */
export class TripsService {
  constructor(private readonly repo: AuditRepository, private readonly accessLog: AccessLogService, private readonly opts: TripsOptions) {}

  async trip(reader: Reader, subject: TripSubject, provinces: ProvinceFilter, range: { from?: number | undefined; to?: number | undefined } = {}): Promise<TripView> {
    if (!reader.user) throw new UnauthorizedError('trips need a signed-in person', 'Cần đăng nhập');
    const to = range.to ?? this.opts.clock() + 1;
    const from = range.from ?? to - this.opts.retentionDays * DAY;
    if (to < from || to - from > MAX_SPAN) {
      throw new ValidationError('time range must be forward and at most 93 days', 'Khoảng thời gian phải hợp lệ và không quá 93 ngày');
    }
    await this.accessLog.record(reader, 'pass' in subject
      ? { action: 'trip', subjectType: 'pass', subjectId: passRef(subject.pass.issuingProvince, subject.pass.passId) }
      : { action: 'trip', subjectType: 'vehicle', subjectId: subject.plate });
    const newestFirst = await this.repo.tripCrossings(subject, { from, to }, TRIP_LIMIT + 1);
    const truncated = newestFirst.length > TRIP_LIMIT;
    const crossings = newestFirst.slice(0, TRIP_LIMIT).reverse();
    const mine = (p: number) => provinces === 'all' || provinces.includes(p);
    // a trip that never touched the reader's provinces is not theirs to see
    if (!crossings.some((c) => mine(c.province))) return { passes: [], plates: [], provinces: [], legs: [], truncated: false, from, to };

    const refs = new Map<string, PassIdentity>();
    for (const c of crossings) if (c.passId !== null && c.passProvince !== null) refs.set(passRef(c.passProvince, c.passId), { issuingProvince: c.passProvince, passId: c.passId });
    const stay = await this.repo.passStayHours([...refs.values()]);
    const allowanceHours = (province: number, entry: TripCrossing) => {
      const pass = entry.passId !== null && entry.passProvince !== null ? stay.get(passRef(entry.passProvince, entry.passId)) : undefined;
      const here = this.opts.transitHours.get(province);
      return Math.min(pass ?? here ?? this.opts.defaultMaxStayHours, here ?? pass ?? this.opts.defaultMaxStayHours);
    };
    const legs = buildTrip(crossings, { now: this.opts.clock(), allowanceHours });
    const point = (c: TripCrossing | null, detailed: boolean): TripPoint | null => c && {
      at: c.at,
      checkpointId: detailed ? c.checkpointId : null,
      stationId: detailed ? c.stationId : null,
      passRef: c.passId !== null && c.passProvince !== null ? passRef(c.passProvince, c.passId) : null,
      plate: c.plate,
    };
    return {
      passes: [...refs.keys()],
      plates: [...new Set(crossings.flatMap((c) => (c.plate ? [c.plate] : [])))],
      provinces: provincesOf(legs),
      legs: legs.map((l) => {
        const detailed = mine(l.province);
        return { province: l.province, state: l.state, detailed, entry: point(l.entry, detailed), exit: point(l.exit, detailed), overdue: l.overdue, dueAt: l.dueAt };
      }),
      truncated,
      from,
      to,
    };
  }
}
