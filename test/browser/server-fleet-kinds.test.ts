import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, type TestBrowser } from './browser.js';
import { signIn, startWebServer, type WebServer } from './server-harness.js';

/** The command center's fleet view names each scanner's kind from the station's heartbeat. */
let server: WebServer;
let browser: TestBrowser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startWebServer(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('fleet view: scanner kinds', () => {
  it('shows serial, keyboard-wedge and camera scanners by kind, and a scanner from a station older than the kinds as serial', async () => {
    const admin = { id: 1, username: 'admin79', role: 'admin' as const, province: 79 };
    const { secret } = await server.app.stations.register(admin, { stationId: 'chot-kinds', checkpointId: 7, name: 'Chốt QL1A', province: 79, lanes: [{ id: 'L1', direction: 'entry' }] });
    const scanner = (id: string, kind?: string) => ({ id, ...(kind ? { kind } : {}), lane: 'L1', direction: 'entry', state: 'connected', path: kind === 'camera' ? '' : `/dev/${id}`, lastReadAt: null });
    const res = await fetch(`${server.url}/api/v1/stations/heartbeat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Station chot-kinds:${secret}` },
      body: JSON.stringify({
        stationId: 'chot-kinds', softwareVersion: '0.1.0', clock: Date.now(), cacheCursor: null, cacheAgeMs: null, outboxBacklog: 0, lastSeq: 0,
        scanners: [scanner('old'), scanner('kbd', 'evdev'), scanner('tab', 'camera')],
      }),
    });
    expect(res.status).toBe(200);
    const page = await browser.newPage('laptop');
    await signIn(page, server, 'command');
    const errors = collectPageErrors(page);
    await page.goto(`${server.url}/app/#/command/fleet`);
    const row = page.getByTestId('fleet').locator('tbody tr', { hasText: 'chot-kinds' });
    await row.locator('[data-kind="camera"]').waitFor({ timeout: 5000 });
    expect(await row.locator('[data-kind]').evaluateAll((els) => els.map((e) => `${e.getAttribute('data-kind')}: ${e.textContent}`))).toEqual([
      'serial: old · cổng COM (L1): kết nối',
      'evdev: kbd · bàn phím USB (L1): kết nối',
      'camera: tab · camera (L1): kết nối',
    ]);
    expect(errors).toEqual([]);
  });
});
