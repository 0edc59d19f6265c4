import { presenceKey } from '../../shared/rules/crossing.js';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { OFFICER, signInOfficer, startStationRig, type StationRig } from './officer-rig.js';

/** An officer signs in, overrides a verdict with a written reason, and decides by hand after a plate lookup. */
let rig: StationRig;
let browser: TestBrowser;
let page: Page;
let errors: string[];

const ensureSignedIn = signInOfficer;

beforeAll(async () => {
  rig = await startStationRig([{ id: 'lane1-in', lane: 'L1', direction: 'entry' }]);
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

describe('officer sign-in, override and manual decision', () => {
  it('refuses a wrong PIN, and asks for sign-in before an override', async () => {
    const v = rig.nextVerdict();
    await rig.devices.get('lane1-in')!.scan(rig.vehicle('f0').passCode);
    await page.waitForSelector(`.verdict[data-seq="${(await v).seq}"]`);
    await page.click('#override-btn');
    await page.waitForSelector('#sign-in-dialog[open]');
    await page.fill('#sign-in-id', OFFICER.id);
    await page.fill('#sign-in-pin', '0000');
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForSelector('#sign-in-error:has-text("Sai mã cán bộ hoặc mã PIN")');
    await screenshot(page, 'officer-sign-in-error-1366x768');
    await page.fill('#sign-in-pin', OFFICER.pin);
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForSelector('body[data-personal="true"]');
    expect(await page.textContent('#officer-name')).toBe(`${OFFICER.name} (${OFFICER.id})`);
  });

  it('an override with a written reason is journaled with the officer and the note, and the screen follows it', async () => {
    await ensureSignedIn(page);
    const stranger = rig.vehicle('stranger');
    const device = rig.devices.get('lane1-in')!;
    // The pass, the driver and a person who is not on the pass: the crossing is denied.
    for (const code of [stranger.passCode, stranger.crewCodes[0]!, stranger.strangerCode!]) {
      const v = rig.nextVerdict();
      await device.scan(code);
      await v;
    }
    await page.waitForSelector('.verdict[data-verdict="DENY"] .reasons li[data-reason="PERSON_NOT_ON_PASS"]');
    const crossingId = rig.engine.openCrossing('L1')!.id;

    await page.click('#override-btn');
    await page.waitForSelector('#override-dialog[open]');
    expect(await page.textContent('#override-summary')).toContain(stranger.sample.plate);
    await page.check('#override-dialog input[value="ALLOW"]');
    // A reason too short is refused on the screen, and nothing is journaled.
    await page.fill('#override-note', 'ok');
    const before = rig.store.lastSeq();
    await page.click('#override-form button[type=submit]');
    await page.waitForSelector('#override-error:has-text("Cần ghi lý do")');
    expect(rig.store.lastSeq()).toBe(before);
    await screenshot(page, 'officer-override-dialog-1366x768');

    const note = 'Người đi cùng là phụ xe thay thế, đã kiểm tra CCCD và giấy xét nghiệm';
    await page.fill('#override-note', note);
    await page.click('#override-form button[type=submit]');
    await page.waitForSelector('#override-dialog', { state: 'hidden' });
    await page.waitForSelector('.verdict[data-verdict="ALLOW"] .override-line');
    expect(await page.textContent('.verdict .override-line')).toContain(note);
    expect(await page.textContent('.verdict .override-line')).toContain(OFFICER.id);

    const records = rig.store.journalSince(before);
    const override = records.find((r) => r.kind === 'override');
    expect(override).toMatchObject({
      kind: 'override', crossingId, verdict: 'ALLOW', officer: OFFICER.id, note, plate: stranger.sample.plate, lane: 'L1', direction: 'entry',
    });
    expect(override!.reasons).toContain('OFFICER_OVERRIDE');
    expect(override!.reasons).toContain('PERSON_NOT_ON_PASS');
    // The open crossing was closed by the override, journaled first, and the record waits in the outbox.
    expect(records.map((r) => r.kind)).toEqual(['crossing', 'override']);
    expect(records[0]).toMatchObject({ crossingId, verdict: 'DENY', note: 'closedBy=override' });
    expect(rig.engine.openCrossing('L1')).toBeNull();
    expect(rig.store.outboxBatch(1000).some((r) => r.seq === override!.seq)).toBe(true);
    // The officer let the vehicle in: it is inside now.
    expect(rig.store.isInside(presenceKey.pass({ passId: override!.passId!, issuingProvince: override!.passProvince! }))).toBe(true);
    expect(rig.store.verifyChain().ok).toBe(true);
    await screenshot(page, 'officer-overridden-1366x768');
  });

  it('looks a pass up by its plate typed loosely and records a manual decision for it', async () => {
    await ensureSignedIn(page);
    const healthy = rig.vehicle('healthy');
    const loose = healthy.sample.plate.replace(/[-.]/g, '').toLowerCase();
    await page.fill('#lookup-plate', loose);
    await page.click('#lookup-form button[type=submit]');
    const card = '#lookup-results .card';
    await page.waitForSelector(card);
    expect(await page.textContent(`${card} summary strong`)).toBe(healthy.sample.plate);
    expect(await page.textContent(card)).toContain(healthy.sample.crew[0]!.name);
    expect(await page.textContent(card)).toContain('Còn hiệu lực');
    await screenshot(page, 'officer-lookup-1366x768');

    const before = rig.store.lastSeq();
    await page.click(`${card} button`);
    await page.waitForSelector('#override-dialog[open] #override-lane-row:not([hidden])');
    await page.check('#override-dialog input[value="ALLOW"]');
    await page.fill('#override-note', 'Mã QR bị rách, đã đối chiếu biển số và giấy tờ');
    await page.click('#override-form button[type=submit]');
    await page.waitForSelector('#override-dialog', { state: 'hidden' });
    const [record] = rig.store.journalSince(before);
    expect(record).toMatchObject({ kind: 'override', verdict: 'ALLOW', officer: OFFICER.id, plate: healthy.sample.plate, reasons: ['UNREADABLE', 'OFFICER_OVERRIDE'], lane: 'L1' });
    await page.waitForSelector(`.verdict[data-seq="${record!.seq}"][data-verdict="ALLOW"]`);
    expect(await page.textContent('.verdict .override-line')).toContain('thủ công');
  });

  it('signing out hides names and ids again', async () => {
    await ensureSignedIn(page);
    await page.click('#sign-out-btn');
    await page.waitForSelector('body[data-personal="false"]');
    const body = (await page.textContent('body'))!;
    for (const c of rig.vehicle('stranger').sample.crew) expect(body).not.toContain(c.name);
    expect(await page.isVisible('#privacy-note')).toBe(true);
    await screenshot(page, 'officer-signed-out-1366x768');
    expect(errors.filter((e) => !e.includes('401'))).toEqual([]);
  });
});
