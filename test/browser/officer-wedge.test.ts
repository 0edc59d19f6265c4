import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectPageErrors, launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { OFFICER, startStationRig, type StationRig } from './officer-rig.js';
import { telexBurst, type ImeKey } from './telex-keys.js';

/**
 * A keyboard-wedge scanner plugged into the officer screen's PC (a scanner of kind `screen` on lane
 * L4), typing into a page where a Vietnamese input method is on. The page must read physical keys,
 * tell the scanner's burst from a person typing, and send the read through the station's pipeline.
 */
let rig: StationRig;
let browser: TestBrowser;
let page: Page;
let errors: string[];
const reads: string[] = [];

beforeAll(async () => {
  rig = await startStationRig([{ id: 'lane1-in', lane: 'L1', direction: 'entry' }], { onScreen: [{ id: 'desk-wedge', kind: 'screen', lane: 'L4', direction: 'entry' }] });
  browser = await launchBrowser();
  page = await browser.newPage('laptop');
  page.setDefaultTimeout(5000);
  errors = collectPageErrors(page);
  page.on('request', (r) => {
    if (r.url().includes('/api/screen-scanners/') && r.url().endsWith('/reads')) reads.push(r.postData() ?? '');
  });
  await page.goto(rig.url);
  await page.waitForSelector('body[data-ready="true"][data-wedge="desk-wedge"]');
});

afterAll(async () => {
  await browser?.close();
  await rig?.close();
});

/**
 * Deliver the keys through Chromium's own input pipeline (DevTools Input domain: trusted events, a
 * real composition in the focused field), each stamped `gapMs` after the one before as a USB HID
 * keyboard's events are stamped by the OS: the page sees the scanner's pace whatever the load of the
 * machine running the test. A letter opens or updates the input method's composition; a digit or a
 * symbol commits it first, as Telex does.
 */
async function typeAsScanner(p: Page, keys: ImeKey[], gapMs: number): Promise<void> {
  const cdp = await browser.context.newCDPSession(p);
  const t0 = Date.now() / 1000;
  const sent: Promise<unknown>[] = [];
  const send = (method: string, params: Record<string, unknown>) => sent.push(cdp.send(method as 'Input.dispatchKeyEvent', params as never));
  let composition = '';
  keys.forEach((k, i) => {
    const at = t0 + (i * gapMs) / 1000;
    const modifiers = k.shift ? 8 : 0;
    const key = { key: k.key, code: k.code, windowsVirtualKeyCode: k.keyCode, modifiers };
    if (k.shift) send('Input.dispatchKeyEvent', { type: 'rawKeyDown', key: 'Shift', code: 'ShiftLeft', windowsVirtualKeyCode: 16, modifiers, timestamp: at });
    if (k.composition !== null) {
      send('Input.dispatchKeyEvent', { type: 'rawKeyDown', ...key, timestamp: at + 0.0005 });
      send('Input.imeSetComposition', { text: k.composition, selectionStart: k.composition.length, selectionEnd: k.composition.length });
      composition = k.composition;
    } else {
      if (composition) send('Input.insertText', { text: composition });
      composition = '';
      send('Input.dispatchKeyEvent', { type: 'keyDown', ...key, text: k.key === 'Enter' ? '\r' : k.key, timestamp: at + 0.0005 });
    }
    send('Input.dispatchKeyEvent', { type: 'keyUp', ...key, timestamp: at + 0.001 });
    if (k.shift) send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Shift', code: 'ShiftLeft', windowsVirtualKeyCode: 16, modifiers: 0, timestamp: at + 0.0015 });
  });
  await Promise.all(sent);
  await cdp.detach();
}

describe('keyboard-wedge scanner on the officer screen', () => {
  it('decides the exact code from a 5 ms/key burst whose keys an input method rewrote, and leaves the field as it was', async () => {
    const healthy = rig.vehicle('healthy');
    const keys = telexBurst(healthy.passCode);
    // The input method really did rewrite it: compositions and accented letters, not the code's text.
    expect(keys.some((k) => k.key === 'Process')).toBe(true);
    expect(keys.some((k) => k.keyCode === 229 && k.key !== 'Process')).toBe(true); // an accented letter (Â, Á, Ư, Đ …)
    expect(keys.at(-1)!.fieldValue).not.toBe(healthy.passCode);

    await page.fill('#lookup-plate', '');
    await page.focus('#lookup-plate');
    const decided = rig.nextVerdict((v) => v.scannerId === 'desk-wedge');
    await typeAsScanner(page, keys, 5);
    const v = await decided;
    expect(v).toMatchObject({ verdict: 'ALLOW', lane: 'L4', scannerId: 'desk-wedge' });
    expect(v.subject.plate).toBe(healthy.sample.plate);
    expect(JSON.parse(reads.at(-1)!)).toEqual({ text: healthy.passCode });
    await page.waitForSelector(`.verdict[data-verdict="ALLOW"][data-seq="${v.seq}"]`);
    // The burst's rewritten text does not stay in the plate field the officer was using.
    expect(await page.inputValue('#lookup-plate')).toBe('');
    await screenshot(page, 'officer-wedge-burst');
    expect(errors).toEqual([]);
  });

  it('does not take a person typing a plate into the lookup field as a scan', async () => {
    const before = reads.length;
    await page.click('#sign-in-btn');
    await page.fill('#sign-in-id', OFFICER.id);
    await page.fill('#sign-in-pin', OFFICER.pin);
    await page.click('#sign-in-form button[type=submit]');
    await page.waitForSelector('body[data-personal="true"]');
    const plate = rig.vehicle('healthy').sample.plate;
    await page.fill('#lookup-plate', '');
    // Real key events from the browser's own input pipeline, a person's pace (about 120 ms a key).
    await page.type('#lookup-plate', plate, { delay: 120 });
    await page.keyboard.press('Enter');
    await page.waitForSelector('#lookup-results [data-pass-id]');
    expect(await page.inputValue('#lookup-plate')).toBe(plate);
    expect(reads.length).toBe(before);
    expect(errors).toEqual([]);
  });

  it('shows the wedge scanner with its kind and state in the status bar', async () => {
    await page.waitForSelector('[data-scanner="desk-wedge"][data-state="connected"]');
    expect(await page.textContent('[data-scanner="desk-wedge"]')).toMatch(/bàn phím|keyboard/i);
  });
});
