import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { DEMO_OFFICER, DemoRig } from '../../demo/rig.js';
import type { VerdictEvent } from '../../station/engine/engine.js';
import { launchBrowser, type TestBrowser } from './browser.js';
import type { WebServer } from './server-harness.js';

/**
 * The whole system for the end-to-end browser tests: the demo rig (server seeded on SQLite, the station on
 * socat ptys with its link, the officer screen, the simulator panel) and two browsers. The officer's
 * screen gets a browser of its own, as on the real checkpoint: a background tab is throttled, which
 * would distort the verdict timing, and signing in to the web app clears that browser's cookies.
 */
export interface E2ESystem {
  rig: DemoRig;
  /** the demo server in the shape the server web app helpers (signIn) take */
  web: WebServer;
  /** web app and simulator panel */
  desk: TestBrowser;
  /** the officer's screen */
  booth: TestBrowser;
  close(): Promise<void>;
}

export async function startE2E(opts: { syncIntervalMs?: number } = {}): Promise<E2ESystem> {
  const dir = await mkdtemp(join(tmpdir(), 'e2e-screens-'));
  // one vehicle of each case (11) and one walk-in of each case (5): enough, and quick to seed
  const rig = new DemoRig({ dataDir: dir, port: 0, host: '127.0.0.1', screenPort: 0, panelPort: 0, syncIntervalMs: opts.syncIntervalMs ?? 2000, vehicles: 11, walkIns: 5, neighbourStation: false });
  const browsers: TestBrowser[] = [];
  const close = async () => {
    for (const b of browsers) await b.close();
    await rig.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const [, desk, booth] = await Promise.all([rig.start(), launchBrowser(), launchBrowser()]);
    browsers.push(desk, booth);
    await rig.scannersConnected();
    const users = {} as WebServer['users'];
    for (const l of rig.seed.logins) users[l.role] = { username: l.username, password: l.password };
    const web: WebServer = { app: rig.app!, url: rig.serverUrl, users, close: async () => {} };
    return { rig, web, desk, booth, close };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Sign the demo officer in on the station's screen (names and ids are shown only then). */
export async function signInOfficer(page: Page): Promise<void> {
  if ((await page.getAttribute('body', 'data-personal')) === 'true') return;
  await page.click('#sign-in-btn');
  await page.fill('#sign-in-id', DEMO_OFFICER.id);
  await page.fill('#sign-in-pin', DEMO_OFFICER.pin);
  await page.click('#sign-in-form button[type=submit]');
  await page.waitForSelector('body[data-personal="true"]');
}

/**
 * Record in the page, with the page's own wall clock, when each verdict is first painted into its lane's panel:
 * the time the officer could see it, not the time a test's polling noticed it.
 */
export async function recordVerdictPaints(page: Page): Promise<void> {
  // A script string: this project type-checks without the DOM library.
  await page.evaluate(`(() => {
    window.verdictPaints = {};
    const root = document.getElementById('lanes');
    new MutationObserver(() => {
      for (const el of root.querySelectorAll('.verdict[data-seq]')) {
        const seq = el.getAttribute('data-seq');
        if (seq && !window.verdictPaints[seq]) window.verdictPaints[seq] = { verdict: el.getAttribute('data-verdict'), at: Date.now() };
      }
    }).observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['data-seq', 'data-verdict'] });
  })()`);
}

/** When the verdict with this journal seq was painted (epoch ms), waiting for it up to timeoutMs. */
export async function paintedAt(page: Page, verdict: string, seq: number, timeoutMs = 5000): Promise<number> {
  await page.waitForSelector(`.verdict[data-verdict="${verdict}"][data-seq="${seq}"]`, { timeout: timeoutMs });
  const at = await page.evaluate(`window.verdictPaints[${JSON.stringify(String(seq))}]?.at ?? null`);
  if (typeof at !== 'number') throw new Error(`verdict ${seq} was shown but its paint was not recorded`);
  return at;
}

/** The next verdict the station decides on a scanner. */
export function nextVerdict(rig: DemoRig, scannerId: string, timeoutMs = 5000): Promise<VerdictEvent> {
  return new Promise((resolve, reject) => {
    const on = (v: VerdictEvent) => {
      if (v.scannerId !== scannerId) return;
      clearTimeout(timer);
      rig.station.off('verdict', on);
      resolve(v);
    };
    const timer = setTimeout(() => {
      rig.station.off('verdict', on);
      reject(new Error(`no verdict on ${scannerId} within ${timeoutMs} ms`));
    }, timeoutMs);
    rig.station.on('verdict', on);
  });
}

/**
 * Scan a code through the simulator panel's UI on one scanner; resolves with the station's verdict and the
 * wall-clock time of the click.
 */
export async function scanInPanel(panel: Page, rig: DemoRig, scannerId: string, code: string): Promise<{ v: VerdictEvent; clickedAt: number }> {
  await panel.check(`.scanner[data-scanner="${scannerId}"] input[type=radio]`);
  await panel.fill('#code', code);
  const decided = nextVerdict(rig, scannerId);
  const clickedAt = Date.now();
  await panel.click('#scan-btn');
  return { v: await decided, clickedAt };
}

/** Poll a condition that has no event, with a bounded wait. */
export async function until(what: string, cond: () => boolean | Promise<boolean>, timeoutMs = 5000, everyMs = 50): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * A scanner drops a repeat of the same payload inside its debounce window (presentation mode), and each
 * dropped repeat restarts the window. There is no event for the window closing: wait it out from the
 * last time the payload was read, as an officer presenting the same paper again would.
 */
export async function debounceOver(rig: DemoRig, scannerId: string, lastReadAt: number): Promise<void> {
  const scanner = rig.station.config.scanners.find((s) => s.id === scannerId);
  if (!scanner) throw new Error(`no scanner ${scannerId}`);
  const left = lastReadAt + scanner.debounceMs + 50 - Date.now();
  if (left > 0) await new Promise((r) => setTimeout(r, left));
}
