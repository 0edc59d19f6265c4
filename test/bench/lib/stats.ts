/** Latency summaries for the benchmark; values in ms, rounded for the report. */
export interface Summary {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { samples: 0, p50Ms: NaN, p99Ms: NaN, maxMs: NaN };
  const xs = [...values].sort((a, b) => a - b);
  const q = (p: number) => xs[Math.min(xs.length - 1, Math.ceil(p * xs.length) - 1)]!;
  return { samples: xs.length, p50Ms: round(q(0.5)), p99Ms: round(q(0.99)), maxMs: round(xs[xs.length - 1]!) };
}

/** Monotonic time in ns, shared by every process on this machine (CLOCK_MONOTONIC). */
export const nowNs = (): bigint => process.hrtime.bigint();
export const msBetween = (a: bigint, b: bigint): number => Number(b - a) / 1e6;

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Poll `cond` every `everyMs` until true or `timeoutMs` passes (for child-process state we cannot subscribe to). */
export async function until(cond: () => boolean | Promise<boolean>, timeoutMs: number, what: string, everyMs = 20): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}
