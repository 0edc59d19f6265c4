import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JournalWriter } from '../server/journal-fixtures.js';
import { collectPageErrors, launchBrowser, screenshot } from './browser.js';
import { signIn, startWebServer, type WebServer } from './server-harness.js';

// 08:00 in Vietnam is 01:00 UTC and 20:00 the day before in New York: a screen that used the
// browser's zone would show one of those.
const AT_0800_VN = Date.parse('2026-11-30T08:00:00+07:00');
let server: WebServer;

beforeAll(async () => {
  server = await startWebServer({ clock: () => AT_0800_VN + 3_600_000 });
  const admin = { id: 1, username: 'admin79', role: 'admin' as const, province: 79 };
  const { secret } = await server.app.stations.register(admin, { stationId: 'chot-ql1a', checkpointId: 1, name: 'Chốt QL1A', province: 79, lanes: [{ id: 'L1', direction: 'entry' }] });
  const w = new JournalWriter('chot-ql1a');
  w.add(AT_0800_VN, { kind: 'crossing', verdict: 'DENY', reasons: ['REVOKED'], plate: '51C-123.45', passId: 7, passVersion: 1, crossingId: 'x1' });
  const res = await fetch(`${server.url}/api/v1/ingest/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Station chot-ql1a:${secret}` },
    body: JSON.stringify({ stationId: 'chot-ql1a', records: w.records }),
  });
  expect(res.status).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

describe('server web app: Vietnam time whatever the browser\'s zone', () => {
  for (const timezoneId of ['UTC', 'America/New_York']) {
    it(`with the browser in ${timezoneId}, a crossing at 08:00 Vietnam time shows 08:00, and the CSV opens as UTF-8 with local times and words`, async () => {
      const browser = await launchBrowser({ timezoneId, locale: 'en-US' });
      try {
        const page = await browser.newPage();
        const errors = collectPageErrors(page);
        // the browser really is in that zone
        expect(await page.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(timezoneId);
        await signIn(page, server, 'command');
        await page.goto(`${server.url}/app/#/command/search`);
        const results = page.getByTestId('search-results');
        await expect.poll(() => results.locator('tbody tr').count()).toBe(1);
        const row = await results.locator('tbody tr').first().textContent();
        expect(row).toContain('30/11/2026 08:00');
        expect(row).toContain('KHÔNG CHO QUA');

        // a typed range is read as Vietnam time too: 07:59–08:01 finds it, 08:01–09:00 does not
        await page.getByLabel('Từ', { exact: true }).fill('30/11/2026 07:59');
        await page.getByLabel('Đến', { exact: true }).fill('30/11/2026 08:01');
        await page.getByRole('button', { name: 'Tìm' }).click();
        await expect.poll(() => results.textContent()).toContain('1–1 trên 1');
        await page.getByLabel('Từ', { exact: true }).fill('30/11/2026 08:01');
        await page.getByLabel('Đến', { exact: true }).fill('30/11/2026 09:00');
        await page.getByRole('button', { name: 'Tìm' }).click();
        await expect.poll(() => results.textContent()).toContain('Không có lượt nào.');
        await screenshot(page, `server-time-${timezoneId.replace('/', '-')}`);

        const href = await page.getByRole('link', { name: 'Xuất CSV' }).getAttribute('href');
        const bytes = await page.evaluate(async (url) => [...new Uint8Array(await (await fetch(url.replace(/from=\d+&?|to=\d+&?/g, ''))).arrayBuffer())], href!);
        expect(bytes.slice(0, 3)).toEqual([0xef, 0xbb, 0xbf]);
        const csv = new TextDecoder('utf-8', { fatal: true }).decode(new Uint8Array(bytes));
        const [header, line] = csv.slice(1).split('\r\n');
        expect(header).toContain('"Thời điểm tại trạm (giờ Việt Nam)"');
        expect(line).toContain('"30/11/2026 08:00:00"');
        expect(line).toContain('"Giấy phép đã bị thu hồi","REVOKED"');
        expect(line).toContain('"KHÔNG CHO QUA","DENY"');
        expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
      } finally {
        await browser.close();
      }
    });
  }
});
