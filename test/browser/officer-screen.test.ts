import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REASONS } from '../../shared/rules/reasons.js';
import { collectPageErrors, launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { OFFICER, startStationRig, type StationRig } from './officer-rig.js';

/**
 * The officer's screen in a real browser, fed by a station whose scans come through real socat ptys:
 * colours and words of the verdict, the crossing filling in, the scanner's state.
 */
let rig: StationRig;
let browser: TestBrowser;
let page: Page;
let errors: string[];

async function signIn(p: Page): Promise<void> {
  await p.click('#sign-in-btn');
  await p.fill('#sign-in-id', OFFICER.id);
  await p.fill('#sign-in-pin', OFFICER.pin);
  await p.click('#sign-in-form button[type=submit]');
  await p.waitForSelector('body[data-personal="true"]');
}

const verdictIs = (verdict: string, seq: number) => `.verdict[data-verdict="${verdict}"][data-seq="${seq}"]`;
const L1 = '.verdict[data-lane="L1"]';
const L3 = '.verdict[data-lane="L3"]';

beforeAll(async () => {
  rig = await startStationRig([
    { id: 'lane1-in', lane: 'L1', direction: 'entry' },
    { id: 'lane2-out', lane: 'L2', direction: 'exit' },
    { id: 'lane3-in', lane: 'L3', direction: 'entry' },
  ]);
  browser = await launchBrowser();
  page = await browser.newPage('laptop');
  page.setDefaultTimeout(5000);
  errors = collectPageErrors(page);
  await page.goto(rig.url);
  await page.waitForSelector('body[data-ready="true"]');
});

afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

describe('officer screen, fed through a real pty', () => {
  it('shows no names or ids before an officer signs in, and turns green within 1 s of a valid pass scan', async () => {
    const healthy = rig.vehicle('healthy');
    const device = rig.devices.get('lane1-in')!;
    const decided = rig.nextVerdict();
    const t0 = performance.now();
    await device.scan(healthy.passCode);
    const v = await decided;
    await page.waitForSelector(verdictIs('ALLOW', v.seq), { timeout: 1000 });
    const elapsed = performance.now() - t0;
    expect(elapsed).toBeLessThan(1000);
    expect(await page.textContent(`${L1} .verdict-word`)).toBe('CHO QUA');
    expect(await page.textContent(`${L1} .verdict-alt`)).toBe('ALLOW');
    expect(await page.textContent('#plate')).toBe(healthy.sample.plate);
    // Personal data is for the signed-in officer only: neither names nor masked ids are on the page.
    const body = (await page.textContent('body'))!;
    for (const c of healthy.sample.crew) {
      expect(body).not.toContain(c.name);
      expect(body).not.toContain(c.citizenId.slice(-4));
    }
    expect(await page.isVisible('#privacy-note')).toBe(true);
    expect(await page.getAttribute('body', 'data-cue')).toMatch(/^ALLOW:/);
  });

  it('after sign-in, fills in the crossing as each crew member is scanned, names shown with masked ids', async () => {
    await signIn(page);
    const healthy = rig.vehicle('healthy');
    const [driver, assistant] = healthy.sample.crew;
    const device = rig.devices.get('lane1-in')!;
    // The crossing opened by the pass scan is still open: the list shows both crew as pending.
    await page.waitForSelector('#crossing-card li[data-role="driver"][data-status="PENDING"]');
    expect(await page.textContent('#crossing-card li[data-role="driver"]')).toContain(driver!.name);
    const masked = await page.textContent('#crossing-card li[data-role="driver"] small');
    expect(masked).toBe('•'.repeat(8) + driver!.citizenId.slice(-4));
    expect(await page.textContent('body')).not.toContain(driver!.citizenId);

    let v = rig.nextVerdict();
    await device.scan(healthy.crewCodes[0]!);
    await page.waitForSelector(`${verdictIs('ALLOW', (await v).seq)}`);
    await page.waitForSelector('#crossing-card li[data-role="driver"][data-status="ALLOW"]');
    expect(await page.getAttribute('#crossing-card li[data-role="assistant"]', 'data-status')).toBe('PENDING');
    expect(await page.textContent(`${L1} .verdict-extra`)).toContain('Đang chờ quét: Phụ xe');
    await screenshot(page, 'officer-crossing-open-1366x768');

    v = rig.nextVerdict();
    await device.scan(healthy.crewCodes[1]!);
    const last = await v;
    expect(last.crossing?.state).toBe('closed');
    await page.waitForSelector('#crossing-card li[data-role="assistant"][data-status="ALLOW"]');
    expect(await page.textContent('#crossing-card h3')).toContain('đã xong');
    expect(await page.textContent('#crossing-card')).toContain(assistant!.name);
  });

  it('turns red for a revoked pass, with the reason in Vietnamese and English, and shows the pass facts', async () => {
    const revoked = rig.vehicle('revoked');
    const v = rig.nextVerdict();
    await rig.devices.get('lane1-in')!.scan(revoked.passCode);
    const seq = (await v).seq;
    await page.waitForSelector(verdictIs('DENY', seq), { timeout: 1000 });
    expect(await page.textContent(`${L1} .verdict-word`)).toBe('KHÔNG CHO QUA');
    const reasons = await page.textContent(`${L1} .reasons li[data-reason="REVOKED"]`);
    expect(reasons).toContain(REASONS.REVOKED.vi);
    expect(reasons).toContain(REASONS.REVOKED.en);
    expect(await page.textContent('#pass-card')).toContain('Đã thu hồi');
    expect(await page.getAttribute('body', 'data-cue')).toMatch(/^DENY:/);
    expect(await page.textContent('#recent tr:first-child')).toContain(revoked.sample.plate);
    await screenshot(page, 'officer-deny-1366x768');

    // The same screen on a tablet: one column, nothing cut.
    const tablet = await browser.newPage('tablet');
    tablet.setDefaultTimeout(5000);
    const tabletErrors = collectPageErrors(tablet);
    await tablet.goto(rig.url);
    await tablet.waitForSelector(verdictIs('DENY', seq));
    expect(await tablet.textContent(`${L1} .verdict-word`)).toBe('KHÔNG CHO QUA');
    const fits = await tablet.evaluate('document.documentElement.scrollWidth <= window.innerWidth');
    expect(fits).toBe(true);
    await screenshot(tablet, 'officer-deny-tablet-768x1024');
    expect(tabletErrors).toEqual([]);
    await tablet.close();
    await page.bringToFront();

    // Nobody scans the crew: the crossing's window passes and it closes with the crew missing.
    const [closed] = rig.engine.expireDue(Date.now() + rig.authority.policy.crossingWindowSeconds * 1000 + 1);
    expect(closed?.crossing).toMatchObject({ closedBy: 'timeout', verdict: 'DENY' });
    await page.waitForSelector('#crossing-card li[data-role="driver"][data-status="MISSING"]');
    expect(await page.textContent('#crossing-card h3')).toContain('đã xong');
    expect(await page.textContent(`${L1} .reasons`)).toContain(REASONS.DRIVER_NOT_SCANNED.vi);
  });

  it('amber for a walk-in with no health declaration (REVIEW), words switched by the language toggle', async () => {
    const walkIn = rig.issued.walkIns.find((w) => w.sample.case === 'walk-in-no-declaration')!;
    // On a lane of its own: on L1 it would join the open crossing of the revoked vehicle.
    const v = rig.nextVerdict();
    await rig.devices.get('lane3-in')!.scan(walkIn.code);
    const decided = await v;
    expect(decided).toMatchObject({ verdict: 'REVIEW', reasons: ['HEALTH_DECLARATION_MISSING'] });
    await page.waitForSelector(verdictIs('REVIEW', decided.seq));
    expect(await page.textContent(`${L3} .verdict-word`)).toBe('CẦN KIỂM TRA');
    await page.click('#lang-toggle');
    expect(await page.textContent(`${L3} .verdict-word`)).toBe('REVIEW');
    expect(await page.textContent(`${L3} .verdict-alt`)).toBe('CẦN KIỂM TRA');
    expect(await page.textContent(`${L3} .reasons li`)).toContain(REASONS.HEALTH_DECLARATION_MISSING.en);
    await screenshot(page, 'officer-review-english-1366x768');
    await page.click('#lang-toggle');
    expect(await page.textContent(`${L3} .verdict-word`)).toBe('CẦN KIỂM TRA');
  });

  it("shows a scanner as unplugged when its cable is pulled, and connected again after replug", async () => {
    const device = rig.devices.get('lane2-out')!;
    const chip = '#status-bar [data-scanner="lane2-out"]';
    expect(await page.getAttribute(chip, 'data-state')).toBe('connected');
    await device.unplug();
    await page.waitForSelector(`${chip}[data-state="unplugged"]`, { timeout: 5000 });
    expect(await page.textContent(chip)).toContain('đã rút');
    await screenshot(page, 'officer-scanner-unplugged-1366x768');
    await device.replug();
    await page.waitForSelector(`${chip}[data-state="connected"]`, { timeout: 5000 });
    expect(errors).toEqual([]);
  });
});
