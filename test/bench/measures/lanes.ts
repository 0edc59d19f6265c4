import type { Scan } from '../lib/dataset.js';
import { summarize } from '../lib/stats.js';
import type { FsyncFloor } from './fsync-floor.js';
import type { BenchStation } from './station-run.js';

/** A lane at the peak of 2021: 200 vehicles an hour, three scans each (pass, driver, assistant). */
export const SCANS_PER_LANE_HOUR = 200 * 3;

export interface LaneStep {
  lanes: number;
  scansPerSec: number;
  samples: number;
  scanToVerdict: ReturnType<typeof summarize>;
  decide: ReturnType<typeof summarize>;
  /** the step's decisions counted (station-child decideStats) */
  breakdown: Record<string, unknown>;
  /** 50 bare fsyncs right after the step, the station idle: the disk's floor in that minute */
  fsyncFloorAfter: ReturnType<typeof summarize>;
  met: boolean;
  /** the targets this step missed, with where its decide time went */
  missed: string[];
}

/**
 * lanesPerStation: the station's lanes scanned together at peak rate, open loop (each lane's scans
 * arrive when they arrive, not when the station is ready), doubling the lanes up to `maxLanes` or
 * until the station falls behind (median over 50 ms). The answer is the most lanes whose step met the
 * targets (scanToVerdict p99 ≤ floor p99 + 1 ms, decide p99 ≤ 1 ms) with every smaller step met too (a
 * step met by luck above one missed is not sustained); 0 when the first step missed, and `limitedBy`
 * says which target the first missed step missed and where its time went. Every step is kept, so the
 * curve shows where the time goes. One scanner carries every lane's traffic: what the station spends
 * per scan does not depend on which pty it came from.
 */
export async function measureLanes(st: BenchStation, scans: Scan[], floorP99Ms: number, floor: FsyncFloor, opts: { firstLanes: number; maxLanes: number; stepSeconds: number }) {
  const steps: LaneStep[] = [];
  let best = 0;
  let limitedBy: string | null = null;
  let next = 0;
  for (let lanes = opts.firstLanes; lanes <= opts.maxLanes; lanes *= 2) {
    const scansPerSec = (lanes * SCANS_PER_LANE_HOUR) / 3600;
    const n = Math.max(50, Math.round(scansPerSec * opts.stepSeconds));
    const codes = Array.from({ length: n }, () => scans[next++ % scans.length]!.code);
    await st.child.call('decideStats', true);
    const { ms, decideMs } = await st.openLoop(codes, 1000 / scansPerSec);
    const breakdown = await st.child.call<Record<string, unknown>>('decideStats', true);
    const from = floor.ms.length;
    for (let k = 0; k < 50; k++) floor.once();
    const step: LaneStep = {
      lanes, scansPerSec: Math.round(scansPerSec * 10) / 10, samples: n, scanToVerdict: summarize(ms), decide: summarize(decideMs), breakdown,
      fsyncFloorAfter: summarize(floor.ms.slice(from)), met: false, missed: [],
    };
    const commit = (breakdown.journalMs as { p99Ms?: number } | undefined)?.p99Ms;
    const rest = (breakdown.beforeJournalMs as { p99Ms?: number } | undefined)?.p99Ms;
    if (step.decide.p99Ms > 1) step.missed.push(`decide p99 ${step.decide.p99Ms} ms > 1 ms (journal commit p99 ${commit} ms, the rest ${rest} ms; bare fsync p99 after the step ${step.fsyncFloorAfter.p99Ms} ms)`);
    if (step.scanToVerdict.p99Ms > floorP99Ms + 1) step.missed.push(`scanToVerdict p99 ${step.scanToVerdict.p99Ms} ms > pty floor p99 + 1 = ${Math.round((floorP99Ms + 1) * 1000) / 1000} ms`);
    step.met = step.missed.length === 0;
    steps.push(step);
    if (step.met && limitedBy === null) best = lanes;
    if (!step.met && limitedBy === null) limitedBy = `${lanes} lanes: ${step.missed.join('; ')}`;
    if (step.scanToVerdict.p50Ms > 50) break;
  }
  return { lanesPerStation: best, limitedBy, vehiclesPerLaneHour: 200, scansPerVehicle: 3, steps };
}
