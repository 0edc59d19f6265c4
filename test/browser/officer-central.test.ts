import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpServerApi } from '../../station/net/server-api.js';
import { OfficerScreen } from '../../station/screen/screen.js';
import { stationStatusProvider } from '../../station/screen/status.js';
import { launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { openOfficerScreen, startStationRig, type StationRig } from './officer-rig.js';
import { signIn, startWebServer, type WebServer } from './server-harness.js';

/**
 * Issue 15 item 8: officers are managed centrally by the province's admin in the web app and reach the
 * province's stations as PIN hashes; a new officer signs in at a station after its next sync, and a
 * station restart signs nobody out.
 */
let server: WebServer;
let rig: StationRig;
let browser: TestBrowser;
let api: HttpServerApi;

function screenFor(rig: StationRig): OfficerScreen {
  return new OfficerScreen({
    port: 0,
    station: { stationId: 'st-79-central', checkpointId: 1, name: 'Chốt Quốc lộ 1A' },
    engine: rig.engine,
    store: rig.store,
    status: stationStatusProvider({ scannerStates: () => [...rig.scanners.values()].map((s) => s.state()), store: rig.store }),
    officers: [],
    officerStorePath: join(rig.dir, 'officers.db'),
    // A long interval: the test pulls with syncNow(), as the next scheduled sync would.
    officerSync: { fetch: (since) => api.officers(since), intervalMs: 3_600_000 },
  });
}

beforeAll(async () => {
  [server, rig, browser] = await Promise.all([startWebServer(), startStationRig(), launchBrowser()]);
  const admin = (await server.app.users.list({ id: 1, username: 'admin79', role: 'admin', province: 79 })).find((u) => u.role === 'admin')!;
  const { secret } = await server.app.stations.register({ id: admin.id, username: admin.username, role: 'admin', province: 79 }, {
    stationId: 'st-79-central', checkpointId: 1, name: 'Chốt Quốc lộ 1A', province: 79, lanes: [{ id: 'L1', direction: 'entry' }],
  });
  api = new HttpServerApi({ baseUrl: server.url, stationId: 'st-79-central', secret });
});

afterAll(async () => {
  await browser?.close();
  await rig?.close();
  await server?.close();
});

describe('officers managed centrally', () => {
  it('an officer created in the web app signs in at the station after the next sync, and stays signed in across a station restart', async () => {
    const web = await browser.newPage();
    await signIn(web, server, 'admin');
    await web.goto(`${server.url}/app/#/admin/officers`);
    await web.getByLabel('Mã cán bộ').fill('CB-779');
    await web.getByLabel('Họ tên').fill('Lê Thị Thu Hà');
    // The form's own Vietnamese message for a PIN that is not 4-12 digits.
    await web.getByLabel(/Mã PIN/).fill('12a');
    await web.getByRole('button', { name: 'Thêm', exact: true }).click();
    await expect.poll(() => web.locator('main .error').textContent()).toBe('Mã PIN gồm 4 đến 12 chữ số');
    await web.getByLabel(/Mã PIN/).fill('2468');
    await web.getByRole('button', { name: 'Thêm', exact: true }).click();
    await expect.poll(() => web.getByTestId('officers').textContent()).toContain('Lê Thị Thu Hà');
    await screenshot(web, 'server-admin-officers');
    // The server keeps only a hash, and the admin's list never shows it.
    expect(await web.getByTestId('officers').textContent()).not.toContain('scrypt');

    let screen = screenFor(rig);
    let url = await screen.start();
    const { page } = await openOfficerScreen(browser, url);
    await screen.officerSync!.syncNow();
    expect(screen.officerSync!.lastError).toBeNull();
    await signInAs(page, 'CB-779', '2468');
    expect(await page.innerText('#officer-name')).toBe('Lê Thị Thu Hà (CB-779)');

    // Restart the screen (a station restart): the same files, a new process's worth of memory.
    await screen.stop();
    screen = screenFor(rig);
    url = await screen.start();
    await page.goto(url);
    await page.waitForSelector('body[data-ready="true"]');
    expect(await page.getAttribute('body', 'data-personal')).toBe('true');
    expect(await page.innerText('#officer-name')).toBe('Lê Thị Thu Hà (CB-779)');
    await screenshot(page, 'officer-central-signed-in-after-restart-1366x768');

    // Disabled by the admin: after the next sync the officer is signed out and cannot sign in.
    const res = await fetch(`${server.url}/api/v1/officers/CB-779`, {
      method: 'PATCH', headers: { authorization: `Bearer ${(await server.app.users.createApiToken({ id: 1, username: 'admin79', role: 'admin', province: 79 }, "t")).token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ disabled: true }),
    });
    expect(res.status).toBe(200);
    await screen.officerSync!.syncNow();
    // The open screen is told at once and drops the names (its stream reconnects without them).
    await page.waitForSelector('body[data-personal="false"]');
    const session = await (await fetch(`${url}/api/session`, { headers: { cookie: (await page.context().cookies(url)).map((c) => `${c.name}=${c.value}`).join('; ') } })).json();
    expect(session).toEqual({ officer: null });
    await screen.stop();
  });
});

async function signInAs(page: Page, id: string, pin: string): Promise<void> {
  await page.click('#sign-in-btn');
  await page.fill('#sign-in-id', id);
  await page.fill('#sign-in-pin', pin);
  await page.click('#sign-in-form button[type=submit]');
  await page.waitForSelector('body[data-personal="true"]');
}
