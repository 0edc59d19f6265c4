import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseStationConfig } from '../../station/config.js';
import type { VerdictEvent } from '../../station/engine/engine.js';
import { Station } from '../../station/station.js';
import { FakeScanner } from '../station/fake-scanner.js';
import { makeTestApp, registerStation, testClock, userWithRole, type TestCaller, type TestStation } from '../server/helpers.js';

/**
 * A station whose clock is three hours fast, talking to the real server over HTTP through its own
 * link: the server flags it from its heartbeats, and every record keeps both the station's time
 * (`at`) and the server's receipt time (`receivedAt`), so an audit can tell which clock said what.
 */
const HOUR = 3_600_000;
const SKEW = 3 * HOUR;
const T0 = Date.UTC(2021, 8, 1, 8);

/** Poll with a bounded wait: the server raises no event a test can await for a station's background loop. */
async function until<T>(what: string, get: () => Promise<T | null> | T | null, ms = 8000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await get();
    if (v !== null) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

let app: FastifyInstance;
let dir: string;
let station: Station;
let admin: TestCaller;
let command: TestCaller;
let cred: TestStation;
const serverClock = testClock(T0);
const scanner = new FakeScanner('in-1', 'L1', 'entry');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sec-clock-'));
  app = await makeTestApp({ clock: serverClock, env: { CLOCK_SKEW_WARN_SECONDS: '300' } });
  await app.listen({ port: 0, host: '127.0.0.1' });
  [admin, command] = await Promise.all([userWithRole(app, 'admin', 79), userWithRole(app, 'command', 79)]);
  const transport = await userWithRole(app, 'transport', 79);
  cred = await registerStation(app, admin, { stationId: 'chot-lech-gio', checkpointId: 7 });
  const root = (await app.inject({ url: '/api/v1/trust/root' })).json() as { publicKey: string };
  const config = parseStationConfig({
    stationId: cred.stationId, checkpointId: 7, province: 79, rootPublicKey: root.publicKey, dataDir: join(dir, 'data'), scanners: [],
    server: { url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, credential: cred.secret },
  });
  // the pass is issued before the station starts, so its first snapshot carries it
  const pass = await app.inject({
    method: 'POST', url: '/api/v1/passes', headers: transport.headers,
    payload: { plate: '43C-246.80', company: 'Công ty C', goods: 1, crew: [{ citizenId: '079300000001', name: 'Hồ Văn Giờ' }], originZone: '79', destinationZone: '43', routeCheckpoints: [7], routeProvinces: [79], validTo: T0 + 10 * 24 * HOUR },
  });
  expect(pass.statusCode, pass.body).toBe(201);
  passCode = (pass.json() as { code: string }).code;
  station = new Station(config, {
    clock: () => serverClock() + SKEW,
    scanners: [scanner],
    link: { syncIntervalMs: 100, uploadMaxDelayMs: 10, backoffMaxMs: 100, heartbeatIntervalMs: 100 },
  });
  await station.start();
});
let passCode = '';

afterAll(async () => {
  await station?.stop();
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('a station whose clock is hours off', () => {
  it('is flagged CLOCK_SKEW in the fleet view from its heartbeats, with the skew in ms', async () => {
    const status = await until('a heartbeat', async () => {
      const res = (await app.inject({ url: `/api/v1/stations/${cred.stationId}`, headers: command.headers })).json() as { clockSkewMs: number | null; warnings: { code: string; message?: string }[] };
      return res.clockSkewMs === null ? null : res;
    });
    // skew is server time minus station time: a fast station is negative
    expect(status.clockSkewMs).toBe(-SKEW);
    expect(status.warnings.map((w) => w.code)).toContain('CLOCK_SKEW');
    // the station hears the skew back, so its own screen can show it
    expect(await until('the skew at the station', () => station.link?.status().clockSkewMs ?? null)).toBe(-SKEW);
  });

  it('its records keep its own time and the server\'s receipt time side by side', async () => {
    await until('the first snapshot', () => station.link?.status().cacheCursor ?? null);
    const verdict = new Promise<VerdictEvent>((resolve) => station.once('verdict', resolve));
    serverClock.advance(60_000);
    scanner.scan(passCode);
    const v = await verdict;
    const stationTime = serverClock() + SKEW;
    const rows = await until('the upload', async () => {
      const res = (await app.inject({ url: `/api/v1/crossings?stationId=${cred.stationId}`, headers: command.headers })).json() as { items: { seq: number; at: number; receivedAt: number }[] };
      return res.items.some((r) => r.seq === v.seq) ? res.items : null;
    });
    const row = rows.find((r) => r.seq === v.seq)!;
    expect(row.at).toBe(stationTime);
    expect(row.receivedAt).toBe(serverClock());
    expect(row.at - row.receivedAt).toBe(SKEW);
    // the CSV export carries both times too
    const csv = await app.inject({ url: `/api/v1/crossings/export.csv?stationId=${cred.stationId}`, headers: command.headers });
    const [header] = csv.body.split('\r\n');
    expect(header).toContain('Thời điểm tại trạm');
    expect(header).toContain('Máy chủ nhận lúc');
  });
});
