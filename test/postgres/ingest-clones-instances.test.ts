import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStation } from '../../server/auth/access.js';
import type { PgServerDatabase } from '../../server/db/pg/database.js';
import { PgIngestRepository } from '../../server/services/ingest/pg-repository.js';
import type { IngestRepository } from '../../server/services/ingest/repository.js';
import { IngestService } from '../../server/services/ingest/service.js';
import type { JournalRecord } from '../../shared/contracts/journal.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { JournalWriter } from '../server/journal-fixtures.js';
import { blockedOnLock, gate, openTwoInstances } from './two-instances.js';
import { insertStationRow } from './station-row.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();
const HOUR = 3_600_000;
const T0 = Date.UTC(2021, 6, 30, 1);
const clock = () => T0 + 10 * HOUR;
const lanes = [{ id: 'L1', direction: 'entry' as const }, { id: 'L2', direction: 'exit' as const }];

type Step = 'insertAlerts' | 'withdrawClones';

/**
 * Clone detection reads other stations' records, so two server instances judging one pass at once must
 * take turns: Ho Chi Minh City's entry of pass 79-n on instance A, Long An's on instance B. Instance A
 * is held, its transaction open, right after it has judged (the gate); B's batch then runs. Without a
 * lock B judges without A's uncommitted entry, A judged without B's, and the clone goes unreported.
 */
describe.skipIf(skip)(`clone detection with two server instances on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('ingest_clones');
  let a: PgServerDatabase;
  let b: PgServerDatabase;
  let n = 0;

  beforeAll(async () => {
    [a, b] = await openTwoInstances(pg.url());
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  const station = async (province: number): Promise<AuthStation> => {
    const s = { stationId: `chot-${province}-${++n}`, checkpointId: n, province, lanes };
    await insertStationRow(a.client, s);
    return s;
  };

  /**
   * Instance A's ingest service, whose transaction stops once `step` has run (it has judged, its locks
   * held): `reached` resolves there, and it goes on to commit when `open` is called.
   */
  const heldAfter = (db: PgServerDatabase, step: Step) => {
    const g = gate();
    let stopped!: () => void;
    const reached = new Promise<void>((r) => (stopped = r));
    const repo = new PgIngestRepository(db.client);
    const held: IngestRepository = Object.assign(Object.create(repo) as PgIngestRepository, {
      [step]: async (list: never) => {
        const out = await (repo[step] as (l: never) => Promise<unknown>).call(repo, list);
        stopped();
        await g.wait;
        return out;
      },
    });
    return { service: new IngestService(db.client, held, clock), reached, open: g.open };
  };
  const plain = (db: PgServerDatabase) => new IngestService(db.client, new PgIngestRepository(db.client), clock);
  const batch = (s: AuthStation, records: readonly JournalRecord[]) => ({ stationId: s.stationId, records });
  const cloneAlerts = (passId: number) => a.client.all<{ station_id: string; open: number }>(
    "SELECT station_id, (acknowledged_at IS NULL)::int AS open FROM station_alerts WHERE kind = 'CLONE' AND pass_province = 79 AND pass_id = ? ORDER BY station_id",
    [passId],
  );

  /** A's batch runs up to its stop; then B's, until it finishes or waits on a lock; then A goes on. */
  async function interleave(held: ReturnType<typeof heldAfter>, first: () => Promise<unknown>, second: () => Promise<unknown>) {
    const ackA = first();
    await held.reached;
    const ackB = second();
    await Promise.race([ackB, blockedOnLock(a.client)]);
    held.open();
    return Promise.all([ackA, ackB]);
  }

  it('two entries of one pass at once on two instances: the second judged sees the first, and both provinces are alerted', async () => {
    const passId = 100 + n;
    const [hcm, la] = [await station(79), await station(80)];
    const [wh, wl] = [new JournalWriter(hcm.stationId), new JournalWriter(la.stationId)];
    wh.vehicle(T0, { crossingId: 'h1', passId, plate: '51C-123.45', crew: ['079099000017'] });
    wl.vehicle(T0 + HOUR, { crossingId: 'l1', passId, plate: '51C-123.45', crew: ['079099000017'] });

    // A stops after it has judged and stored its alerts (none: B's entry is not there yet)
    const held = heldAfter(a, 'insertAlerts');
    const acks = await interleave(held, () => held.service.ingestGrouped(hcm, batch(hcm, wh.records)), () => plain(b).ingestGrouped(la, batch(la, wl.records)));

    expect(acks).toEqual([
      expect.objectContaining({ ackedSeq: wh.records.length, stored: wh.records.length, chainBreaks: [] }),
      expect.objectContaining({ ackedSeq: wl.records.length, stored: wl.records.length, chainBreaks: [] }),
    ]);
    expect(await cloneAlerts(passId)).toEqual([
      { station_id: hcm.stationId, open: 1 },
      { station_id: la.stationId, open: 1 },
    ]);
  });

  it('an exit and the entry it explains at once on two instances: the entry judged second sees the exit, and no alert stays open', async () => {
    const passId = 100 + n;
    const [la, hcm] = [await station(80), await station(79)];
    const [wl, wh] = [new JournalWriter(la.stationId), new JournalWriter(hcm.stationId)];
    // into Long An (uploaded earlier), out of Long An, then into Ho Chi Minh City a minute later: a journey
    wl.vehicle(T0, { crossingId: 'l-in', passId, plate: '51C-123.45', crew: ['079099000017'] });
    const entered = wl.records.length;
    wl.vehicle(T0 + HOUR, { crossingId: 'l-out', passId, plate: '51C-123.45', crew: ['079099000017'], lane: 'L2', direction: 'exit' });
    wh.vehicle(T0 + HOUR + 60_000, { crossingId: 'h1', passId, plate: '51C-123.45', crew: ['079099000017'] });
    await plain(a).ingestGrouped(la, batch(la, wl.records.slice(0, entered)));

    // A (the exit) stops after it looked for clones to withdraw (none: B's entry is not there yet)
    const held = heldAfter(a, 'withdrawClones');
    await interleave(held, () => held.service.ingestGrouped(la, batch(la, wl.records.slice(entered))), () => plain(b).ingestGrouped(hcm, batch(hcm, wh.records)));

    expect(await cloneAlerts(passId)).toEqual([]);
  });
});
