import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import type { ScannerState } from '../../shared/contracts/heartbeat.js';
import { parseScannerConfig } from '../../station/scanner/config.js';
import type { ScanEvent } from '../../station/scanner/scanner-port.js';
import { ScreenScanner } from '../../station/scanner/screen-scanner.js';
import { registerScannerRoutes } from '../../station/screen/scanner-routes.js';

const stops: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const f of stops.splice(0).reverse()) await f();
});

async function started(kind: 'screen' | 'camera' = 'screen', presenceTimeoutMs = 30_000) {
  const scanner = new ScreenScanner(parseScannerConfig({ id: `${kind}-1`, kind, lane: 'L4', direction: 'entry', maxLineLength: 64 }), { presenceTimeoutMs });
  const scans: ScanEvent[] = [];
  const states: ScannerState['state'][] = [];
  scanner.on('scan', (e) => scans.push(e));
  scanner.on('state', (s) => states.push(s.state));
  await scanner.start();
  stops.push(() => scanner.stop());
  return { scanner, scans, states };
}

const show = (e: ScanEvent) => (e.kind === 'payload' ? e.payload : `unreadable:${e.cause}`);

describe('ScreenScanner (reads posted by the officer screen page)', () => {
  it('puts each read through the framing checks and the debounce of any scanner', async () => {
    const { scanner, scans } = await started();
    scanner.read('VNP1:ABC');
    scanner.read('VNP1:ABC');
    scanner.read(']Q1VNH1:XYZ');
    scanner.read('VNP1:LINE\rBREAK');
    scanner.read('x'.repeat(65));
    scanner.read(']E0123');
    expect(scans.map(show)).toEqual(['VNP1:ABC', 'VNH1:XYZ', 'unreadable:CONTROL_CHARS', 'unreadable:LINE_TOO_LONG', 'unreadable:SYMBOLOGY_NOT_ALLOWED']);
    expect(scans[0]).toMatchObject({ scannerId: 'screen-1', lane: 'L4', direction: 'entry' });
  });

  it('is opening until a page reports, then as the page says, and unplugged once no page reports', async () => {
    const { scanner, states } = await started('camera', 50);
    expect(scanner.state()).toMatchObject({ state: 'opening', kind: 'camera', path: '' });
    scanner.presence('error', 'NotAllowedError');
    expect(scanner.detail).toBe('NotAllowedError');
    const gone = new Promise<void>((resolve) => scanner.on('state', (s) => s.state === 'unplugged' && resolve()));
    scanner.presence('connected');
    await gone;
    expect(states).toEqual(['error', 'connected', 'unplugged']);
  });

  it('takes no read once stopped', async () => {
    const { scanner, scans } = await started();
    await scanner.stop();
    expect(scanner.read('VNP1:ABC')).toBe(false);
    expect(scans).toEqual([]);
  });
});

describe('officer screen routes for its own scanners', () => {
  it('lists them with the keymap, takes reads and presence, and names what is wrong', async () => {
    const { scanner, scans } = await started();
    const app = Fastify();
    registerScannerRoutes(app, { scanners: [scanner] });
    stops.push(() => app.close());
    const list = await app.inject({ method: 'GET', url: '/api/screen-scanners' });
    expect(list.json()).toMatchObject({ scanners: [{ id: 'screen-1', kind: 'screen', lane: 'L4', maxKeyGapMs: 35, minBurstLength: 8, keySuffix: 'any' }] });
    expect(list.json().keymap.Digit4).toEqual(['4', '$']);
    expect((await app.inject({ method: 'POST', url: '/api/screen-scanners/screen-1/presence', payload: { state: 'connected' } })).json()).toEqual({ state: 'connected' });
    const read = await app.inject({ method: 'POST', url: '/api/screen-scanners/screen-1/reads', payload: { text: 'VNP1:ABC' } });
    expect(read.statusCode).toBe(202);
    expect(scans.map(show)).toEqual(['VNP1:ABC']);
    expect((await app.inject({ method: 'POST', url: '/api/screen-scanners/nope/reads', payload: { text: 'x' } })).json()).toMatchObject({ error: 'SCANNER_UNKNOWN' });
    expect((await app.inject({ method: 'POST', url: '/api/screen-scanners/screen-1/reads', payload: { text: '' } })).statusCode).toBe(400);
    const jsqr = await app.inject({ method: 'GET', url: '/vendor/jsqr.js' });
    expect(jsqr.headers['content-type']).toMatch(/javascript/);
    expect(jsqr.body).toContain('jsQR');
  });
});
