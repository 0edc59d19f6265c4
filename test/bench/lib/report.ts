import type { StationCacheResult } from '../measures/station-cache.js';

/** The benchmark's JSON result (the issue's shape, with extra fields) and its table with the targets. */
export interface BenchResult {
  machine: { cpus: number; model: string; node: string; memGb: number; os: string; loadAtStart?: number[]; loadAtEnd?: number[] };
  quick: boolean;
  startedAt: string;
  cache: { passes: number; people: number; serverDbMb: number; stationDbMb: number; builtThisRun: boolean };
  ptyFloor: { samples: number; p50Ms: number; p99Ms: number; maxMs: number };
  scanToVerdict: { samples: number; p50Ms: number; p99Ms: number; maxMs: number; [k: string]: unknown };
  decide: { p50Ms: number; p99Ms: number; maxMs: number; samples: number; [k: string]: unknown };
  /** the durability choice side by side: the same engine on a FULL and a NORMAL journal, same run */
  journalSync?: { samples: number; full: { p50Ms: number; p99Ms: number }; normal: { p50Ms: number; p99Ms: number }; [k: string]: unknown };
  /** one fsync of a preallocated file between each two timed scans: the disk's floor for a durable verdict, same minutes */
  fsyncFloor?: { all: Summary; whileBusy: Summary; afterBusy: Summary };
  onlineMode: { rttMs: number; p50Ms: number; p99Ms: number; [k: string]: unknown };
  outage: { seconds: number; oursDecided: number; onlineDecided: number; [k: string]: unknown };
  stationRssMb: number;
  ingest: { records: number; recordsPerSec: number; [k: string]: unknown };
  snapshot: { records: number; serverSeconds: number; stationApplySeconds: number; [k: string]: unknown };
  revocationPropagationMs: number;
  revocation: { syncIntervalMs: number; trialsMs: number[] };
  /** the 5S loop: seconds from an F0 confirmed at the centre to their contact's next scan denied at the station (worst trial) */
  f0ToDeniedSeconds: number;
  f0Loop: { syncIntervalMs: number; trialsMs: number[] };
  backlogDrain: { records: number; seconds: number; [k: string]: unknown };
  /** lanes at 200 vehicles an hour (3 scans each) that one station sustains within the latency targets */
  lanesPerStation?: number;
  lanes?: { limitedBy?: string | null; steps: { lanes: number; scansPerSec: number; scanToVerdict: { p50Ms: number; p99Ms: number }; decide: { p99Ms: number }; met: boolean }[] };
  /** issue 12: a station's store at national scale (test/bench/measures/station-cache.ts) */
  stationCache?: StationCacheResult;
  errors: string[];
}

type Row = [string, string, string, boolean | null];
type Summary = { samples: number; p50Ms: number; p99Ms: number; maxMs: number };

const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : 'n/a');

export function targets(r: BenchResult): Row[] {
  const full = (n: number) => (r.quick ? ` (scaled from ${n.toLocaleString('en')})` : '');
  const snapTarget = 30 * (r.snapshot.records / 6_000_000);
  const drainTarget = 15 * (r.backlogDrain.records / 500_000);
  return [
    ['ptyFloor p50 / p99', `${f(r.ptyFloor.p50Ms)} / ${f(r.ptyFloor.p99Ms)} ms`, 'reference', null],
    ['decide p99 (line → durable verdict, in process)', `${f(r.decide.p50Ms, 3)} / ${f(r.decide.p99Ms, 3)} ms (p50 / p99)`, '≤ 1 ms', r.decide.p99Ms <= 1],
    ...decideSplit(r),
    ...(r.journalSync ? ([
      ['  decide, journal synchronous=FULL (small cache)', `${f(r.journalSync.full.p50Ms, 3)} / ${f(r.journalSync.full.p99Ms, 3)} ms`, '≤ 1 ms', r.journalSync.full.p99Ms <= 1],
      ['  decide, journal synchronous=NORMAL (same run)', `${f(r.journalSync.normal.p50Ms, 3)} / ${f(r.journalSync.normal.p99Ms, 3)} ms`, '≤ 1 ms', r.journalSync.normal.p99Ms <= 1],
      ...(['fullCheckpointApart', 'fsyncFloor'] as const).flatMap((k): Row[] => {
        const x = r.journalSync?.[k] as Summary | undefined;
        const name = k === 'fsyncFloor' ? '  the bare fsync of two pages (same run)' : '  decide, FULL, checkpoints apart (same run)';
        return x ? [[name, `${f(x.p50Ms, 3)} / ${f(x.p99Ms, 3)} ms`, k === 'fsyncFloor' ? 'reference' : '≤ 1 ms', k === 'fsyncFloor' ? null : x.p99Ms <= 1]] : [];
      }),
    ] as Row[]) : []),
    ['scanToVerdict p99 (pty byte → durable verdict)', `${f(r.scanToVerdict.p50Ms)} / ${f(r.scanToVerdict.p99Ms)} ms (max ${f(r.scanToVerdict.maxMs)})`, `≤ floor p99 + 1 = ${f(r.ptyFloor.p99Ms + 1)} ms`, r.scanToVerdict.p99Ms <= r.ptyFloor.p99Ms + 1],
    ...busySplit(r),
    ['onlineMode p99 (HTTP per scan, 80 ms WAN)', `${f(r.onlineMode.p50Ms, 1)} / ${f(r.onlineMode.p99Ms, 1)} ms (p50 / p99; ${f(r.onlineMode.p99Ms / r.scanToVerdict.p99Ms, 1)} × ours)`, `≥ 50 × ours = ${f(50 * r.scanToVerdict.p99Ms, 1)} ms`, r.onlineMode.p99Ms >= 50 * r.scanToVerdict.p99Ms],
    [`outage ${r.outage.seconds} s: decided, ours / online`, `${f(100 * r.outage.oursDecided, 1)}% / ${f(100 * r.outage.onlineDecided, 1)}%`, 'ours 100%', r.outage.oursDecided === 1],
    [`station RSS, server of ${r.cache.passes.toLocaleString('en')} passes + ${r.cache.people.toLocaleString('en')} people`, `${f(r.stationRssMb, 0)} MB`, '≤ 150 MB', r.stationRssMb <= 150],
    ['ingest (batches of 500, HTTP loopback)', `${Number.isFinite(r.ingest.recordsPerSec) ? Math.round(r.ingest.recordsPerSec).toLocaleString('en') : 'n/a'} records/s`, '≥ 100,000/s', r.ingest.recordsPerSec >= 100_000],
    // The station receives the passes crossing it and the flags, not the people (issue 12): itemsApplied says how many.
    [`snapshot of ${r.snapshot.records.toLocaleString('en')} records${typeof r.snapshot.itemsApplied === 'number' ? ` (${r.snapshot.itemsApplied.toLocaleString('en')} sent)` : ''}: server / station`, `${f(r.snapshot.serverSeconds, 1)} s / ${f(r.snapshot.stationApplySeconds, 1)} s`, `station ≤ ${f(snapTarget, 1)} s${full(6_000_000)}`, r.snapshot.stationApplySeconds <= snapTarget],
    [`revocation propagation (sync every ${r.revocation.syncIntervalMs / 1000} s)`, `${f(r.revocationPropagationMs / 1000, 2)} s (max of ${r.revocation.trialsMs.length})`, '≤ 2 sync intervals', r.revocationPropagationMs <= 2 * r.revocation.syncIntervalMs],
    [`F0 → contact denied (sync every ${r.f0Loop.syncIntervalMs / 1000} s)`, `${f(r.f0ToDeniedSeconds, 2)} s (max of ${r.f0Loop.trialsMs.length})`, '≤ 2 sync intervals', r.f0ToDeniedSeconds * 1000 <= 2 * r.f0Loop.syncIntervalMs],
    ...(r.lanes ? ([[
      'lanesPerStation (200 vehicles/h × 3 scans, open loop)',
      `${r.lanesPerStation} (${r.lanes.steps.map((s) => `${s.lanes}: p99 ${f(s.scanToVerdict.p99Ms, 1)}`).join(', ')} ms)`,
      'scanToVerdict and decide targets', (r.lanesPerStation ?? 0) > 0,
    ], ...(r.lanes.limitedBy ? [['  lanesPerStation: limited at', r.lanes.limitedBy, '', null]] : [])] as Row[]) : []),
    [`backlog drain ${r.backlogDrain.records.toLocaleString('en')} records`, `${f(r.backlogDrain.seconds, 1)} s`, `≤ ${f(drainTarget, 1)} s${full(500_000)}`, r.backlogDrain.seconds <= drainTarget],
    ...stationCacheRows(r),
  ];
}

/** The station's store at national scale: size, first snapshot, and the same store with twice the population. */
function stationCacheRows(r: BenchResult): Row[] {
  const c = r.stationCache;
  if (!c) return [];
  const n = (x: number) => x.toLocaleString('en');
  return [
    [`stationCache: ${n(c.passesNational)} passes national, ${n(c.passesHere)} here, ${n(c.flags)} flags: store`, `${f(c.storeMb, 1)} MB`, '≤ 200 MB', c.storeMb <= 200],
    ['  stationCache: first snapshot applied', `${f(c.snapshotSeconds, 1)} s`, '≤ 60 s', c.snapshotSeconds <= 60],
    [`  stationCache: population ${n(c.first.population)} → ${n(c.doubled.population)}`, `${f(c.first.storeMb, 1)} → ${f(c.doubled.storeMb, 1)} MB (snapshot ${f(c.doubled.snapshotSeconds, 1)} s)`, 'store unchanged', c.storeUnchanged],
  ];
}

/**
 * Where decide's tail is: its journal commit against the rest, and the disk's own fsync floor in the
 * same minutes (one fsync between each two scans), busy and calm.
 */
function decideSplit(r: BenchResult): Row[] {
  const pair = (x: Summary | undefined) => (x && x.samples > 0 ? `${f(x.p50Ms, 3)} / ${f(x.p99Ms, 3)} ms` : 'n/a');
  const b = r.decide.breakdown as { journalMs?: Summary; beforeJournalMs?: Summary } | undefined;
  const phase = (name: string, d: unknown, floor: Summary | undefined): Row[] => {
    const x = d as Summary | undefined;
    return x && x.samples > 0 ? [[`  decide ${name}; fsync floor then`, `${pair(x)}; ${pair(floor)}`, '≤ 1 ms', x.p99Ms <= 1]] : [];
  };
  return [
    ...(b?.journalMs ? [[`  decide: journal commit; the rest (p50 / p99)`, `${pair(b.journalMs)}; ${pair(b.beforeJournalMs)}`, '', null] as Row] : []),
    ...(r.fsyncFloor ? [['  fsync floor: one fsync between scans, same minutes', pair(r.fsyncFloor.all), 'reference', null] as Row] : []),
    ...phase('whileBusy', r.decide.whileBusy, r.fsyncFloor?.whileBusy),
    ...phase('afterBusy', r.decide.afterBusy, r.fsyncFloor?.afterBusy),
  ];
}

/** scanToVerdict while the link applies a delta and drains a backlog, and after: the same target for both. */
function busySplit(r: BenchResult): Row[] {
  const limit = r.ptyFloor.p99Ms + 1;
  const row = (name: string, s: unknown): Row[] => {
    const x = s as { p50Ms: number; p99Ms: number; samples: number } | undefined;
    return x && x.samples > 0 ? [[`  scanToVerdict ${name}`, `${f(x.p50Ms)} / ${f(x.p99Ms)} ms (${x.samples} scans)`, `≤ ${f(limit)} ms`, x.p99Ms <= limit]] : [];
  };
  return [...row('whileBusy (delta + upload)', r.scanToVerdict.whileBusy), ...row('afterBusy (calm)', r.scanToVerdict.afterBusy)];
}

export function table(r: BenchResult): string {
  const rows = targets(r);
  const head = ['measure', 'result', 'target', 'met'];
  // A measure that did not run (--only, or it failed) shows n/a and is not judged.
  const cells = rows.map(([a, b, c, d]) => [a, b, c, d === null ? '' : b.includes('n/a') ? 'not run' : d ? 'met' : 'MISSED']);
  const widths = head.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (cs: string[]) => '| ' + cs.map((c, i) => c.padEnd(widths[i]!)).join(' | ') + ' |';
  return [
    `machine: ${r.machine.cpus} × ${r.machine.model}, ${r.machine.memGb} GB, Node ${r.machine.node}, ${r.machine.os}; ${r.quick ? 'QUICK run' : 'full run'} ${r.startedAt}`,
    `load average (1/5/15 min) at start ${r.machine.loadAtStart?.join(' / ') ?? 'n/a'}, at end ${r.machine.loadAtEnd?.join(' / ') ?? 'n/a'}`,
    line(head),
    '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|',
    ...cells.map(line),
    ...(r.errors.length ? ['', 'errors:', ...r.errors.map((e) => `  - ${e}`)] : []),
  ].join('\n');
}
