import { simPaths, VirtualScanner } from '../../../hardware-sim/virtual-scanner.js';
import { Child, type Event } from '../lib/ipc.js';
import { msBetween, nowNs, summarize, type Summary } from '../lib/stats.js';

const CHILD = new URL('../lib/station-child.ts', import.meta.url);

/** Resolve with the next `event` from the child (listen before causing it). */
export function nextEvent(child: Child, event: string, timeoutMs = 10_000): Promise<Event> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.off(event, on);
      reject(new Error(`no ${event} from the child within ${timeoutMs} ms`));
    }, timeoutMs);
    const on = (e: Event) => {
      clearTimeout(timer);
      child.off(event, on);
      resolve(e);
    };
    child.on(event, on);
  });
}

/**
 * The floor: a line written by the emulated scanner at one end of a socat pty pair, read with
 * serialport + readline in another process (as the station reads it). Timed from just before the
 * write to the line event, with the same clock and the same writer as scanToVerdict.
 */
export async function measurePtyFloor(dir: string, payloads: readonly string[], samples: number, warmup = 100): Promise<Summary> {
  const paths = simPaths(dir, 'floor');
  const scanner = await VirtualScanner.start({ ...paths, suffix: 'cr' });
  const child = await Child.start(CHILD, [JSON.stringify({ mode: 'floor', path: paths.stationPath })]);
  const times: number[] = [];
  try {
    for (let i = 0; i < warmup + samples; i++) {
      const line = nextEvent(child, 'line');
      const t0 = nowNs();
      await scanner.scan(payloads[i % payloads.length]!);
      const e = await line;
      if (i >= warmup) times.push(msBetween(t0, BigInt(e.atNs as string)));
    }
  } finally {
    await child.stop();
    await scanner.stop();
  }
  return summarize(times);
}
