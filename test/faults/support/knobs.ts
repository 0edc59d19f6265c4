import { seededRandom } from '../../../hardware-sim/fixtures/names.js';

/**
 * Sizes and the PRNG seed of the fault runs, from the environment so a quick local run can scale
 * them down (FAULTS_SCANS=500 npm run test:faults) and a failure can be replayed (FAULTS_SEED=...).
 */
function intEnv(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min} (got ${raw})`);
  return n;
}

export const SCANS = intEnv('FAULTS_SCANS', 5000, 200);
export const STATION_KILLS = intEnv('FAULTS_STATION_KILLS', 20, 1);
export const SERVER_KILLS = intEnv('FAULTS_SERVER_KILLS', 20, 1);

/** A seeded PRNG for one test file; the seed is printed so a failing run can be replayed. */
export function seededRun(name: string): { seed: number; random: () => number } {
  const seed = intEnv('FAULTS_SEED', Date.now() % 2_147_483_647, 0);
  console.log(`[faults] ${name}: FAULTS_SEED=${seed}`);
  return { seed, random: seededRandom(seed) };
}

/** Sorted distinct integers in [lo, hi), drawn with `random`. */
export function randomPoints(random: () => number, n: number, lo: number, hi: number): number[] {
  const set = new Set<number>();
  while (set.size < Math.min(n, hi - lo)) set.add(lo + Math.floor(random() * (hi - lo)));
  return [...set].sort((a, b) => a - b);
}
