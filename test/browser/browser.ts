import { mkdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * The shared browser launcher for test/browser/**: Debian's chromium driven by playwright-core, never a
 * downloaded browser, in a fresh profile that is removed on close.
 */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'];

export const VIEWPORTS = {
  laptop: { width: 1366, height: 768 },
  tablet: { width: 768, height: 1024 },
  /** a 4:3 tablet held landscape, or a small laptop */
  small: { width: 1024, height: 768 },
  /** a lane-side tablet held upright */
  portrait: { width: 800, height: 1280 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

/** Where screenshots go (gitignored): look at them after a run. */
export const SCREENS_DIR = resolve('test-artifacts/screens');

export interface TestBrowser {
  context: BrowserContext;
  newPage(viewport?: ViewportName): Promise<Page>;
  close(): Promise<void>;
}

/**
 * `timezoneId` runs the pages in another zone (the app must still show Vietnam time); `args` are added
 * to CHROMIUM_ARGS (e.g. a fake camera fed by a video file).
 */
export async function launchBrowser(opts: { locale?: string; timezoneId?: string; args?: string[] } = {}): Promise<TestBrowser> {
  const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      args: [...CHROMIUM_ARGS, ...(opts.args ?? [])],
      headless: true,
      viewport: VIEWPORTS.laptop,
      locale: opts.locale ?? 'vi-VN',
      ...(opts.timezoneId ? { timezoneId: opts.timezoneId } : {}),
      timeout: 20_000,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  const pages = context.pages();
  return {
    context,
    async newPage(viewport = 'laptop') {
      // A persistent context opens with one blank page: use it first.
      const page = pages.shift() ?? (await context.newPage());
      await page.setViewportSize(VIEWPORTS[viewport]);
      return page;
    },
    async close() {
      await context.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Save a full-page screenshot as test-artifacts/screens/<name>.png and return its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const path = join(SCREENS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Errors the page threw or logged: a test asserts this stays empty, so a broken script fails the test
 * instead of leaving a silent blank screen.
 */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  return errors;
}
