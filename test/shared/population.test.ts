import { describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { crossingScans, issueWithAuthority } from '../../hardware-sim/fixtures/issue-samples.js';
import { makePopulation, PERSON_CASES, VEHICLE_CASES } from '../../hardware-sim/fixtures/population.js';
import { HOUR, Lane, NOW } from './decide-harness.js';

/** The demo and the smoke run rely on these expectations; check them against the pure rules first. */
describe('sample population: every case gets the verdict it promises', () => {
  const auth = createTestAuthority({ now: NOW });
  const pop = makePopulation({ now: NOW, checkpointA: 7901, checkpointB: 7902, vehicles: VEHICLE_CASES.length * 2, walkIns: PERSON_CASES.length * 2 });
  const issued = issueWithAuthority(auth, pop);

  function laneWithCache(): Lane {
    const lane = new Lane(auth);
    lane.context = { ...lane.context, cacheSyncedAt: NOW - HOUR };
    for (const item of issued.items) {
      if (item.type === 'pass' || item.type === 'person') lane.cache(item);
      if (item.type === 'zone') lane.zones.set(item.zone, item.level as 1 | 2 | 3 | 4);
    }
    return lane;
  }

  for (const v of issued.vehicles.slice(0, VEHICLE_CASES.length)) {
    it(`vehicle ${v.sample.case} → ${v.sample.expect.verdict} ${v.sample.expect.reasons.join(',')}`, () => {
      const lane = laneWithCache();
      let last = null;
      for (const code of crossingScans(v)) last = lane.scan(code);
      expect(last?.crossing?.verdict).toBe(v.sample.expect.verdict);
      expect(last?.crossing?.reasons).toEqual(v.sample.expect.reasons);
    });
  }

  for (const w of issued.walkIns.slice(0, PERSON_CASES.length)) {
    it(`person ${w.sample.case} → ${w.sample.expect.verdict} ${w.sample.expect.reasons.join(',')}`, () => {
      const d = laneWithCache().scan(w.code);
      expect(d.verdict).toBe(w.sample.expect.verdict);
      expect(d.reasons).toEqual(w.sample.expect.reasons);
    });
  }
});
