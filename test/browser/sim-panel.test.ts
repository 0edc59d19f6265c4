import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crossingScans } from '../../hardware-sim/fixtures/issue-samples.js';
import { samplesFromEntries, SimPanel } from '../../hardware-sim/panel/panel.js';
import { collectPageErrors, launchBrowser, screenshot, type TestBrowser } from './browser.js';
import { startStationRig, type StationRig } from './officer-rig.js';

/**
 * The testers' panel drives the virtual scanners (socat ptys) of a running station: a picked code is
 * scanned into the pty, the station decides it, and the officer's screen shows it.
 */
let rig: StationRig;
let panel: SimPanel;
let browser: TestBrowser;
let page: Page;
let officer: Page;
let errors: string[];

beforeAll(async () => {
  rig = await startStationRig([
    { id: 'lane1-in', lane: 'L1', direction: 'entry' },
    { id: 'lane2-out', lane: 'L2', direction: 'exit' },
  ]);
  const entries = [
    ...rig.issued.vehicles.map((v) => ({ name: `${v.sample.case} ${v.sample.plate}`, scans: crossingScans(v) })),
    ...rig.issued.walkIns.map((w) => ({ name: w.sample.case, scans: [w.code] })),
  ];
  panel = new SimPanel({
    port: 0,
    scanners: [
      { id: 'lane1-in', scanner: rig.devices.get('lane1-in')!, lane: 'L1', direction: 'entry' },
      { id: 'lane2-out', scanner: rig.devices.get('lane2-out')!, lane: 'L2', direction: 'exit' },
    ],
    samples: samplesFromEntries(entries),
  });
  await panel.start();
  browser = await launchBrowser();
  page = await browser.newPage('laptop');
  page.setDefaultTimeout(5000);
  errors = collectPageErrors(page);
  await page.goto(panel.url);
  await page.waitForSelector('body[data-ready="true"]');
  officer = await browser.newPage('laptop');
  officer.setDefaultTimeout(5000);
  await officer.goto(rig.url);
  await officer.waitForSelector('body[data-ready="true"]');
  // A background tab gets its animation frames throttled, and every click waits for them.
  await page.bringToFront();
});

afterAll(async () => {
  await browser?.close();
  await panel?.stop();
  await rig?.close();
});

describe('simulator panel', () => {
  it('lists the virtual scanners and scans a picked sample into the chosen pty; the station decides it', async () => {
    expect(await page.$$eval('.scanner', (els) => els.map((e) => e.getAttribute('data-scanner')))).toEqual(['lane1-in', 'lane2-out']);
    const healthy = rig.vehicle('healthy');
    await page.check('.scanner[data-scanner="lane1-in"] input[type=radio]');
    await page.selectOption('#sample', { label: `healthy ${healthy.sample.plate} · 1/3` });
    expect(await page.inputValue('#code')).toBe(healthy.passCode);
    const decided = rig.nextVerdict();
    await page.click('#scan-btn');
    const v = await decided;
    expect(v).toMatchObject({ verdict: 'ALLOW', scannerId: 'lane1-in', lane: 'L1', codeKind: 'pass', subject: { plate: healthy.sample.plate } });
    await officer.waitForSelector(`.verdict[data-verdict="ALLOW"][data-seq="${v.seq}"]`);
    await page.waitForSelector('#log li[data-ok="true"]');
    await screenshot(page, 'sim-panel-1366x768');
  });

  it('a pasted code into the other scanner; a repeated read is decided once', async () => {
    const walkIn = rig.issued.walkIns.find((w) => w.sample.case === 'walk-in-healthy')!;
    await page.check('.scanner[data-scanner="lane2-out"] input[type=radio]');
    await page.fill('#code', `${walkIn.code}\n`);
    await page.fill('#times', '5');
    const verdicts: number[] = [];
    const count = (v: { payloadHash?: string; scannerId: string; seq: number }) => v.scannerId === 'lane2-out' && verdicts.push(v.seq);
    rig.engine.on('verdict', count);
    await page.click('#repeat-btn');
    await page.waitForSelector('#log li:first-child:has-text("repeat ×5")');
    // A different code after the repeats: when it is decided, every repeat before it was too.
    const sentinel = rig.issued.walkIns.find((w) => w.sample.case === 'walk-in-f1')!;
    const last = rig.nextVerdict((v) => v.subject.citizenId === sentinel.sample.person.citizenId);
    await page.fill('#code', sentinel.code);
    await page.click('#scan-btn');
    await last;
    rig.engine.off('verdict', count);
    expect(verdicts).toHaveLength(2);
  });

  it('garbage becomes a DENY the station survives; unplug and replug show on both screens', async () => {
    await page.check('.scanner[data-scanner="lane1-in"] input[type=radio]');
    await page.fill('#garbage-bytes', '200');
    const garbage = rig.nextVerdict((v) => v.scannerId === 'lane1-in');
    await page.click('#garbage-btn');
    expect((await garbage).verdict).toBe('DENY');

    await page.click('.scanner[data-scanner="lane2-out"] button.unplug');
    await page.waitForSelector('.scanner[data-scanner="lane2-out"][data-plugged="false"]');
    await officer.waitForSelector('#status-bar [data-scanner="lane2-out"][data-state="unplugged"]');
    // Scanning into an unplugged scanner is refused with a clear message, not a crash.
    await page.check('.scanner[data-scanner="lane2-out"] input[type=radio]');
    await page.fill('#code', 'VNH1:ANYTHING');
    await page.click('#scan-btn');
    await page.waitForSelector('#log li[data-ok="false"]:has-text("unplugged")');
    await screenshot(page, 'sim-panel-unplugged-1366x768');
    const tablet = await browser.newPage('tablet');
    await tablet.goto(panel.url);
    await tablet.waitForSelector('.scanner[data-scanner="lane2-out"][data-plugged="false"]');
    expect(await tablet.evaluate('document.documentElement.scrollWidth <= window.innerWidth')).toBe(true);
    await screenshot(tablet, 'sim-panel-tablet-768x1024');
    await tablet.close();
    await page.bringToFront();

    await page.click('.scanner[data-scanner="lane2-out"] button.replug');
    await page.waitForSelector('.scanner[data-scanner="lane2-out"][data-plugged="true"]');
    await officer.waitForSelector('#status-bar [data-scanner="lane2-out"][data-state="connected"]');
    const after = rig.nextVerdict((v) => v.scannerId === 'lane2-out');
    // A code this scanner has not read before: the walk-in repeated above may still be inside its debounce window.
    await page.fill('#code', rig.issued.walkIns.find((w) => w.sample.case === 'walk-in-level4-tested')!.code);
    await page.click('#scan-btn');
    await after;
    expect(errors.filter((e) => !e.includes('409'))).toEqual([]);
  });

  it('answers bad requests with clear errors and scans nothing', async () => {
    const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
      fetch(`${panel.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const unknown = await post('/api/scan', { scanner: 'nope', code: 'VNP1:X' });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: 'SCANNER_UNKNOWN' });
    expect((await post('/api/scan', { scanner: 'lane1-in', code: '' })).status).toBe(400);
    expect((await post('/api/scan', { scanner: 'lane1-in', code: 'x'.repeat(9000) })).status).toBe(400);
    expect((await post('/api/garbage', { scanner: 'lane1-in', bytes: 0 })).status).toBe(400);
    expect((await post('/api/scan', { scanner: 'lane1-in', code: 'VNP1:X' }, { origin: 'http://elsewhere.example' })).status).toBe(403);
    const samples = (await (await fetch(`${panel.url}/api/samples`)).json()) as { label: string; code: string }[];
    expect(samples.find((x) => x.label.startsWith('healthy '))?.code).toBe(rig.vehicle('healthy').passCode);
  });
});
