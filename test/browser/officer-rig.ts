import { mkdtemp, rm } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestAuthority, type TestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { issueWithAuthority, type IssuedPopulation, type IssuedVehicle } from '../../hardware-sim/fixtures/issue-samples.js';
import { makePopulation, type VehicleCase } from '../../hardware-sim/fixtures/population.js';
import { simPaths, VirtualScanner } from '../../hardware-sim/virtual-scanner.js';
import { ScanEngine, type VerdictEvent } from '../../station/engine/engine.js';
import { parseScannerConfig } from '../../station/scanner/config.js';
import type { ScannerPort } from '../../station/scanner/scanner-port.js';
import { ScreenScanner } from '../../station/scanner/screen-scanner.js';
import { SerialScanner } from '../../station/scanner/serial-scanner.js';
import { hashPin, type OfficerAccount } from '../../station/screen/officers.js';
import { OfficerScreen, type OfficerScreenOptions } from '../../station/screen/screen.js';
import { stationStatusProvider, type ServerLink } from '../../station/screen/status.js';
import { openStationStore, type StationStore } from '../../station/store/store.js';
import { collectPageErrors, type TestBrowser, type ViewportName } from './browser.js';

/**
 * A station made of its real parts for the browser tests: store seeded with a sample population
 * issued by a test authority, serial scanners on socat ptys driven by virtual scanners, the engine,
 * and the officer's screen on a free port.
 */
export const OFFICER = { id: 'CB-001', name: 'Nguyễn Văn An', pin: '4821' };
export const CHECKPOINT = 1;

export interface LaneSpec {
  id: string;
  lane: string;
  direction: 'entry' | 'exit';
}

export interface StationRig {
  dir: string;
  authority: TestAuthority;
  issued: IssuedPopulation;
  store: StationStore;
  engine: ScanEngine;
  devices: Map<string, VirtualScanner>;
  scanners: Map<string, SerialScanner>;
  /** the screen's own scanners (kinds screen and camera), by id */
  screenScanners: Map<string, ScreenScanner>;
  screen: OfficerScreen;
  url: string;
  vehicle(kind: VehicleCase): IssuedVehicle;
  /** resolves with the next verdict matching `match` */
  nextVerdict(match?: (v: VerdictEvent) => boolean, timeoutMs?: number): Promise<VerdictEvent>;
  close(): Promise<void>;
}

/** Scanners the officer screen's page reads (a keyboard wedge on the screen's PC, its camera). */
export interface ScreenLaneSpec extends LaneSpec {
  kind: 'screen' | 'camera';
  debounceMs?: number;
}

export interface RigOptions {
  /** the officer screen's options (verdict hold time, banners' thresholds, a server link to show) */
  screen?: Partial<Pick<OfficerScreenOptions, 'verdictHoldMs' | 'serverAlertMs' | 'session'>>;
  server?: () => ServerLink;
  /** scanners of kind screen and camera, read by the screen's page */
  onScreen?: ScreenLaneSpec[];
}

export async function startStationRig(lanes: LaneSpec[] = [{ id: 'lane1-in', lane: 'L1', direction: 'entry' }], rigOpts: RigOptions = {}): Promise<StationRig> {
  const dir = await mkdtemp(join(tmpdir(), 'officer-screen-'));
  const cleanup: (() => Promise<void> | void)[] = [() => rm(dir, { recursive: true, force: true })];
  const close = async () => {
    for (const f of cleanup.splice(0).reverse()) await f();
  };
  try {
    const now = Date.now();
    const authority = createTestAuthority({ now, checkpointIds: [CHECKPOINT] });
    const issued = issueWithAuthority(authority, makePopulation({ now, checkpointA: CHECKPOINT, checkpointB: 2, vehicles: 11, walkIns: 5 }));
    const store = openStationStore(join(dir, 'station.db'));
    cleanup.push(() => store.close());
    store.applyFeedItems(issued.items, { cursor: 1, syncedAt: now });

    const engine = new ScanEngine({ stationId: 'st-79-001', checkpointId: CHECKPOINT, province: authority.province, rootPublicKey: authority.keys.root.publicKey, store });
    engine.start();
    cleanup.push(() => engine.stop());

    const devices = new Map<string, VirtualScanner>();
    const scanners = new Map<string, SerialScanner>();
    for (const l of lanes) {
      const device = await VirtualScanner.start(simPaths(dir, l.id));
      cleanup.push(() => device.stop());
      devices.set(l.id, device);
      const scanner = new SerialScanner(
        parseScannerConfig({ id: l.id, path: device.stationPath, lane: l.lane, direction: l.direction, suffix: 'cr', reopen: { minMs: 20, maxMs: 200 } }),
        { watchdogMs: 50 },
      );
      engine.attach(scanner);
      await scanner.start();
      cleanup.push(() => scanner.stop());
      scanners.set(l.id, scanner);
    }

    const screenScanners = new Map<string, ScreenScanner>();
    for (const l of rigOpts.onScreen ?? []) {
      const scanner = new ScreenScanner(parseScannerConfig({ ...l }));
      engine.attach(scanner);
      await scanner.start();
      cleanup.push(() => scanner.stop());
      screenScanners.set(l.id, scanner);
    }

    // A cheap scrypt cost: the tests sign in often; the format and the check are the real ones.
    const officers: OfficerAccount[] = [{ id: OFFICER.id, name: OFFICER.name, pinHash: await hashPin(OFFICER.pin, { N: 1024, r: 8, p: 1 }) }];
    const screen = new OfficerScreen({
      port: 0,
      station: { stationId: 'st-79-001', checkpointId: CHECKPOINT, name: 'Chốt Quốc lộ 1A' },
      engine,
      store,
      status: stationStatusProvider({ scannerStates: () => [...scanners.values(), ...screenScanners.values()].map((s) => s.state()), store, ...(rigOpts.server ? { server: rigOpts.server } : {}) }),
      officers,
      screenScanners: [...screenScanners.values()],
      statusIntervalMs: 200,
      ...rigOpts.screen,
    });
    const url = await screen.start();
    cleanup.push(() => screen.stop());
    // A scanner's state change is pushed at once, not at the next poll.
    for (const s of [...scanners.values(), ...screenScanners.values()] as ScannerPort[]) s.on('state', () => screen.refreshStatus());

    return {
      dir, authority, issued, store, engine, devices, scanners, screenScanners, screen, url,
      vehicle(kind) {
        const v = issued.vehicles.find((x) => x.sample.case === kind);
        if (!v) throw new Error(`no ${kind} vehicle in the sample population`);
        return v;
      },
      nextVerdict(match = () => true, timeoutMs = 5000) {
        return new Promise((resolve, reject) => {
          const on = (v: VerdictEvent) => {
            if (!match(v)) return;
            clearTimeout(timer);
            engine.off('verdict', on);
            resolve(v);
          };
          const timer = setTimeout(() => {
            engine.off('verdict', on);
            reject(new Error(`no matching verdict within ${timeoutMs} ms`));
          }, timeoutMs);
          engine.on('verdict', on);
        });
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Sign the page in as OFFICER (no-op when it already is). */
export async function signInOfficer(p: Page): Promise<void> {
  if ((await p.getAttribute('body', 'data-personal')) === 'true') return;
  await p.click('#sign-in-btn');
  await p.fill('#sign-in-id', OFFICER.id);
  await p.fill('#sign-in-pin', OFFICER.pin);
  await p.click('#sign-in-form button[type=submit]');
  await p.waitForSelector('body[data-personal="true"]');
}

/** A page on the officer screen, its errors collected, once the first state has arrived. */
export async function openOfficerScreen(browser: TestBrowser, url: string, viewport: ViewportName = 'laptop'): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage(viewport);
  page.setDefaultTimeout(5000);
  const errors = collectPageErrors(page);
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
  return { page, errors };
}
