/**
 * `npx tsx test/bench/profile-top.ts FILE.cpuprofile [N]`: where a CPU profile's time goes, by
 * function (self time) and by file, to read the `npm run bench -- --profile` output in a terminal.
 */
import { readFileSync } from 'node:fs';

interface Node { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; children?: number[] }
interface Profile { nodes: Node[]; samples: number[]; timeDeltas: number[] }

const [file, n = '25'] = process.argv.slice(2);
if (!file) {
  console.error('usage: npx tsx test/bench/profile-top.ts FILE.cpuprofile [N]');
  process.exit(2);
}
const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(p.nodes.map((x) => [x.id, x]));
const self = new Map<number, number>();
p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0)));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const short = (url: string) => url.replace(/^.*\/(node_modules\/)/, '$1').replace(/^file:\/\/\/work\/main\//, '');
const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const fns = new Map<string, number>();
const files = new Map<string, number>();
for (const [id, us] of self) {
  const f = byId.get(id)!.callFrame;
  add(fns, `${f.functionName || '(anonymous)'}  ${short(f.url)}:${f.lineNumber + 1}`, us);
  add(files, short(f.url) || '(native/idle)', us);
}
const top = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]).slice(0, Number(n));
console.log(`total ${(total / 1e6).toFixed(2)} s sampled`);
console.log('\nself time by function:');
for (const [k, us] of top(fns)) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
console.log('\nself time by file:');
for (const [k, us] of top(files)) console.log(`${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
