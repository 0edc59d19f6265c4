import type { Scan } from '../lib/dataset.js';
import { summarize } from '../lib/stats.js';
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
  met: boolean;
}

/**
 * lanesPerStation: the station's lanes scanned together at peak rate, open loop (each lane's scans
 * arrive when they arrive, not when the station is ready), doubling the lanes up to `maxLanes` or
 * until the station falls behind (median over 50 ms). The answer is the most lanes whose step met the
 * targets (scanToVerdict p99 ≤ floor p99 + 1 ms, decide p99 ≤ 1 ms), 0 when none did; every step is
 * kept, so the curve shows where the time goes. One scanner carries every lane's traffic: what the
 * station spends per scan does not depend on which pty it came from.
 */
export async function measureLanes(st: BenchStation, scans: Scan[], floorP99Ms: number, opts: { firstLanes: number; maxLanes: number; stepSeconds: number }) {
  const steps: LaneStep[] = [];
  let best = 0;
  let next = 0;
  for (let lanes = opts.firstLanes; lanes <= opts.maxLanes; lanes *= 2) {
    const scansPerSec = (lanes * SCANS_PER_LANE_HOUR) / 3600;
    const n = Math.max(50, Math.round(scansPerSec * opts.stepSeconds));
    const codes = Array.from({ length: n }, () => scans[next++ % scans.length]!.code);
    await st.child.call('decideStats', true);
    const { ms, decideMs } = await st.openLoop(codes, 1000 / scansPerSec);
    const breakdown = await st.child.call<Record<string, unknown>>('decideStats', true);
    const step: LaneStep = { lanes, scansPerSec: Math.round(scansPerSec * 10) / 10, samples: n, scanToVerdict: summarize(ms), decide: summarize(decideMs), breakdown, met: false };
    step.met = step.scanToVerdict.p99Ms <= floorP99Ms + 1 && step.decide.p99Ms <= 1;
    steps.push(step);
    if (step.met) best = lanes;
    if (step.scanToVerdict.p50Ms > 50) break;
  }
  return { lanesPerStation: best, vehiclesPerLaneHour: 200, scansPerVehicle: 3, steps };
}
