import { describe, expect, it } from 'vitest';
import { buildTrip, provincesOf, type TripCrossing } from '../../../server/services/audit/trip.js';

const HOUR = 3_600_000;
const T0 = Date.UTC(2021, 6, 30, 1);
let seq = 0;
/** A crossing of pass 79-17 at checkpoint `checkpointId` of `province`, `h` hours after T0. */
const at = (province: number, checkpointId: number, direction: 'entry' | 'exit', h: number): TripCrossing => ({
  stationId: `st-${checkpointId}`, seq: ++seq, province, checkpointId, direction, at: T0 + h * HOUR, passId: 17, passProvince: 79, plate: '51C-123.45',
});
const opts = (nowH: number, hours: Record<number, number> = {}) => ({ now: T0 + nowH * HOUR, allowanceHours: (p: number) => hours[p] ?? 24 });
const shape = (legs: ReturnType<typeof buildTrip>) => legs.map((l) => [l.province, l.entry?.checkpointId ?? null, l.exit?.checkpointId ?? null, l.state]);

describe('trip legs from crossings', () => {
  it('reads Long An then Ho Chi Minh City as two legs: entered, left, entered and still inside', () => {
    const legs = buildTrip([at(80, 8001, 'entry', 0), at(80, 8002, 'exit', 2), at(79, 7901, 'entry', 3)], opts(4));
    expect(shape(legs)).toEqual([[80, 8001, 8002, 'left'], [79, 7901, null, 'inside']]);
    expect(provincesOf(legs)).toEqual([80, 79]);
    expect(legs[1]).toMatchObject({ overdue: false, dueAt: T0 + 27 * HOUR });
  });

  it('orders by station time whatever order the crossings came in', () => {
    const shuffled = [at(79, 7901, 'entry', 3), at(80, 8001, 'entry', 0), at(80, 8002, 'exit', 2)];
    expect(shape(buildTrip(shuffled, opts(4)))).toEqual([[80, 8001, 8002, 'left'], [79, 7901, null, 'inside']]);
  });

  it('says an exit was not recorded when the vehicle turns up entering another province', () => {
    const legs = buildTrip([at(80, 8001, 'entry', 0), at(79, 7901, 'entry', 3), at(79, 7902, 'exit', 5)], opts(6));
    expect(shape(legs)).toEqual([[80, 8001, null, 'exit-not-recorded'], [79, 7901, 7902, 'left']]);
    // a stay that ended unrecorded is not overdue: the vehicle was seen elsewhere
    expect(legs[0]!.overdue).toBe(false);
  });

  it('says an entry was not recorded for an exit with no entry before it', () => {
    expect(shape(buildTrip([at(80, 8002, 'exit', 1), at(79, 7901, 'entry', 2)], opts(3)))).toEqual([[80, null, 8002, 'entry-not-recorded'], [79, 7901, null, 'inside']]);
  });

  it('takes an entry read twice at the same checkpoint as one arrival', () => {
    const legs = buildTrip([at(79, 7901, 'entry', 0), at(79, 7901, 'entry', 0.01), at(79, 7901, 'exit', 1)], opts(2));
    expect(shape(legs)).toEqual([[79, 7901, 7901, 'left']]);
    expect(legs[0]!.entry!.at).toBe(T0);
  });

  it('marks a stay overdue by its own province\'s allowance, not another\'s', () => {
    const crossings = [at(80, 8001, 'entry', 0), at(80, 8002, 'exit', 1), at(79, 7901, 'entry', 2)];
    // 79 allows 24 h, 80 allows 6 h: 10 h inside 79 is not overdue
    expect(buildTrip(crossings, opts(12, { 80: 6, 79: 24 }))[1]).toMatchObject({ state: 'inside', overdue: false });
    // 79 allows 8 h: overdue, due 8 h after its entry
    expect(buildTrip(crossings, opts(12, { 80: 48, 79: 8 }))[1]).toMatchObject({ state: 'inside', overdue: true, dueAt: T0 + 10 * HOUR });
  });

  it('is empty for no crossings and leaves the input untouched', () => {
    expect(buildTrip([], opts(0))).toEqual([]);
    const input = [at(79, 7901, 'entry', 3), at(80, 8001, 'entry', 0)];
    const copy = structuredClone(input);
    buildTrip(input, opts(4));
    expect(input).toEqual(copy);
  });
});
