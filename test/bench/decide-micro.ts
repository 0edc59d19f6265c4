/**
 * Micro-benchmark of the pure part of a scan: read + verify a code, then decide.
 * `npx tsx test/bench/decide-micro.ts [iterations]`. Prints median and p99 per step.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { readCode } from '../../shared/codes/read-code.js';
import { decide } from '../../shared/rules/decide.js';
import { Lane } from '../shared/decide-harness.js';

const n = Number(process.argv[2] ?? 20_000);
const lane = new Lane();
const pass = lane.auth.issuePass();
lane.cache(pass.facts);
const health = lane.auth.issueHealth({ citizenId: pass.facts.crew[0]!.citizenId });
lane.cache(health.facts);

function quantiles(xs: number[]) {
  xs.sort((a, b) => a - b);
  const q = (p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  return { p50Ms: +q(0.5).toFixed(4), p99Ms: +q(0.99).toFixed(4), maxMs: +xs[xs.length - 1]!.toFixed(4) };
}

const read: number[] = [];
const dec: number[] = [];
const both: number[] = [];
for (let i = 0; i < n; i++) {
  const text = i % 2 === 0 ? pass.code : health.code;
  const t0 = performance.now();
  const code = readCode(text, lane.auth.trust, lane.now);
  const t1 = performance.now();
  decide({
    code, policy: lane.policy, context: lane.context, crossing: null, newCrossingId: 'x', now: lane.now,
    facts: { pass: pass.facts, person: health.facts, zoneLevels: () => null, isInside: () => false },
  });
  const t2 = performance.now();
  if (i > 1000) { read.push(t1 - t0); dec.push(t2 - t1); both.push(t2 - t0); }
}
console.log(JSON.stringify({ machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version }, samples: both.length, readAndVerify: quantiles(read), decide: quantiles(dec), total: quantiles(both) }, null, 2));
