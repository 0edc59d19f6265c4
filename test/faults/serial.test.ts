import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { crossingScans, issueWithAuthority, type IssuedPopulation } from '../../hardware-sim/fixtures/issue-samples.js';
import { makePopulation } from '../../hardware-sim/fixtures/population.js';
import { simPaths, VirtualScanner } from '../../hardware-sim/virtual-scanner.js';
import { runStationSync, StationProcess, type Line } from '../station/station-process.js';
import { writeStationFiles } from '../station/station-files.js';
import { seededRun } from './support/knobs.js';
import { readStoppedJournal, RssSampler } from './support/station-side.js';

/**
 * Issue 8, serial: a station process (run as `npm run station` runs it) behind a socat pty gets what
 * cheap scanners and bad cables send: 10 MB of random bytes, binary, a line with no end, a 1200-baud
 * trickle, 30 unplug/replug cycles (some cutting a read in half), and valid codes interleaved with
 * noise. It must not crash, its memory must stay bounded, and every valid code must get the verdict
 * the population expects at this checkpoint.
 */

const MiB = 2 ** 20;
/**
 * RSS growth over the warmed-up station that counts as unbounded: a reader that held the endless
 * line (32 MB) or the 10 MB of garbage would pass it; the framer's fixed buffer stays far below.
 */
const RSS_GROWTH_LIMIT = 48 * MiB;
const ENDLESS_MB = 32;
const NOW = Date.now();
const { random } = seededRun('serial');
const authority = createTestAuthority({ now: NOW });
const population = makePopulation({ now: NOW, checkpointA: 1, checkpointB: 2, vehicles: 55, walkIns: 100, seed: 79 });

type Unit = { kind: 'vehicle'; v: IssuedPopulation['vehicles'][number] } | { kind: 'walk-in'; w: IssuedPopulation['walkIns'][number] };
const unitCodes = (u: Unit) => (u.kind === 'vehicle' ? crossingScans(u.v) : [u.w.code]);
/** The citizen whose scan ends the unit's crossing (crossingScans puts the assistant last), and the verdict expected. */
const unitEnd = (u: Unit) => u.kind === 'vehicle'
  ? { citizenId: u.v.sample.crew.at(-1)!.citizenId, expect: u.v.sample.expect, label: `vehicle ${u.v.sample.case}` }
  : { citizenId: u.w.sample.person.citizenId, expect: u.w.sample.expect, label: `walk-in ${u.w.sample.case}` };

let dir: string;
let device: VirtualScanner;
let station: StationProcess;
let issued: IssuedPopulation;
let savedNodeOptions: string | undefined;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'faults-serial-'));
  device = await VirtualScanner.start({ ...simPaths(dir, 'lane1-in'), suffix: 'cr' });
  issued = issueWithAuthority(authority, population);
  const scanner = { id: 'lane1-in', path: device.stationPath, lane: 'L1', direction: 'entry', suffix: 'cr', debounceMs: 1500, reopen: { minMs: 100, maxMs: 1000 } };
  const files = writeStationFiles(dir, authority, [scanner], issued.items, NOW);
  const seeded = runStationSync(['seed', '--config', files.config, '--seed', files.seed]);
  expect(seeded.status, seeded.stderr).toBe(0);
  // The V8 flag `npm run station` runs with, so the memory measured is the deployed one.
  savedNodeOptions = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = `${savedNodeOptions ?? ''} --max-semi-space-size=2`.trim();
  station = new StationProcess(['--config', files.config]);
  await station.started();
});

afterAll(async () => {
  process.env.NODE_OPTIONS = savedNodeOptions;
  if (savedNodeOptions === undefined) delete process.env.NODE_OPTIONS;
  station?.kill('SIGKILL');
  await station?.exited;
  await device?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a station process behind a hostile serial line', () => {
  it('survives noise, garbage, binary, endless lines, a slow trickle and unplug storms, in bounded memory, deciding every valid code correctly', async () => {
    const t0 = Date.now();
    const units: Unit[] = [...issued.vehicles.map((v) => ({ kind: 'vehicle' as const, v })), ...issued.walkIns.map((w) => ({ kind: 'walk-in' as const, w }))];
    for (let i = units.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [units[i], units[j]] = [units[j]!, units[i]!];
    }
    const scanned: Unit[] = [];
    const verdictFor = (citizenId: string) => station.verdicts().find((v) => (v.subject as { citizenId: string | null }).citizenId === citizenId);
    /** Scan one vehicle's crossing or one walk-in, and wait for the verdict that ends it. */
    const scanUnit = async (opts: { baudRate?: number } = {}) => {
      const u = units.shift()!;
      scanned.push(u);
      for (const code of unitCodes(u)) await device.scan(code, opts);
      const { citizenId, label } = unitEnd(u);
      await station.waitFor(() => verdictFor(citizenId) !== undefined, `the verdict of ${label}`, 60_000);
    };
    const connectedCount = () => station.logs.filter((l) => l.message === 'scanner state' && l.state === 'connected').length;
    const timings: Record<string, number> = {};
    const phase = async (name: string, run: () => Promise<void>) => {
      const p0 = Date.now();
      await run();
      timings[name] = Date.now() - p0;
    };

    const rss = new RssSampler(station.child.pid!, 25);
    await phase('warm-up', async () => {
      for (let i = 0; i < 3; i++) await scanUnit();
    });
    rss.sample();
    const warmRss = rss.peak;

    await phase('10 MB of random bytes', async () => {
      await device.garbage(10 * MiB);
      await device.write(Buffer.from('\r'));
      await scanUnit();
    });
    await phase('binary', async () => {
      const all = Buffer.alloc(256 * 64, 0).map((_, i) => i % 256);
      await device.write(Buffer.concat([all, Buffer.alloc(4096, 0), Buffer.alloc(4096, 0xff), Buffer.from([0xc3, 0x28, 0xe2, 0x82, 0x0d, 0xf0, 0x9f, 0x92])]));
      await device.write(Buffer.from('\r'));
      await scanUnit();
    });
    await phase(`an endless line (${ENDLESS_MB} MB, no terminator)`, async () => {
      const chunk = Buffer.alloc(MiB, 'VNP1:A'.repeat(10));
      for (let i = 0; i < ENDLESS_MB; i++) await device.write(chunk);
      await device.write(Buffer.from('\r'));
      await scanUnit();
    });
    // Overlong lines are reported (one per debounce window: the garbage above may have had one already).
    const tooLong = station.verdicts().filter((v) => String(v.detail).startsWith('LINE_TOO_LONG'));
    expect(tooLong.length).toBeGreaterThanOrEqual(1);
    expect(tooLong.every((v) => v.verdict === 'DENY' && (v.reasons as string[]).includes('UNREADABLE'))).toBe(true);

    // 1200 baud is 120 bytes a second: a handful of walk-ins' codes take seconds each.
    const trickled: string[] = [];
    await phase('1200-baud trickle', async () => {
      for (let i = 0; i < 4; i++) {
        const k = units.findIndex((u) => u.kind === 'walk-in');
        units.unshift(...units.splice(k, 1));
        trickled.push(unitCodes(units[0]!)[0]!);
        await scanUnit({ baudRate: 1200 });
      }
    });

    let cutReads = 0;
    await phase('30 unplug/replug cycles', async () => {
      for (let i = 0; i < 30; i++) {
        // Sometimes the cable comes out in the middle of a read.
        if (random() < 0.4) {
          const code = unitCodes(units[0]!)[0]!;
          await device.write(Buffer.from(code.slice(0, 1 + Math.floor(random() * (code.length - 1)))));
          cutReads++;
        }
        const connected = connectedCount();
        await device.unplug();
        await device.replug();
        await station.waitFor(() => connectedCount() > connected, 'the scanner to reconnect', 30_000);
        await scanUnit();
      }
    });

    await phase('10 rapid unplug/replug cycles', async () => {
      // Faster than the station's watchdog (250 ms) and reopen backoff: it may notice some, miss others.
      for (let i = 0; i < 10; i++) {
        await device.unplug();
        await device.replug();
      }
      // However it went, the scanner ends up connected on the last pty and the next read is decided.
      await device.unplug();
      const connected = connectedCount();
      await device.replug();
      await station.waitFor(() => connectedCount() > connected, 'the scanner to reconnect after the storm', 30_000);
      await scanUnit();
    });

    let noiseBytes = 0;
    await phase('valid codes interleaved with noise', async () => {
      const noises: (() => Buffer)[] = [
        () => Buffer.from(Array.from({ length: 1 + Math.floor(random() * 65_536) }, () => Math.floor(random() * 256))),
        () => Buffer.alloc(1 + Math.floor(random() * 512), 0),
        () => Buffer.from('x'.repeat(2000)),
        () => Buffer.from(']C1' + 'NOT-A-QR-CODE'),
        () => Buffer.from('VNP1:' + 'Z'.repeat(Math.floor(random() * 300))),
        () => Buffer.from([0xff, 0xfe, 0x00, 0x1b, 0x37]),
      ];
      while (units.length > 0) {
        const bursts = Math.floor(random() * 3);
        for (let b = 0; b < bursts; b++) {
          const noise = noises[Math.floor(random() * noises.length)]!();
          noiseBytes += noise.length;
          await device.write(Buffer.concat([noise, Buffer.from('\r')]));
        }
        await scanUnit();
      }
    });
    rss.sample();
    rss.stop();

    // Every valid code was decided as the population expects at this checkpoint's entry lane.
    const wrong: string[] = [];
    for (const u of scanned) {
      const { citizenId, expect: want, label } = unitEnd(u);
      const v = verdictFor(citizenId)!;
      const got = u.kind === 'vehicle'
        ? { verdict: (v.crossing as { verdict: string } | null)?.verdict, reasons: (v.crossing as { reasons: string[] } | null)?.reasons }
        : { verdict: v.verdict, reasons: v.reasons };
      if (JSON.stringify(got) !== JSON.stringify(want)) wrong.push(`${label}: expected ${JSON.stringify(want)}, got ${JSON.stringify(got)}`);
    }
    expect(wrong).toEqual([]);
    expect(scanned.length).toBe(issued.vehicles.length + issued.walkIns.length);
    // Each valid code was decided once: none duplicated by the noise around it or a reconnect.
    const validCodes = new Set(scanned.flatMap(unitCodes));
    const subjects = station.verdicts().filter((v) => v.codeKind !== 'none').map((v) => JSON.stringify(v.subject));
    expect(subjects.length).toBe(validCodes.size);
    expect(new Set(subjects).size).toBe(subjects.length);

    expect(station.child.exitCode).toBeNull();
    expect(rss.peak - warmRss).toBeLessThan(RSS_GROWTH_LIMIT);
    station.kill('SIGTERM');
    expect(await station.exited).toEqual({ code: 0, signal: null });
    const { records, chain } = readStoppedJournal(dir);
    expect(chain).toEqual({ ok: true, records: records.length });
    const bySeq = new Map(records.map((r) => [r.seq, r]));
    for (const v of station.verdicts() as Line[]) expect(bySeq.get(v.seq as number)).toMatchObject({ hash: v.hash, verdict: v.verdict });

    const unreadable = station.verdicts().filter((v) => v.codeKind === 'none').length;
    console.log(`[faults] serial: ${scanned.length} units (${validCodes.size} valid codes) all decided as expected; ${unreadable} noise verdicts; `
      + `${cutReads} reads cut by an unplug; ${(noiseBytes / MiB).toFixed(1)} MiB of interleaved noise; trickle code lengths ${trickled.map((c) => c.length).join(', ')} bytes; `
      + `RSS warm ${(warmRss / MiB).toFixed(1)} MiB, peak ${(rss.peak / MiB).toFixed(1)} MiB (${rss.samples} samples); `
      + `phases ${Object.entries(timings).map(([k, ms]) => `${k} ${(ms / 1000).toFixed(1)} s`).join(', ')}; total ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
