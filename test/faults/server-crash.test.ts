import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanFeeder } from './support/feeder.js';
import { SCANS, seededRun, SERVER_KILLS } from './support/knobs.js';
import { FaultRig } from './support/rig.js';
import { matchJournalToStream, scanStream } from './support/scan-stream.js';
import { ENTRY_SCANNER, pollUntil, readStoppedJournal, stationOutbox } from './support/station-side.js';

/**
 * Issue 8, crash of the other side: the server process is SIGKILLed at random moments while it ingests
 * a station's backlog (a batch has arrived and is being stored or answered), and restarted on its
 * files. The station keeps deciding throughout; at the end the server holds its journal exactly once.
 */

const INGEST = '/api/v1/ingest/batches';
const { random } = seededRun('server crash');
let rig: FaultRig;

beforeAll(async () => {
  rig = await FaultRig.create('server-crash');
  await rig.server.start();
});
afterAll(async () => {
  await rig?.close();
});

describe(`server SIGKILLed ${SERVER_KILLS} times while it ingests a station's backlog`, () => {
  it('ends with every journal record stored exactly once and no conflict', async () => {
    const t0 = Date.now();
    const { server, serverStore, device } = rig;
    const total = Math.max(200, Math.floor(SCANS / 2));
    const last = rig.seed.walkIns.at(-1)!;
    const written = scanStream(rig.seed, total, random, [last.code]);
    const feeder = new ScanFeeder(device, written, random);
    const station = await rig.startStation();
    await rig.synced();

    // A first stretch with the server up, then an outage long enough to queue a backlog.
    const upTo = (n: number) => feeder.pumpUntil(station, () => feeder.sent >= n);
    await upTo(Math.floor(total * 0.2));
    await server.kill('SIGKILL');
    await upTo(Math.floor(total * 0.4));
    const backlogAtFirstRestart = stationOutbox(rig.dir);

    // Each restart: the station's next batch arrives, and the server dies a random moment into it
    // (storing it, answering it, or just after). Between restarts the lane keeps scanning.
    const perCycle = Math.floor((total * 0.5) / SERVER_KILLS);
    for (let k = 0; k < SERVER_KILLS; k++) {
      const batches = server.requestCount('POST', INGEST);
      await server.start();
      // The station retries with backoff (at most a minute), so the next batch may take a while.
      await server.waitForRequest('POST', INGEST, batches, 90_000);
      const delay = Math.floor(random() * 60);
      await new Promise((r) => setTimeout(r, delay));
      await server.kill('SIGKILL');
      await upTo(feeder.sent + perCycle);
    }
    const storedBeforeLastStart = serverStore.count(rig.stationId);

    await server.start();
    await feeder.pumpUntil(station, () => false);
    await device.scan(last.code);
    await station.waitFor(() => station.verdicts().some((v) => (v.subject as { citizenId: string | null }).citizenId === last.sample.person.citizenId), 'the last scan', 60_000);
    await pollUntil(() => stationOutbox(rig.dir) === 0, 'the outbox to drain', 150_000, 200);
    station.kill('SIGTERM');
    expect(await station.exited).toEqual({ code: 0, signal: null });

    // The station never crashed: every read was decided and printed, each once.
    const { records, chain, outbox } = readStoppedJournal(rig.dir);
    expect(chain).toEqual({ ok: true, records: records.length });
    expect(outbox).toBe(0);
    const match = matchJournalToStream(records, ENTRY_SCANNER.id, [...written, last.code]);
    expect(match).toMatchObject({ error: null, lost: 0, fragments: 0, consumed: written.length + 1 });
    const bySeq = new Map(records.map((r) => [r.seq, r]));
    for (const v of station.verdicts()) expect(bySeq.get(v.seq as number)).toMatchObject({ hash: v.hash, kind: 'scan' });

    const stored = serverStore.journal(rig.stationId);
    expect(stored.length).toBe(records.length);
    expect(stored).toEqual(records.map((r) => ({ seq: r.seq, hash: r.hash })));
    expect(serverStore.conflicts(rig.stationId)).toBe(0);
    expect(serverStore.rejects(rig.stationId)).toBe(0);

    console.log(`[faults] server crash: ${server.starts} server starts, ${SERVER_KILLS + 1} SIGKILLs (${SERVER_KILLS} within 0-60 ms of a batch arriving), `
      + `backlog ${backlogAtFirstRestart} records at the first restart, ${storedBeforeLastStart} stored before the last start, `
      + `${server.requestCount('POST', INGEST)} ingest requests in all, ${records.length} journal records (${station.verdicts().length} verdicts) at the server exactly once; ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  });
});
