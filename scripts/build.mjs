// npm run build: compile the station and the server to JavaScript in dist/ (so that `npm run station`
// and `npm run server` load no TypeScript at run time), with the files they read beside their code
// (migrations, web pages) and package.json (the software version). `--if-stale` builds only when a
// source is newer than the last build: the start scripts call it that way.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = join(ROOT, 'dist');
const STAMP = join(DIST, '.built');
const SOURCES = ['station', 'server', 'shared'];
const CONFIGS = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

function* files(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(path);
    else yield path;
  }
}

function newestSource() {
  let newest = 0;
  for (const top of SOURCES) for (const f of files(join(ROOT, top))) newest = Math.max(newest, statSync(f).mtimeMs);
  for (const f of CONFIGS) newest = Math.max(newest, statSync(join(ROOT, f)).mtimeMs);
  return newest;
}

if (process.argv.includes('--if-stale') && existsSync(STAMP) && statSync(STAMP).mtimeMs >= newestSource()) process.exit(0);

const started = Date.now();
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
// tsc still emits when it finds type errors; say so, and let `npm run typecheck` be the judge.
if (r.status !== 0) process.stderr.write(`build: tsc exited with ${r.status} (JavaScript was still written to dist/)\n`);
let assets = 0;
for (const top of SOURCES) {
  for (const f of files(join(ROOT, top))) {
    if (f.endsWith('.ts')) continue;
    const to = join(DIST, relative(ROOT, f));
    mkdirSync(dirname(to), { recursive: true });
    cpSync(f, to);
    assets++;
  }
}
cpSync(join(ROOT, 'package.json'), join(DIST, 'package.json'));
writeFileSync(STAMP, new Date().toISOString() + '\n');
process.stderr.write(`build: dist/ written in ${((Date.now() - started) / 1000).toFixed(1)} s (${assets} asset files)\n`);
if (r.status !== 0 && !existsSync(join(DIST, 'station', 'main.js'))) process.exit(r.status ?? 1);
