import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { get as httpGet, type ClientRequest } from 'node:http';
import { simPaths, VirtualScanner } from '../../../hardware-sim/virtual-scanner.js';
import type { Scan } from '../lib/dataset.js';
import { Child, type Event } from '../lib/ipc.js';
import { msBetween, nowNs, sleep, summarize, until } from '../lib/stats.js';
import type { FsyncFloor } from './fsync-floor.js';
import { nextEvent } from './pty-floor.js';

/**
 * The station child as `npm run station` runs the station: built JavaScript (dist/, built first when
 * stale), no TypeScript loader. BENCH_STATION_SOURCE=1 runs it from source through tsx instead.
 */
const CHILD_SOURCE = new URL('../lib/station-child.ts', import.meta.url);
const CHILD_BUILT = new URL('../../../dist/test/bench/lib/station-child.js', import.meta.url);
function stationChild(): URL {
  if (process.env.BENCH_STATION_SOURCE === '1') return CHILD_SOURCE;
  const r = spawnSync(process.execPath, [fileURLToPath(new URL('../../../scripts/build.mjs', import.meta.url)), '--if-stale'], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`npm run build failed (${r.status})`);
  return CHILD_BUILT;
}
/** The V8 flags of `npm run station` (package.json), so the bench's station runs with the same heap limits. */
const STATION_FLAGS = process.env.BENCH_STATION_FLAGS?.split(' ').filter(Boolean) ?? (JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> })
  .scripts.station!.split(/\s+/).filter((a) => /^--max-[a-z-]+=\d+$/.test(a));

export interface VerdictMsg {
  atNs: string;
  decideMs: number;
  verdict: string;
  reasons: string[];
  seq: number;
}

interface Background {
  sync: { itemsApplied: number; lastError: string | null; state: string };
  uploader: { backlog: number; uploaded: number; lastError: string | null };
  cursor: number | null;
}

/**
 * A reader of the officer screen's event stream (`GET /events`, as a screen with nobody signed in):
 * calls `onDecision` with the arrival time of each `decision` event.
 */
class ScreenStream {
  onDecision: ((atNs: bigint) => void) | null = null;
  private req: ClientRequest | null = null;

  async open(url: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const req = httpGet(`${url}/events`, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`officer screen /events: HTTP ${res.statusCode}`));
        res.setEncoding('utf8');
        let buf = '';
        res.on('data', (chunk: string) => {
          const at = nowNs();
          buf += chunk;
          let end: number;
          while ((end = buf.indexOf('\n\n')) >= 0) {
            const frame = buf.slice(0, end);
            buf = buf.slice(end + 2);
            if (frame.startsWith('event: hello')) resolve();
            if (frame.startsWith('event: decision')) this.onDecision?.(at);
          }
        });
      });
      req.on('error', reject);
      this.req = req;
    });
  }

  close(): void {
    this.req?.destroy();
  }
}

/** The station child with an emulated scanner on its pty: scan, and see each verdict on the officer screen. */
export class BenchStation {
  private readonly screen = new ScreenStream();
  private constructor(readonly child: Child, readonly scanner: VirtualScanner) {}

  static async start(dir: string, config: Record<string, unknown> & { scanners?: unknown }, syncIntervalMs: number, execArgv: string[] = [], syncPageSize?: number): Promise<BenchStation> {
    const paths = simPaths(dir, 'lane1');
    const scanner = await VirtualScanner.start({ ...paths, suffix: 'cr' });
    const full = { ...config, scanners: [{ id: 's1', path: paths.stationPath, lane: 'L1', direction: 'entry', suffix: 'cr', debounceMs: 50 }] };
    const child = await Child.start(stationChild(), [JSON.stringify({ mode: 'station', config: full, syncIntervalMs, syncPageSize })], [...STATION_FLAGS, ...execArgv]);
    const s = new BenchStation(child, scanner);
    const url = await child.call<string | null>('screenUrl');
    if (!url) throw new Error('the station started no officer screen');
    await s.screen.open(url);
    await until(async () => (await child.call<{ state: string }[]>('scanners')).every((x) => x.state === 'connected'), 10_000, 'the station scanner to connect');
    return s;
  }

  /**
   * One scan, closed loop: resolves with the time from the write to the verdict's arrival on the
   * officer screen's stream (`ms`), and to the engine's verdict event, emitted after the commit (`engineMs`).
   */
  async scan(code: string): Promise<{ ms: number; engineMs: number; v: VerdictMsg }> {
    const verdict = nextEvent(this.child, 'verdict');
    const shown = new Promise<bigint>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('no decision on the officer screen within 10 s')), 10_000);
      this.screen.onDecision = (at) => {
        clearTimeout(timer);
        this.screen.onDecision = null;
        resolve(at);
      };
    });
    const t0 = nowNs();
    await this.scanner.scan(code);
    const v = (await verdict) as unknown as VerdictMsg & Event;
    const at = await shown;
    return { ms: msBetween(t0, at), engineMs: msBetween(t0, BigInt(v.atNs)), v };
  }

  /**
   * Open loop: write `codes` one every `intervalMs` whatever the station is doing (lanes do not wait
   * for each other), and time each from its write to its decision on the officer screen's stream.
   * One scanner, so decisions arrive in the order of the writes.
   */
  async openLoop(codes: string[], intervalMs: number): Promise<{ ms: number[]; decideMs: number[] }> {
    const sent: bigint[] = [];
    const ms: number[] = [];
    const decideMs: number[] = [];
    const onVerdict = (e: Event) => void decideMs.push((e as unknown as VerdictMsg).decideMs);
    this.child.on('verdict', onVerdict);
    let allShown!: () => void;
    const shown = new Promise<void>((resolve) => (allShown = resolve));
    this.screen.onDecision = (at) => {
      const t0 = sent[ms.length];
      if (t0 !== undefined) ms.push(msBetween(t0, at));
      if (ms.length === codes.length) allShown();
    };
    try {
      const start = performance.now();
      for (let i = 0; i < codes.length; i++) {
        const wait = start + i * intervalMs - performance.now();
        if (wait > 0) await sleep(wait);
        sent.push(nowNs());
        void this.scanner.scan(codes[i]!);
      }
      await Promise.race([shown, sleep(15_000)]);
    } finally {
      this.screen.onDecision = null;
      this.child.off('verdict', onVerdict);
    }
    if (ms.length !== codes.length) throw new Error(`open loop: ${ms.length} decisions shown for ${codes.length} scans`);
    return { ms, decideMs };
  }

  background(): Promise<Background> {
    return this.child.call<Background>('background');
  }

  memory(): Promise<{ rss: number; maxRss: number; heapUsed: number; heapTotal: number; external: number }> {
    return this.child.call('memory');
  }

  async stop(): Promise<void> {
    this.screen.close();
    await this.child.stop();
    await this.scanner.stop();
  }
}

/**
 * scanToVerdict and decide: `samples` scans, one after another, started together with a sync delta
 * of `deltaItems` changes and the upload of the outbox backlog, both running in the station; the
 * second half waits for them to finish (calm), whatever is left of the first half after they did too.
 */
export async function measureScanToVerdict(st: BenchStation, scans: Scan[], warmup: Scan[], deltaItems: number, floor: FsyncFloor) {
  for (const s of warmup) await st.scan(s.code);
  const before = await st.background();
  await st.child.call('loopDelay', true);
  await st.child.call('decideStats', true);
  const backlog = before.uploader.backlog;
  const t0 = performance.now();
  await st.child.call('startBackground');
  let busyUntil: number | null = null;
  let bg = before;
  const watcher = (async () => {
    while (busyUntil === null) {
      bg = await st.background();
      if (bg.sync.itemsApplied >= deltaItems && bg.uploader.backlog === 0) busyUntil = performance.now();
      else await sleep(50);
    }
  })();
  const total: number[] = [];
  const toEngine: number[] = [];
  const decide: number[] = [];
  const ends: number[] = [];
  const verdicts: Record<string, number> = {};
  // Half the scans at most while the link is busy; the rest once it is done, so both phases have samples
  // (the busy phase outlasts 2,000 closed-loop scans at full size).
  const calmFrom = Math.ceil(scans.length / 2);
  for (const [i, s] of scans.entries()) {
    if (i === calmFrom && busyUntil === null) await Promise.race([watcher, sleep(120_000)]);
    const { ms, engineMs, v } = await st.scan(s.code);
    floor.once(); // the disk's floor, between two scans
    total.push(ms);
    toEngine.push(engineMs);
    decide.push(v.decideMs);
    ends.push(performance.now());
    verdicts[v.verdict] = (verdicts[v.verdict] ?? 0) + 1;
  }
  const loopDelay = await st.child.call('loopDelay', true);
  const decideStats = await st.child.call('decideStats', true);
  await Promise.race([watcher, sleep(120_000)]);
  const doneAt = busyUntil ?? performance.now();
  const busy = total.filter((_, i) => ends[i]! <= doneAt);
  const calm = total.filter((_, i) => ends[i]! > doneAt);
  const fsyncs = floor.ms.slice(-scans.length);
  return {
    scanToVerdict: summarize(total),
    /** the same scans, to the engine's verdict event (after the commit, before the screen) */
    toEngineEvent: summarize(toEngine),
    /** the same scans split: while the sync delta and the upload were running, and after */
    whileBusy: summarize(busy),
    afterBusy: summarize(calm),
    /** the station's event loop delay during the scans (monitorEventLoopDelay, 1 ms resolution) */
    loopDelay,
    decide: summarize(decide),
    /** one fsync of a preallocated file between each two scans: the disk's floor for a durable verdict in these minutes */
    fsyncFloor: { all: summarize(fsyncs), whileBusy: summarize(fsyncs.filter((_, i) => ends[i]! <= doneAt)), afterBusy: summarize(fsyncs.filter((_, i) => ends[i]! > doneAt)) },
    decideWhileBusy: summarize(decide.filter((_, i) => ends[i]! <= doneAt)),
    decideAfterBusy: summarize(decide.filter((_, i) => ends[i]! > doneAt)),
    /** the same decisions counted: journal commit vs the rest, GC pauses inside them, main-thread CPU */
    decideStats,
    verdicts,
    background: {
      deltaItems: bg.sync.itemsApplied, backlogRecords: backlog, uploaded: bg.uploader.uploaded,
      seconds: Math.round(doneAt - t0) / 1000, scansWhileBusy: ends.filter((e) => e <= doneAt).length,
      syncError: bg.sync.lastError, uploadError: bg.uploader.lastError,
    },
  };
}

/** Scans paced every `everyMs` for `seconds`; how many got a durable verdict (with a short grace after). */
export async function oursDuringOutage(st: BenchStation, scans: Scan[], everyMs: number, seconds: number): Promise<{ scans: number; decided: number }> {
  let decided = 0;
  const count = () => void decided++;
  st.child.on('verdict', count);
  const end = performance.now() + seconds * 1000;
  let sent = 0;
  while (performance.now() < end && sent < scans.length) {
    await st.scanner.scan(scans[sent++]!.code);
    await sleep(everyMs);
  }
  await until(() => decided >= sent, 5_000, 'verdicts of the outage scans').catch(() => {});
  st.child.off('verdict', count);
  return { scans: sent, decided };
}

/** Start the station's sync and upload and wait until the pending delta is applied and the outbox drained. */
export async function startLinkAndCatchUp(st: BenchStation, deltaItems: number): Promise<void> {
  await st.child.call('startBackground');
  await until(async () => {
    const bg = await st.background();
    return bg.sync.itemsApplied >= deltaItems && bg.uploader.backlog === 0;
  }, 300_000, 'the station to apply the delta and drain its outbox');
}

/**
 * Act at the server, then scan `code` at the station until its decision says the act arrived. Another
 * code is scanned between tries: the same code twice in a row is a duplicate read, not a new decision.
 */
async function untilRefused(st: BenchStation, act: () => Promise<unknown>, code: string, fillerCode: string, timeoutMs: number, refused: (v: VerdictMsg) => boolean, what: string): Promise<number> {
  const t0 = nowNs();
  await act();
  const end = performance.now() + timeoutMs;
  let last: VerdictMsg | null = null;
  while (performance.now() < end) {
    const { v } = await st.scan(code);
    last = v;
    if (refused(v)) return msBetween(t0, BigInt(v.atNs));
    await sleep(30);
    await st.scan(fillerCode);
    await sleep(30);
  }
  throw new Error(`${what} not denied within ${timeoutMs} ms (last decision: ${last ? `${last.verdict} ${last.reasons.join(',')}` : 'none'})`);
}

/** Revoke at the server, then scan the pass at the station until it is denied as revoked. */
export function revocationTrial(st: BenchStation, revoke: () => Promise<unknown>, passCode: string, fillerCode: string, timeoutMs: number): Promise<number> {
  return untilRefused(st, revoke, passCode, fillerCode, timeoutMs, (v) => v.reasons.includes('REVOKED'), 'pass');
}

/**
 * The 5S loop: an F0 confirmed at the centre and the contact flagged F1 there, then the contact's own
 * health code scanned at the station until it is refused for it.
 */
export function f0LoopTrial(st: BenchStation, confirm: () => Promise<unknown>, contactCode: string, fillerCode: string, timeoutMs: number): Promise<number> {
  return untilRefused(st, confirm, contactCode, fillerCode, timeoutMs, (v) => v.verdict === 'DENY' && v.reasons.includes('POSITIVE_OR_CONTACT'), 'contact');
}

export { summarize };
