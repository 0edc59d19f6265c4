import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { ScanEngine } from '../../station/engine/engine.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseStationConfig } from '../../station/config.js';
import { Station } from '../../station/station.js';
import { officerScreenForStation } from '../../station/screen/for-station.js';
import { hashPin, verifyPin } from '../../station/screen/officers.js';
import { OfficerScreen } from '../../station/screen/screen.js';
import { stationStatusProvider } from '../../station/screen/status.js';
import { maskId } from '../../station/screen/view.js';
import { openStationStore, type StationStore } from '../../station/store/store.js';
import { FakeScanner } from '../station/fake-scanner.js';

/** The officer screen's HTTP side without a browser: who may see and do what. */
const authority = createTestAuthority({ checkpointIds: [1] });
const OFFICER = { id: 'CB-007', name: 'Trần Thị Bình', pin: '2468' };

let store: StationStore;
let engine: ScanEngine;
let scanner: FakeScanner;
let screen: OfficerScreen;
let url: string;

beforeEach(async () => {
  store = openStationStore(':memory:');
  store.applyFeedItems([{ type: 'trustList', document: authority.trustDocument }, { type: 'policy', document: authority.policyDocument }], { cursor: 1, syncedAt: Date.now() });
  engine = new ScanEngine({ stationId: 'st-1', checkpointId: 1, province: 79, rootPublicKey: authority.keys.root.publicKey, store });
  engine.start();
  scanner = new FakeScanner('sc-1', 'L1', 'entry');
  engine.attach(scanner);
  await scanner.start();
  screen = new OfficerScreen({
    port: 0,
    station: { stationId: 'st-1', checkpointId: 1 },
    engine,
    store,
    status: stationStatusProvider({ scannerStates: () => [scanner.state()], store }),
    officers: [{ id: OFFICER.id, name: OFFICER.name, pinHash: await hashPin(OFFICER.pin, { N: 1024, r: 8, p: 1 }) }],
    session: { maxFailures: 3, lockMs: 60_000 },
  });
  url = await screen.start();
});

afterEach(async () => {
  await screen.stop();
  engine.stop();
  store.close();
});

async function signIn(pin = OFFICER.pin): Promise<Response> {
  return fetch(`${url}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: OFFICER.id, pin }) });
}

function cookieOf(res: Response): string {
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** Read the event stream until `count` events arrived; returns them as [name, data]. */
async function readEvents(headers: Record<string, string>, count: number, during?: () => void): Promise<[string, unknown][]> {
  const ctrl = new AbortController();
  const res = await fetch(`${url}/events`, { headers, signal: ctrl.signal });
  expect(res.headers.get('content-type')).toContain('text/event-stream');
  const reader = res.body!.getReader();
  const events: [string, unknown][] = [];
  let text = '';
  let triggered = false;
  while (events.length < count) {
    const { value, done } = await reader.read();
    if (done) break;
    text += Buffer.from(value).toString('utf8');
    for (let i = text.indexOf('\n\n'); i >= 0; i = text.indexOf('\n\n')) {
      const frame = text.slice(0, i);
      text = text.slice(i + 2);
      const name = /^event: (.*)$/m.exec(frame)?.[1];
      const data = /^data: (.*)$/m.exec(frame)?.[1];
      if (name && data) events.push([name, JSON.parse(data)]);
    }
    if (!triggered && events.length > 0 && during) {
      triggered = true;
      during();
    }
  }
  ctrl.abort();
  return events;
}

describe('officer screen API', () => {
  it('streams verdicts without names or ids to a screen nobody signed in to, and with masked ids to an officer', async () => {
    // The station holds names only as a pass's crew (walk-ins' codes carry none): the driver's name
    // comes from the pass, and is what the privacy rule is about.
    const driver = { citizenId: '079201000123', name: 'Lê Văn Khách' };
    const pass = authority.issuePass({ crew: [driver, { citizenId: '079201000124', name: 'Trần Thị Phụ' }] });
    const person = authority.issueHealth({ citizenId: driver.citizenId });
    store.applyFeedItems([pass.facts], { cursor: 2, syncedAt: Date.now() });
    const anonymous = await readEvents({}, 3, () => {
      scanner.scan(pass.code);
      scanner.scan(person.code);
    });
    expect(anonymous.map(([n]) => n)).toEqual(['hello', 'decision', 'decision']);
    const text = JSON.stringify(anonymous);
    expect(text).not.toContain('Lê Văn Khách');
    // No masked id either (its digits alone could match a timing figure in the event).
    expect(text).not.toContain(`•${driver.citizenId.slice(-4)}`);

    const cookie = cookieOf(await signIn());
    const [first] = await readEvents({ cookie }, 1);
    const [name, hello] = first!;
    expect(name).toBe('hello');
    const full = JSON.stringify(hello);
    expect(full).toContain('Lê Văn Khách');
    expect(full).toContain(maskId(driver.citizenId));
    // The full id never leaves the station.
    expect(full).not.toContain(driver.citizenId);
  });

  it('locks an officer id after repeated wrong PINs, even for the right PIN, and says so', async () => {
    expect((await signIn('1111')).status).toBe(401);
    expect((await signIn('2222')).status).toBe(401);
    const locked = await signIn('3333');
    expect(locked.status).toBe(429);
    expect(await locked.json()).toMatchObject({ error: 'LOCKED' });
    expect((await signIn()).status).toBe(429);
  });

  it('refuses lookups and overrides without a session, unknown crossings, and writes from another origin', async () => {
    expect((await fetch(`${url}/api/lookup?plate=51C12345`)).status).toBe(401);
    const body = JSON.stringify({ crossingId: 'x', verdict: 'ALLOW', note: 'kiểm tra thủ công' });
    const post = (headers: Record<string, string>) => fetch(`${url}/api/override`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    expect((await post({})).status).toBe(401);
    const cookie = cookieOf(await signIn());
    const unknown = await post({ cookie });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'CROSSING_UNKNOWN' });
    expect((await post({ cookie, origin: 'http://evil.example' })).status).toBe(403);
    const bad = await fetch(`${url}/api/override`, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ crossingId: 'x', verdict: 'MAYBE', note: 'x' }) });
    expect(bad.status).toBe(400);
    expect(store.lastSeq()).toBe(0);
  });

  it('an override of a person crossing puts the person inside; a signed-out session loses its stream', async () => {
    const person = authority.issueHealth({ status: 'F1', statusAsOf: Date.now() - 3_600_000 });
    store.applyFeedItems([person.facts], { cursor: 2, syncedAt: Date.now() });
    const decided = new Promise<string>((resolve) => engine.once('verdict', (v) => resolve(v.crossing!.id)));
    scanner.scan(person.code);
    const crossingId = await decided;
    expect(store.isInside(`person:${person.facts.citizenId}`)).toBe(false);
    const cookie = cookieOf(await signIn());
    const res = await fetch(`${url}/api/override`, {
      method: 'POST', headers: { 'content-type': 'application/json', cookie }, body: JSON.stringify({ crossingId, verdict: 'ALLOW', note: 'F1 đã hết cách ly, có giấy xác nhận' }),
    });
    expect(res.status).toBe(200);
    expect(store.journalSince(0).at(-1)).toMatchObject({ kind: 'override', officer: OFFICER.id, citizenId: person.facts.citizenId, verdict: 'ALLOW' });
    expect(store.isInside(`person:${person.facts.citizenId}`)).toBe(true);

    const events = await readEvents({ cookie }, 2, () => void fetch(`${url}/api/session`, { method: 'DELETE', headers: { cookie } }));
    expect(events.map(([n]) => n)).toEqual(['hello', 'signedout']);
    expect((await fetch(`${url}/api/lookup?plate=51C12345`, { headers: { cookie } })).status).toBe(401);
  });

  it('stops promptly with a stream open', async () => {
    const res = await fetch(`${url}/events`);
    const reader = res.body!.getReader();
    await reader.read();
    const t0 = performance.now();
    await screen.stop();
    expect(performance.now() - t0).toBeLessThan(1000);
    await expect(fetch(`${url}/api/meta`)).rejects.toThrow();
  });

  it('PIN hashes: the right PIN matches, a wrong one or a malformed hash does not', async () => {
    const hash = await hashPin('975310', { N: 1024, r: 8, p: 1 });
    expect(hash).toMatch(/^scrypt\$1024\$8\$1\$/);
    expect(await verifyPin('975310', hash)).toBe(true);
    expect(await verifyPin('975311', hash)).toBe(false);
    expect(await verifyPin('975310', hash.replace('$1024$', '$1000$'))).toBe(false);
    expect(await verifyPin('975310', 'plain-text-pin')).toBe(false);
  });

  it('is built from a station config: officers from the config sign in, the station id is shown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'officer-config-'));
    const pinHash = await hashPin('1357', { N: 1024, r: 8, p: 1 });
    const input = {
      stationId: 'st-79-042', checkpointId: 1, province: 79,
      rootPublicKey: authority.keys.root.publicKey.export({ format: 'jwk' }).x,
      dataDir: dir, scanners: [],
      officerScreen: { host: '127.0.0.1', port: 0, officers: [{ id: 'CB-042', name: 'Phạm Văn Đức', pinHash }] },
    };
    const config = parseStationConfig(input);
    const station = new Station(config, { scanners: [new FakeScanner('sc-9', 'L9', 'exit')] });
    await station.start();
    const stationScreen = officerScreenForStation(station)!;
    try {
      const base = await stationScreen.start();
      expect(await (await fetch(`${base}/api/meta`)).json()).toMatchObject({ station: { stationId: 'st-79-042', checkpointId: 1 }, officers: 1 });
      const res = await fetch(`${base}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ id: 'CB-042', pin: '1357' }) });
      expect(await res.json()).toEqual({ officer: { id: 'CB-042', name: 'Phạm Văn Đức' } });
    } finally {
      await stationScreen.stop();
      await station.stop();
      await rm(dir, { recursive: true, force: true });
    }
    // A PIN written in clear instead of its hash is refused at start, naming the field.
    expect(() => parseStationConfig({ ...input, officerScreen: { host: 'x', port: 1, officers: [{ id: 'A', name: 'B', pinHash: '4821' }] } })).toThrow(/officerScreen\.officers\[0\]\.pinHash/);
  });
});
