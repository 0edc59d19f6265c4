import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Line } from '../station/station-process.js';
import { ScanFeeder } from './support/feeder.js';
import { randomPoints, SCANS, seededRun, STATION_KILLS } from './support/knobs.js';
import { FaultRig } from './support/rig.js';
import { matchJournalToStream, scanStream } from './support/scan-stream.js';
import { ENTRY_SCANNER, pollUntil, readStoppedJournal, RssSampler, stationOutbox } from './support/station-side.js';

/**
 * Issue 8, crash: the station (`npm run station`, a child process) decides a long stream of scans read
 * from a socat pty while its link uploads to a real server process on loopback, and is SIGKILLed at
 * random moments and restarted on the same files. Every printed verdict must be in the journal exactly
 * once after each crash, and at the end the server must hold the journal exactly once.
 */

/** Reads a station may have taken from the pty but not decided when it was killed: at most two feeder windows. */
const MAX_LOST_PER_KILL = 24;

const { random } = seededRun('station crash');
let rig: FaultRig;

beforeAll(async () => {
  rig = await FaultRig.create('station-crash');
  await rig.server.start();
});
afterAll(async () => {
  await rig?.close();
});

describe(`station SIGKILLed ${STATION_KILLS} times during a ${SCANS}-scan stream with uploads running`, () => {
  it('keeps every printed verdict in its journal exactly once, and the server ends with the journal exactly once', async () => {
    const t0 = Date.now();
    const [sentinel] = rig.seed.walkIns.slice(-1).map((w) => w.code);
    const written = scanStream(rig.seed, SCANS, random, [sentinel!]);
    const { dir, seed, device, serverStore } = rig;

    let station = await rig.startStation();
    const rss = new RssSampler(station.child.pid!);
    // Decide from the server's whitelist, not from an empty cache (the link's first snapshot).
    await rig.synced();

    const feeder = new ScanFeeder(device, written, random);

    const printed: Line[] = [];
    const printedSoFar = () => printed.length + station.verdicts().length;
    const kills = randomPoints(random, STATION_KILLS, 20, Math.floor(SCANS * 0.9));
    const restartMs: number[] = [];
    let maxLost = 0;
    let lostBefore = 0;
    for (const [k, at] of kills.entries()) {
      await feeder.pumpUntil(station, () => printedSoFar() >= at);
      // The kills come at random points, and with some seeds they come too close together for any upload
      // to finish (a restart takes about a second): before the middle kill, let this life upload, so that
      // uploads interrupted by later kills are always part of the run, whatever the seed.
      if (k === Math.floor(kills.length / 2)) {
        await pollUntil(() => serverStore.count(seed.station.stationId) > 0, 'an upload between the crashes', 90_000, 100);
      }
      // A random moment: between two decisions, inside one, or while a batch is on its way to the server.
      await new Promise((r) => setTimeout(r, Math.floor(random() * 40)));
      station.kill('SIGKILL');
      expect((await station.exited).signal).toBe('SIGKILL');
      printed.push(...station.verdicts());

      // The files the restart will open: every verdict printed so far is there, once, chain intact.
      const { records, chain } = readStoppedJournal(dir);
      expect(chain).toEqual({ ok: true, records: records.length });
      const bySeq = new Map(records.map((r) => [r.seq, r]));
      for (const v of printed) expect(bySeq.get(v.seq as number), `verdict seq ${String(v.seq)}`).toMatchObject({ hash: v.hash, kind: 'scan', verdict: v.verdict });
      expect(new Set(printed.map((v) => v.seq)).size).toBe(printed.length);
      const match = matchJournalToStream(records, ENTRY_SCANNER.id, written);
      expect(match.error).toBeNull();
      // Reads lost by this crash: those it took from the pty and died before deciding (never shown).
      expect(match.lost - lostBefore).toBeLessThanOrEqual(MAX_LOST_PER_KILL);
      expect(match.fragments).toBeLessThanOrEqual(k + 1);
      maxLost = Math.max(maxLost, match.lost - lostBefore);
      lostBefore = match.lost;

      const r0 = Date.now();
      feeder.rebase();
      station = await rig.startStation();
      restartMs.push(Date.now() - r0);
      rss.follow(station.child.pid!);
    }

    // Uploads ran between the crashes (the server already holds part of the journal).
    const storedDuringCrashes = serverStore.count(seed.station.stationId);
    expect(storedDuringCrashes).toBeGreaterThan(0);

    await feeder.pumpUntil(station, () => false);
    await device.scan(sentinel!);
    const sentinelId = seed.walkIns.at(-1)!.sample.person.citizenId;
    await station.waitFor(() => station.verdicts().some((v) => (v.subject as { citizenId: string | null }).citizenId === sentinelId), 'the last scan', 120_000);
    // Backoff after the crashes is at most a minute; the outbox then drains in a few batches.
    await pollUntil(() => stationOutbox(dir) === 0, 'the outbox to drain', 150_000, 200);
    station.kill('SIGTERM');
    expect(await station.exited).toEqual({ code: 0, signal: null });
    printed.push(...station.verdicts());
    rss.stop();

    const { records, chain, outbox } = readStoppedJournal(dir);
    expect(chain).toEqual({ ok: true, records: records.length });
    expect(outbox).toBe(0);
    const bySeq = new Map(records.map((r) => [r.seq, r]));
    for (const v of printed) expect(bySeq.get(v.seq as number)).toMatchObject({ hash: v.hash, kind: 'scan', verdict: v.verdict });
    const match = matchJournalToStream(records, ENTRY_SCANNER.id, [...written, sentinel!]);
    expect(match.error).toBeNull();
    expect(match.consumed).toBe(written.length + 1);
    expect(match.lost).toBeLessThanOrEqual(MAX_LOST_PER_KILL * kills.length);

    // The server: the station's journal, each record exactly once, nothing in conflict.
    const stored = serverStore.journal(seed.station.stationId);
    expect(stored.length).toBe(records.length);
    expect(stored).toEqual(records.map((r) => ({ seq: r.seq, hash: r.hash })));
    expect(serverStore.conflicts(seed.station.stationId)).toBe(0);
    expect(serverStore.rejects(seed.station.stationId)).toBe(0);

    const verdicts = records.filter((r) => r.kind === 'scan');
    console.log(`[faults] station crash: ${feeder.sent + 1} scans written, ${printed.length} verdicts printed, ${verdicts.length} scan records `
      + `(${match.lost} reads lost in ${kills.length} crashes, at most ${maxLost} in one, ${match.fragments} cut lines), ${records.length} journal records at the server exactly once (${storedDuringCrashes} uploaded during the crash phase); `
      + `verdicts ${['ALLOW', 'DENY', 'REVIEW'].map((x) => `${x} ${verdicts.filter((r) => r.verdict === x).length}`).join(', ')}; `
      + `restart to 'station started' p50 ${restartMs.sort((a, b) => a - b)[restartMs.length >> 1]} ms; station peak RSS ${(rss.peak / 2 ** 20).toFixed(1)} MiB; `
      + `${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
