import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_OFFICER } from '../../demo/rig.js';
import type { SeededVehicle } from '../../demo/seed.js';
import { collectPageErrors, screenshot, SCREENS_DIR, VIEWPORTS } from './browser.js';
import { debounceOver, paintedAt, recordVerdictPaints, scanInPanel, signInOfficer, startE2E, until, type E2ESystem } from './e2e-rig.js';
import { decodeQrPng, imageLoaded, signIn } from './server-harness.js';

/**
 * The whole system through its three screens, in real browsers over real HTTP and real ptys: the
 * transport department issues a pass in the web app, its printed QR is read back from a screenshot and
 * scanned through the simulator panel, and the officer's screen shows the station's verdict; a revocation
 * reaches the station by sync; an officer's override reaches the command center by upload.
 */
const ENTRY = 'scanner-vao';
const PLATE = '51C-790.21';
let sys: E2ESystem;
let web: Page;
let panel: Page;
let officer: Page;
const errors: Record<string, string[]> = {};
const timings: Record<string, number> = {};

const vehicle = (kind: string): SeededVehicle => {
  const v = sys.rig.seed.vehicles.find((x) => x.sample.case === kind);
  if (!v) throw new Error(`no ${kind} vehicle in the seed`);
  return v;
};

beforeAll(async () => {
  sys = await startE2E();
  [web, panel] = [await sys.desk.newPage('laptop'), await sys.desk.newPage('laptop')];
  officer = await sys.booth.newPage('laptop');
  for (const [name, p] of Object.entries({ web, panel, officer })) {
    p.setDefaultTimeout(5000);
    errors[name] = collectPageErrors(p);
  }
  await Promise.all([
    officer.goto(sys.rig.screenUrl!).then(() => officer.waitForSelector('body[data-ready="true"]')),
    panel.goto(sys.rig.panelUrl!).then(() => panel.waitForSelector('body[data-ready="true"]')),
  ]);
  await signInOfficer(officer);
  await recordVerdictPaints(officer);
});

afterAll(async () => {
  mkdirSync(SCREENS_DIR, { recursive: true });
  writeFileSync(join(SCREENS_DIR, 'e2e-timings.json'), `${JSON.stringify(timings, null, 2)}\n`);
  await sys?.close();
});

describe('whole system through its screens', () => {
  let passId = 0;
  let passCode = '';
  /** when the station last read the pass code (for the scanner's debounce) */
  let passReadAt = 0;

  it('a pass issued in the web app, printed, read from the sheet\'s QR and scanned through the panel turns the officer screen green within 1 s', async () => {
    const crewOf = vehicle('healthy').sample.crew;
    await web.bringToFront();
    await signIn(web, sys.web, 'transport');
    await web.getByRole('link', { name: 'Cấp giấy phép' }).click();
    const form = web.getByTestId('pass-form');
    await form.getByLabel('Biển số').fill(PLATE);
    await form.getByLabel('Doanh nghiệp vận tải').fill('Công ty TNHH Vận tải Đồng Nai Xanh');
    await form.getByLabel('Loại hàng hóa').selectOption('1');
    await form.getByLabel('Họ và tên').fill(crewOf[0]!.name);
    await form.getByLabel('Số CCCD/CMND').fill(crewOf[0]!.citizenId);
    await web.getByRole('button', { name: '+ Thêm phụ xe' }).click();
    await form.getByLabel('Họ và tên').nth(1).fill(crewOf[1]!.name);
    await form.getByLabel('Số CCCD/CMND').nth(1).fill(crewOf[1]!.citizenId);
    await form.getByLabel('Vùng xuất phát (mã tỉnh hoặc tỉnh-huyện)').fill('79-760');
    await form.getByLabel('Vùng đến').fill('75');
    await form.getByLabel(/Các chốt trên lộ trình/).fill('7901');
    await form.getByLabel('Điểm xếp dỡ hàng được phép').fill('Cảng Đồng Nai; Khu công nghiệp Biên Hòa 2');
    await screenshot(web, 'e2e-01-web-issue-form');
    await web.getByRole('button', { name: 'Cấp giấy phép', exact: true }).click();
    await web.waitForURL(/#\/passes\/\d+$/);
    passId = Number(/passes\/(\d+)$/.exec(web.url())![1]);
    await imageLoaded(web.locator('.qr img'));
    await screenshot(web, 'e2e-02-web-pass-detail');

    // The printed sheet: its QR, read back from pixels, is what the scanner will see.
    const [sheet] = await Promise.all([web.context().waitForEvent('page'), web.getByTestId('print-sheet').click()]);
    await sheet.waitForLoadState('load');
    await sheet.setViewportSize({ width: 1000, height: 1400 });
    await screenshot(sheet, 'e2e-03-web-print-sheet');
    passCode = decodeQrPng(await sheet.locator('.qr svg').screenshot()) ?? '';
    await sheet.close();
    expect(passCode).toMatch(/^VNP1:/);
    expect(passCode).toBe(await web.getByTestId('pass-code').textContent());

    // The station learns of the new pass by its next sync (asked for now, as the officer's "sync" would).
    await until('the station to cache the new pass', async () => {
      await sys.rig.link.syncNow();
      return sys.rig.station.store.getPass({ issuingProvince: 79, passId })?.status === 'ACTIVE';
    });

    await panel.bringToFront();
    const { v, clickedAt } = await scanInPanel(panel, sys.rig, ENTRY, passCode);
    passReadAt = Date.now();
    expect(v).toMatchObject({ verdict: 'ALLOW', codeKind: 'pass', lane: 'L1-vao', subject: { plate: PLATE } });
    const painted = await paintedAt(officer, 'ALLOW', v.seq, 1000);
    timings.issuedPassClickToGreenMs = painted - clickedAt;
    expect(painted - clickedAt).toBeLessThan(1000);
    expect(await officer.textContent('.verdict[data-lane="L1-vao"] .verdict-word')).toBe('CHO QUA');
    expect(await officer.textContent('#plate')).toBe(PLATE);

    // The crew's health codes, scanned in turn, fill in the crossing with their names (masked ids).
    for (const code of vehicle('healthy').crewCodes) {
      const crew = await scanInPanel(panel, sys.rig, ENTRY, code);
      expect(crew.v.verdict).toBe('ALLOW');
      await officer.waitForSelector(`.verdict[data-seq="${crew.v.seq}"]`);
    }
    await officer.waitForSelector('#crossing-card li[data-role="driver"]:not([data-status="PENDING"])');
    expect(await officer.textContent('#crossing-card')).toContain(crewOf[1]!.name);
    await panel.waitForSelector('#log li[data-ok="true"]');
    await screenshot(panel, 'e2e-04-panel-scanned');
    await screenshot(officer, 'e2e-05-officer-allow');
  });

  it('revoked in the web app, the pass is denied as revoked on the officer screen after the station syncs', async () => {
    await web.bringToFront();
    web.once('dialog', (d) => void d.accept());
    const revoke = web.locator('form[data-action="revoke"]');
    await revoke.getByLabel('Lý do (bắt buộc)').fill('Doanh nghiệp báo mất thẻ, thu hồi để cấp lại');
    await revoke.getByRole('button').click();
    await expect.poll(() => web.locator('form[data-action]').count()).toBe(0);
    await screenshot(web, 'e2e-06-web-revoked');
    const revokedAt = Date.now();
    await until('the station to learn of the revocation', async () => {
      await sys.rig.link.syncNow();
      return sys.rig.station.store.getPass({ issuingProvince: 79, passId })?.status === 'REVOKED';
    });
    timings.revokeToStationCachedMs = Date.now() - revokedAt;

    // Another vehicle first: it closes this pass's open crossing, so the next scan of the pass is a new crossing.
    await panel.bringToFront();
    const other = await scanInPanel(panel, sys.rig, ENTRY, vehicle('extended').passCode);
    expect(other.v.subject.plate).toBe(vehicle('extended').sample.plate);
    await debounceOver(sys.rig, ENTRY, passReadAt);
    const { v, clickedAt } = await scanInPanel(panel, sys.rig, ENTRY, passCode);
    expect(v.verdict).toBe('DENY');
    expect(v.reasons).toContain('REVOKED');
    const painted = await paintedAt(officer, 'DENY', v.seq, 1000);
    timings.revokedPassClickToRedMs = painted - clickedAt;
    expect(painted - clickedAt).toBeLessThan(1000);
    await officer.waitForSelector('.verdict[data-verdict="DENY"] .reasons li[data-reason="REVOKED"]');
    expect(await officer.textContent('.verdict[data-verdict="DENY"] .reasons')).toContain('thu hồi');
    expect(await officer.textContent('#plate')).toBe(PLATE);
    await screenshot(officer, 'e2e-07-officer-revoked');
    // The same moment on a tablet: nothing runs off the side.
    await officer.setViewportSize(VIEWPORTS.tablet);
    expect(await officer.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(officer, 'e2e-07-officer-revoked-tablet');
    await officer.setViewportSize(VIEWPORTS.laptop);
  });

  it('an officer\'s override with a written reason shows in the command center\'s crossing search after the upload', async () => {
    // A driver whose declaration is stale: the crossing goes to REVIEW.
    const stale = vehicle('stale-declaration');
    let last = 0;
    for (const code of [stale.passCode, ...stale.crewCodes]) last = (await sys.rig.scanAndWait(code, 'entry')).seq;
    await officer.waitForSelector(`.verdict[data-verdict="REVIEW"][data-seq="${last}"] .reasons li[data-reason="HEALTH_DECLARATION_STALE"]`);
    await screenshot(officer, 'e2e-08-officer-review');

    const note = 'Phụ xe đã khai báo y tế lại tại chốt, đối chiếu CCCD khớp';
    await officer.click('#override-btn');
    await officer.waitForSelector('#override-dialog[open]');
    await officer.check('#override-dialog input[value="ALLOW"]');
    await officer.fill('#override-note', note);
    await screenshot(officer, 'e2e-09-officer-override-dialog');
    const overriddenAt = Date.now();
    await officer.click('#override-form button[type=submit]');
    await officer.waitForSelector('.verdict[data-verdict="ALLOW"] .override-line');
    expect(await officer.textContent('.verdict .override-line')).toContain(note);
    await screenshot(officer, 'e2e-10-officer-overridden');

    // Store and forward: the override is journaled, then uploaded (no event to await across processes).
    await until('the outbox to drain', () => sys.rig.station.store.outboxBacklog() === 0, 10_000);
    timings.overrideToUploadedMs = Date.now() - overriddenAt;

    await web.bringToFront();
    await signIn(web, sys.web, 'command');
    await web.goto(`${sys.web.url}/app/#/command/search`);
    await web.getByLabel('Biển số').fill(stale.sample.plate);
    await web.getByRole('button', { name: 'Tìm' }).click();
    const row = web.getByTestId('search-results').locator('tbody tr', { hasText: 'Xử lý thủ công' });
    await expect.poll(() => row.count()).toBe(1);
    const text = (await row.textContent())!;
    expect(text).toContain(`${DEMO_OFFICER.id} · ${note}`);
    expect(text).toContain('CHO QUA');
    expect(text).toContain(sys.rig.seed.station.stationId);
    // The crossing it overrode is there too, as the station decided it.
    await expect.poll(() => web.getByTestId('search-results').locator('tbody tr', { hasText: 'KIỂM TRA' }).count()).toBeGreaterThan(0);
    await screenshot(web, 'e2e-11-web-command-search');

    // The first test's pass: its green and its red crossings arrived too.
    await web.getByLabel('Biển số').fill(PLATE);
    await web.getByRole('button', { name: 'Tìm' }).click();
    await expect.poll(() => web.getByTestId('search-results').locator('tbody tr', { hasText: 'KHÔNG CHO QUA' }).count()).toBeGreaterThan(0);
    // How the station closed each crossing is said in words, not as the journal's machine note.
    const results = (await web.getByTestId('search-results').textContent())!;
    expect(results).toContain('Đóng khi xe sau quét');
    expect(results).not.toContain('closedBy=');
    await screenshot(web, 'e2e-12-web-command-search-revoked');

    const benign = (e: string) => /status of 40[19]/.test(e);
    for (const [name, list] of Object.entries(errors)) expect(list.filter((e) => !benign(e)), name).toEqual([]);
  });
});
