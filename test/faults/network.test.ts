import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLEAN, FaultProxy, type FaultPlan } from '../support/fault-proxy.js';
import { ScanFeeder } from './support/feeder.js';
import { SCANS, seededRun } from './support/knobs.js';
import { FaultRig } from './support/rig.js';
import { matchJournalToStream, scanStream } from './support/scan-stream.js';
import { ENTRY_SCANNER, pollUntil, readStoppedJournal } from './support/station-side.js';

/**
 * Issue 8, network: the station's link goes through the project's fault proxy (drops, delays, resets,
 * lost and truncated answers, 5xx, outages; mixed and seeded) while the lane scans. Once the network
 * is clean again, the station's journal and the server's store are identical: nothing lost, nothing
 * twice, nothing in conflict.
 */

type Stats = FaultProxy['stats'];
const faultCount = (s: Stats) => s.resets + s.lostAnswers + s.truncated + s.errors;

/**
 * Stretches of bad network, in turn while the lane scans; each lasts until its faults have hit the
 * station's requests a few times (counted by the proxy), so every kind surely happens.
 */
/** `linkErrors`: the link's last errors (sync, upload, heartbeat), joined. */
type Until = (now: Stats, before: Stats, linkErrors: string) => boolean;
const STRETCHES: { name: string; plan: Partial<FaultPlan>; until: Until }[] = [
  { name: 'mixed', plan: { delayMs: 40, jitterMs: 40, resetRate: 0.1, lostAnswerRate: 0.15, truncateRate: 0.15, errorRate: 0.15 }, until: (n, b) => faultCount(n) - faultCount(b) >= 10 },
  { name: 'outage', plan: { down: true }, until: (n, b) => n.resets - b.resets >= 5 },
  { name: 'slow, answers lost', plan: { delayMs: 150, jitterMs: 100, lostAnswerRate: 0.3 }, until: (n, b) => n.lostAnswers - b.lostAnswers >= 5 },
  { name: 'truncated and 5xx', plan: { truncateRate: 0.4, errorRate: 0.2 }, until: (n, b) => n.truncated - b.truncated >= 5 && n.errors - b.errors >= 4 },
  // Answers later than the station's 15 s request timeout: the batch is stored after the station gave up on it.
  { name: 'stalled', plan: { delayMs: 9000 }, until: (_n, _b, linkErrors) => /timeout/i.test(linkErrors) },
  { name: 'resets', plan: { resetRate: 0.3, delayMs: 10, jitterMs: 10 }, until: (n, b) => n.resets - b.resets >= 5 },
  { name: 'mixed again', plan: { delayMs: 20, jitterMs: 20, resetRate: 0.1, lostAnswerRate: 0.2, truncateRate: 0.2, errorRate: 0.2 }, until: (n, b) => faultCount(n) - faultCount(b) >= 10 },
];

const { random } = seededRun('network');
let rig: FaultRig;
let proxy: FaultProxy;

beforeAll(async () => {
  rig = await FaultRig.create('network');
  await rig.server.start();
  proxy = new FaultProxy({ host: '127.0.0.1', port: rig.server.port }, STRETCHES[0]!.plan, random);
  await proxy.start();
});
afterAll(async () => {
  await proxy?.stop();
  await rig?.close();
});

describe('station and server through a fault-injecting proxy', () => {
  it('ends with the station journal and the server store identical, no duplicate, no conflict', async () => {
    const t0 = Date.now();
    const total = Math.max(200, Math.floor(SCANS / 2));
    const last = rig.seed.walkIns.at(-1)!;
    const written = scanStream(rig.seed, total, random, [last.code]);
    const feeder = new ScanFeeder(rig.device, written, random);
    // In this process so that the link talks often (sync and heartbeat every second, small batches,
    // backoff capped at 2 s): many requests meet the faults in a short run.
    const local = rig.inProcessStation(proxy.url, { syncIntervalMs: 1000, heartbeatIntervalMs: 1000, uploadMaxDelayMs: 200, uploadBatchSize: 100, backoffMaxMs: 2000 });
    const { station } = local;
    await station.start();
    // Even the first snapshot comes through the bad network.
    await pollUntil(() => (station.store.syncState().cursor ?? 0) > 0, 'the first snapshot', 60_000);

    const stretch = Math.ceil(total / STRETCHES.length);
    const durations: string[] = [];
    for (const [i, s] of STRETCHES.entries()) {
      const s0 = Date.now();
      const before = { ...proxy.stats };
      proxy.plan = { ...CLEAN, ...s.plan };
      // The lane keeps scanning (about 25 reads a second) until the stretch's faults hit the link's requests.
      const link = station.link!;
      const done = () => s.until(proxy.stats, before, [link.status().sync.lastError, link.status().upload.lastError, link.status().heartbeatError].join(' '));
      await feeder.pumpUntil(local, () => feeder.sent >= (i + 1) * stretch && done(), { gapMs: 100 });
      // The stream ran out first: the heartbeat and the sync still talk. The proxy has no events; its counters are read here.
      await pollUntil(done, `${s.name}: faults to hit the station's requests`, 60_000, 50);
      durations.push(`${s.name} ${((Date.now() - s0) / 1000).toFixed(1)} s`);
    }
    const storedWhileFaulty = rig.serverStore.count(rig.stationId);
    const faults = { ...proxy.stats };

    proxy.plan = { ...CLEAN };
    await rig.device.scan(last.code);
    await local.waitFor(() => local.verdicts().some((v) => v.subject.citizenId === last.sample.person.citizenId), 'the last scan', 60_000);
    await pollUntil(() => station.store.outboxBacklog() === 0, 'the outbox to drain', 60_000, 50);
    await station.stop();

    const { records, chain, outbox } = readStoppedJournal(rig.dir);
    expect(chain).toEqual({ ok: true, records: records.length });
    expect(outbox).toBe(0);
    // Decisions never waited on the network: every read was decided and journaled once.
    expect(matchJournalToStream(records, ENTRY_SCANNER.id, [...written, last.code])).toMatchObject({ error: null, lost: 0, fragments: 0, consumed: written.length + 1 });
    expect(local.verdicts().map((v) => v.seq)).toEqual(records.filter((r) => r.kind === 'scan').map((r) => r.seq));

    const stored = rig.serverStore.journal(rig.stationId);
    expect(stored.length).toBe(records.length);
    expect(stored).toEqual(records.map((r) => ({ seq: r.seq, hash: r.hash })));
    expect(rig.serverStore.conflicts(rig.stationId)).toBe(0);
    expect(rig.serverStore.rejects(rig.stationId)).toBe(0);
    expect(local.errors).toEqual([]);

    console.log(`[faults] network: ${written.length + 1} scans, ${records.length} journal records identical at the server (${storedWhileFaulty} stored while faulty); `
      + `proxy ${JSON.stringify(faults)}; stretches: ${durations.join(', ')}; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
