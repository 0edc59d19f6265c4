import { VEHICLE_CASES, PERSON_CASES } from '../hardware-sim/fixtures/population.js';
import { crossingScans } from '../hardware-sim/fixtures/issue-samples.js';
import type { DemoRig } from './rig.js';

/**
 * `npm run demo -- --smoke`: issue, sync, scan every case through the scanners, check every verdict
 * and reason, revoke and see the station deny, stop the server and keep scanning, restart it, and
 * check that every journal record arrived exactly once. Prints `N passed, M failed` last.
 */
export async function runSmoke(rig: DemoRig, print: (line: string) => void): Promise<{ passed: number; failed: number }> {
  let passed = 0;
  let failed = 0;
  const check = (name: string, ok: boolean, detail = '') => {
    if (ok) passed++;
    else failed++;
    print(`${ok ? 'PASS' : 'FAIL'} ${name}${ok || !detail ? '' : `: ${detail}`}`);
  };
  const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
  const transport = { username: 'transport.demo', role: 'transport' as const, province: 79 };

  await rig.scannersConnected();
  await rig.link.syncNow();
  const cursor = rig.station.store.syncState().cursor;
  check('station took its first snapshot from the server', cursor !== null && cursor > 0, `cursor ${cursor}`);

  for (const kind of VEHICLE_CASES) {
    const v = rig.seed.vehicles.find((x) => x.sample.case === kind)!;
    let last = null;
    for (const code of crossingScans(v)) last = await rig.scanAndWait(code, 'entry');
    const got = { verdict: last?.crossing?.verdict, reasons: last?.crossing?.reasons };
    check(`vehicle ${kind} ${v.sample.plate} → ${v.sample.expect.verdict} [${v.sample.expect.reasons.join(',')}]`, same(got, v.sample.expect), JSON.stringify(got));
  }
  for (const kind of PERSON_CASES) {
    const p = rig.seed.walkIns.find((x) => x.sample.case === kind)!;
    const d = await rig.scanAndWait(p.code, 'entry');
    const got = { verdict: d.verdict, reasons: d.reasons };
    check(`person ${kind} → ${p.sample.expect.verdict} [${p.sample.expect.reasons.join(',')}]`, same(got, p.sample.expect), JSON.stringify(got));
  }

  // A vehicle issued by the neighbouring province (80 Long An), decided at this checkpoint of 79 offline from the cache.
  const n = rig.seed.neighbour;
  if (n) {
    let last = null;
    for (const code of [n.passCode, ...n.crewCodes]) last = await rig.scanAndWait(code, 'entry');
    const got = { verdict: last?.crossing?.verdict, reasons: last?.crossing?.reasons, province: last?.subject.passProvince };
    check(`vehicle ${n.plate} issued by province ${n.issuingProvince} → ALLOW at checkpoint of province 79`, same(got, { verdict: 'ALLOW', reasons: [], province: n.issuingProvince }), JSON.stringify(got));
  }

  // A forged code: a healthy pass with one character changed.
  const genuine = rig.seed.vehicles.find((x) => x.sample.case === 'healthy')!;
  const i = genuine.passCode.length - 12;
  const forged = genuine.passCode.slice(0, i) + (genuine.passCode[i] === '7' ? '8' : '7') + genuine.passCode.slice(i + 1);
  const f = await rig.scanAndWait(forged, 'entry');
  check('a forged pass is denied', f.verdict === 'DENY' && (f.reasons.includes('BAD_SIGNATURE') || f.reasons.includes('UNKNOWN_FORMAT')), JSON.stringify(f.reasons));

  // Exit of the healthy vehicle that entered, then revocation.
  for (const code of [genuine.passCode, ...genuine.crewCodes]) await rig.scanAndWait(code, 'exit');
  const exitCrossing = rig.station.engine.openCrossing('L2-ra');
  check('the healthy vehicle leaves through the exit lane', exitCrossing === null);
  rig.app!.passes.revoke(transport, genuine.passId, 'Kiểm tra thử: thu hồi');
  await rig.link.syncNow();
  const revoked = await rig.scanAndWait(genuine.passCode, 'entry');
  check('a pass revoked at the server is denied after sync', revoked.verdict === 'DENY' && revoked.reasons.includes('REVOKED'), JSON.stringify(revoked.reasons));

  // Server down: the station keeps deciding and queues.
  await rig.stopServer();
  const offline = [];
  for (const w of rig.seed.walkIns.slice(PERSON_CASES.length, PERSON_CASES.length + 20)) offline.push(await rig.scanAndWait(w.code, 'entry'));
  check('with the server stopped, 20 scans are decided', offline.length === 20 && offline.every((v) => v.seq > 0));
  check('records queue in the outbox while the server is down', rig.station.store.outboxBacklog() >= 20, `backlog ${rig.station.store.outboxBacklog()}`);

  await rig.startServer();
  const deadline = Date.now() + 30_000;
  while (rig.station.store.outboxBacklog() > 0 && Date.now() < deadline) {
    rig.link.notifyJournal();
    await new Promise((r) => setTimeout(r, 100));
  }
  check('after the server is back the outbox drains', rig.station.store.outboxBacklog() === 0, `backlog ${rig.station.store.outboxBacklog()}`);
  const local = rig.station.store.journalSince(0, 1_000_000).map((r) => `${r.seq}:${r.hash}`);
  const stored = (rig.app!.database.sqlite.prepare('SELECT seq, hash FROM journal WHERE station_id = ? ORDER BY seq').all(rig.seed.station.stationId) as { seq: number; hash: string }[]).map((r) => `${r.seq}:${r.hash}`);
  check(`every journal record (${local.length}) arrived at the server exactly once`, same(local, stored), `station ${local.length}, server ${stored.length}`);
  check('the station journal hash chain verifies', rig.station.store.verifyChain().ok);

  print(`${passed} passed, ${failed} failed`);
  return { passed, failed };
}
