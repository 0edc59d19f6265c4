import { presenceKey } from '../../shared/rules/crossing.js';
import type { KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import type { FeedItem } from '../../shared/contracts/feed.js';
import type { SignedDocument } from '../../shared/trust/signed-document.js';
import { twoProvinces } from '../station/two-provinces.js';
import { ScanEngine, type VerdictEvent } from '../../station/engine/engine.js';
import { openStationStore, type StationStore } from '../../station/store/store.js';
import { makeTestApp, registerStation, testClock, userWithRole, type TestCaller, type TestStation } from '../server/helpers.js';

/**
 * A cloned pass (a photocopied sheet, a shared screenshot) shows up as one vehicle entering twice:
 * at one station as ALREADY_INSIDE, across stations only at the server, which sees both journals.
 * Real station engines and stores on both sides; their journals are uploaded as the uploader does.
 */
const NOW = Date.UTC(2021, 8, 1, 8);
const HOUR = 3_600_000;
const authority = createTestAuthority({ now: NOW, checkpointIds: [11, 22] });

interface Rig { id: string; checkpointId: number; store: StationStore; engine: ScanEngine; credential: TestStation | null }

let dir: string;
let now: number;
const rigs: Rig[] = [];

function station(id: string, checkpointId: number, items: FeedItem[], trust: { document: SignedDocument; root: KeyObject } = { document: authority.trustDocument, root: authority.keys.root.publicKey }): Rig {
  const store = openStationStore(join(dir, `${id}.db`));
  store.applyFeedItems([{ type: 'trustList', document: trust.document }, { type: 'policy', document: authority.policyDocument }, ...items], { cursor: 1, syncedAt: NOW });
  const engine = new ScanEngine({ stationId: id, checkpointId, province: authority.province, rootPublicKey: trust.root, store, clock: () => now });
  engine.start();
  const rig = { id, checkpointId, store, engine, credential: null };
  rigs.push(rig);
  return rig;
}

function scan(rig: Rig, payload: string, direction: 'entry' | 'exit'): VerdictEvent {
  const lane = direction === 'entry' ? 'L1' : 'L2';
  const v = rig.engine.handleScan({ scannerId: `sc-${lane}`, lane, direction, kind: 'payload', payload, symbology: 'Q', receivedAt: now });
  if (!v) throw new Error('no verdict');
  return v;
}

/** A vehicle with a one-person crew: the pass, then the driver's health code, which completes the crossing. */
function vehicle(rig: Rig, v: { pass: string; driver: string }, direction: 'entry' | 'exit'): { pass: VerdictEvent; closed: VerdictEvent } {
  const pass = scan(rig, v.pass, direction);
  const closed = scan(rig, v.driver, direction);
  return { pass, closed };
}

let people = 0;
function issueVehicle() {
  const pass = authority.issuePass({ crew: [{ citizenId: `0790${String(++people).padStart(8, '0')}`, name: 'Lê Văn Lái' }] });
  const driver = authority.issueHealth({ citizenId: pass.facts.crew[0]!.citizenId, name: 'Lê Văn Lái' });
  return { pass: pass.code, driver: driver.code, passId: pass.facts.passId, passKey: pass.facts, items: [pass.facts, driver.facts] as FeedItem[] };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sec-clones-'));
  now = NOW;
});
afterEach(() => {
  for (const r of rigs.splice(0)) {
    r.engine.stop();
    r.store.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('clones at one station: ALREADY_INSIDE', () => {
  it('a second entry of a vehicle (or a person) already inside is flagged for the officer, and an exit clears it', () => {
    const v = issueVehicle();
    const walker = authority.issueHealth({ citizenId: '079099000555', name: 'Phạm Thị Đi Bộ' });
    const a = station('chot-a', 11, [...v.items, walker.facts]);

    const first = vehicle(a, v, 'entry');
    expect(first.pass).toMatchObject({ verdict: 'ALLOW', reasons: [] });
    expect(first.closed.crossing).toMatchObject({ state: 'closed', verdict: 'ALLOW' });
    expect(a.store.isInside(presenceKey.pass(v.passKey))).toBe(true);

    now += HOUR; // the same code again on entry, an hour later: a copy, or a U-turn the lane did not see
    const again = vehicle(a, v, 'entry');
    expect(again.pass.reasons).toContain('ALREADY_INSIDE');
    expect(again.pass.verdict).not.toBe('ALLOW');
    expect(again.closed.crossing?.reasons).toContain('ALREADY_INSIDE');
    expect(a.store.journalSince(0).filter((r) => r.kind === 'crossing').map((r) => r.reasons.includes('ALREADY_INSIDE'))).toEqual([false, true]);

    // after an exit, a new entry is normal again
    now += HOUR;
    vehicle(a, v, 'exit');
    expect(a.store.isInside(presenceKey.pass(v.passKey))).toBe(false);
    now += HOUR;
    expect(vehicle(a, v, 'entry').pass).toMatchObject({ verdict: 'ALLOW', reasons: [] });

    // a person on foot, by their health code
    expect(scan(a, walker.code, 'entry').verdict).toBe('ALLOW');
    now += HOUR;
    expect(scan(a, walker.code, 'entry').reasons).toContain('ALREADY_INSIDE');
  });
});

describe('clones across stations: flagged at the server', () => {
  let app: FastifyInstance;
  let command: TestCaller;
  const clock = testClock(NOW);

  beforeEach(async () => {
    clock.set(NOW);
    app = await makeTestApp({ clock });
    const admin = await userWithRole(app, 'admin', authority.province);
    command = await userWithRole(app, 'command', authority.province);
    creds.clear();
    for (const [id, cp] of [['chot-a', 11], ['chot-b', 22]] as const) creds.set(id, await registerStation(app, admin, { stationId: id, checkpointId: cp }));
  });
  afterEach(async () => app.close());
  const creds = new Map<string, TestStation>();

  async function upload(rig: Rig, cred: TestStation): Promise<void> {
    const records = rig.store.outboxBatch(1000);
    const res = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: cred.headers, payload: { stationId: rig.id, records } });
    expect(res.statusCode, res.body).toBe(200);
    const ack = res.json() as { ackedSeq: number; rejected: unknown[]; chainBreaks: unknown[] };
    expect(ack).toMatchObject({ rejected: [], chainBreaks: [] });
    rig.store.ackOutbox(ack.ackedSeq);
  }

  const cloneAlerts = async () => {
    const res = await app.inject({ url: '/api/v1/alerts?kind=CLONE', headers: command.headers });
    expect(res.statusCode).toBe(200);
    return res.json() as { kind: string; passId: number; passProvince: number | null; stationId: string; message: string }[];
  };

  it('the same pass ALLOWed on entry at two checkpoints with no exit between raises one CLONE alert; a vehicle that left does not', async () => {
    const [credA, credB] = [creds.get('chot-a')!, creds.get('chot-b')!];

    const cloned = issueVehicle();
    const honest = issueVehicle();
    const a = station('chot-a', 11, [...cloned.items, ...honest.items]);
    const b = station('chot-b', 22, [...cloned.items, ...honest.items]);

    // 08:00 both enter at A; 09:00 the honest one leaves at A; 10:00 both "enter" at B
    expect(vehicle(a, cloned, 'entry').closed.crossing?.verdict).toBe('ALLOW');
    expect(vehicle(a, honest, 'entry').closed.crossing?.verdict).toBe('ALLOW');
    now += HOUR;
    vehicle(a, honest, 'exit');
    now += HOUR;
    // each station alone sees nothing wrong: B has never seen either vehicle
    expect(vehicle(b, cloned, 'entry').closed.crossing).toMatchObject({ verdict: 'ALLOW', reasons: [] });
    expect(vehicle(b, honest, 'entry').closed.crossing).toMatchObject({ verdict: 'ALLOW', reasons: [] });

    // B's journal reaches the server first (A was offline): the clone is found when A's arrives
    await upload(b, credB);
    expect(await cloneAlerts()).toEqual([]);
    await upload(a, credA);
    const alerts = await cloneAlerts();
    expect(alerts).toEqual([expect.objectContaining({ kind: 'CLONE', passId: cloned.passId, stationId: 'chot-b' })]);
    expect(alerts[0]!.message).toMatch(/checkpoint 11 .*checkpoint 22/);
    // re-sent batches (a lost ack) raise no second alert
    const again = await app.inject({ method: 'POST', url: '/api/v1/ingest/batches', headers: credA.headers, payload: { stationId: 'chot-a', records: a.store.journalSince(0) } });
    expect(again.json()).toMatchObject({ stored: 0 });
    expect(await cloneAlerts()).toHaveLength(1);
    // and the fleet view names it at the second checkpoint
    const fleet = (await app.inject({ url: '/api/v1/stations/chot-b', headers: command.headers })).json() as { warnings: { code: string }[] };
    expect(fleet.warnings.map((w) => w.code)).toContain('CLONE');
  });
  it('pass 17 of province 79 and pass 17 of province 80 entering at two checkpoints are two vehicles, not a clone', async () => {
    const [credA, credB] = [creds.get('chot-a')!, creds.get('chot-b')!];
    const { a: hcm, b: longAn, trustDocument } = twoProvinces(NOW, [11, 22]);
    const trust = { document: trustDocument, root: hcm.keys.root.publicKey };
    const issue = (auth: typeof hcm, citizen: string) => {
      const pass = auth.issuePass({ passId: 17, crew: [{ citizenId: citizen, name: 'Lê Văn Lái' }] });
      const driver = auth.issueHealth({ citizenId: citizen, name: 'Lê Văn Lái' });
      return { pass: pass.code, driver: driver.code, items: [pass.facts, driver.facts] as FeedItem[] };
    };
    const v79 = issue(hcm, '079099017017');
    const v80 = issue(longAn, '080099017017');
    const a = station('chot-a', 11, [...v79.items, ...v80.items], trust);
    const b = station('chot-b', 22, [...v79.items, ...v80.items], trust);
    expect(vehicle(a, v79, 'entry').closed.crossing?.verdict).toBe('ALLOW');
    now += HOUR;
    expect(vehicle(b, v80, 'entry').closed.crossing?.verdict).toBe('ALLOW');
    await upload(a, credA);
    await upload(b, credB);
    expect(await cloneAlerts()).toEqual([]);
    // the same pass 17 of 79 entering at B too is one
    now += HOUR;
    expect(vehicle(b, v79, 'entry').closed.crossing?.verdict).toBe('ALLOW');
    await upload(b, credB);
    const alerts = await cloneAlerts();
    expect(alerts).toEqual([expect.objectContaining({ kind: 'CLONE', passId: 17, passProvince: 79, stationId: 'chot-b' })]);
    expect(alerts[0]!.message).toMatch(/pass 79-17 entered/);
  });
});
