import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerLink } from '../../station/screen/status.js';
import { launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { openOfficerScreen, startStationRig, type StationRig } from './officer-rig.js';

/** Issue 15 item 4: the server unreachable past the set time and the cache stale past policy are loud banners. */
let rig: StationRig;
let browser: TestBrowser;
let link: ServerLink = { state: 'reachable', lastContactAt: Date.now(), detail: null };

beforeAll(async () => {
  [rig, browser] = await Promise.all([startStationRig(undefined, { screen: { serverAlertMs: 60_000 }, server: () => link }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

describe('officer screen banners', () => {
  it('says in words when the server has been unreachable too long and when the cache is stale, and clears them', async () => {
    const { page, errors } = await openOfficerScreen(browser, rig.url);
    expect(await page.locator('#banners [data-banner]').count()).toBe(0);

    // Unreachable for 10 minutes (past the 60 s alert time), and the last sync two days old (past 24 h).
    link = { state: 'unreachable', lastContactAt: Date.now() - 10 * 60_000, detail: 'ECONNREFUSED' };
    rig.store.applyFeedItems([], { cursor: 1, syncedAt: Date.now() - 48 * 3_600_000 });
    await page.waitForSelector('#banners [data-banner="server"]');
    await page.waitForSelector('#banners [data-banner="cache"]');
    const text = await page.innerText('#banners');
    expect(text).toContain('Mất kết nối máy chủ 10 phút');
    expect(text).toContain('Dữ liệu tại chốt đã cũ (2 ngày)');
    expect(text).not.toContain('ECONNREFUSED');
    await screenshot(page, 'officer-banners-server-cache-1366x768');

    link = { state: 'reachable', lastContactAt: Date.now(), detail: null };
    rig.store.applyFeedItems([], { cursor: 1, syncedAt: Date.now() });
    await page.waitForSelector('#banners [data-banner]', { state: 'detached' });
    expect(errors).toEqual([]);
  });
});
