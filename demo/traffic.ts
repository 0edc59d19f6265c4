import type { VerdictEvent } from '../station/engine/engine.js';
import { seededRandom } from '../hardware-sim/fixtures/names.js';
import { crossingScans } from '../hardware-sim/fixtures/issue-samples.js';
import type { DemoRig } from './rig.js';

/**
 * Continuous simulated traffic for the demo: vehicles arrive at the entry lane and scan their pass
 * and crew, walk-ins pass now and then, and vehicles that entered leave later through the exit lane.
 */
export function startTraffic(rig: DemoRig, everyMs: number, onVerdict: (v: VerdictEvent) => void): () => void {
  const r = seededRandom(Date.now() % 100_000);
  const inside: typeof rig.seed.vehicles = [];
  rig.station.on('verdict', onVerdict);
  let running = true;
  const step = async () => {
    if (!running) return;
    try {
      const roll = r();
      if (roll < 0.25 && inside.length > 0) {
        const v = inside.splice(Math.floor(r() * inside.length), 1)[0]!;
        for (const code of [v.passCode, ...v.crewCodes]) await rig.scanAndWait(code, 'exit');
      } else if (roll < 0.4) {
        const w = rig.seed.walkIns[Math.floor(r() * rig.seed.walkIns.length)]!;
        await rig.scanAndWait(w.code, 'entry');
      } else {
        const v = rig.seed.vehicles[Math.floor(r() * rig.seed.vehicles.length)]!;
        let last: VerdictEvent | null = null;
        for (const code of crossingScans(v)) last = await rig.scanAndWait(code, 'entry');
        if (last?.crossing?.verdict === 'ALLOW' && !inside.includes(v)) inside.push(v);
      }
    } catch {
      // A scan lost while a scanner is unplugged in the simulator panel: traffic goes on.
    }
    if (running) setTimeout(() => void step(), everyMs * (0.5 + r()));
  };
  setTimeout(() => void step(), 500);
  return () => {
    running = false;
    rig.station.off('verdict', onVerdict);
  };
}
