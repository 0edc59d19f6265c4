/**
 * Scan-to-verdict by scanner kind, on the officer screen in Chromium: a serial scanner on a socat pty,
 * a keyboard-wedge burst captured by the page (kind `screen`), and the page's camera (kind `camera`,
 * Chromium's fake camera playing a video of the codes). Every figure ends at the same place: the
 * verdict written into the officer screen's DOM (a MutationObserver in the page). Where each starts:
 * - serial: the read written to the scanner's end of the pty (the whole line at once);
 * - wedge: the scanner's Enter key reaching the page (its keys 5 ms apart before it);
 * - camera: the video frame that held the code reaching the page's decoder (capture latency of a real
 *   camera is not in it: the fake camera has none).
 * One small station (the browser tests' rig: sample population, real engine and journal), so the three
 * kinds are compared on equal terms; the main bench's scanToVerdict (1M-pass cache, ends at the SSE
 * event) is the serial figure at scale.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CDPSession, Page } from 'playwright-core';
import { writeQrVideo } from '../../../hardware-sim/camera-video.js';
import { crossingScans } from '../../../hardware-sim/fixtures/issue-samples.js';
import type { VerdictEvent } from '../../../station/engine/engine.js';
import { launchBrowser } from '../../browser/browser.js';
import { startStationRig, type StationRig } from '../../browser/officer-rig.js';
import { telexBurst } from '../../browser/telex-keys.js';
import { summarize, type Summary } from '../lib/stats.js';

export interface ScannerKindsResult {
  serial: Summary;
  wedge: Summary;
  camera: Summary;
  loadAvg1m: { before: number; after: number };
}

// In the page before its own scripts: when each verdict reached the DOM, when each Enter key arrived,
// and which video frame each camera read came from. Times are epoch ms (timeOrigin + now), as in Node.
const INSTRUMENT = `
window.__shown = {}; window.__enterAt = []; window.__camReads = []; window.__frameAt = 0;
const waiting = {};
window.__waitShown = (seq) => seq in window.__shown ? Promise.resolve(window.__shown[seq]) : new Promise((r) => { waiting[seq] = r; });
const epoch = () => performance.timeOrigin + performance.now();
// The screen may set data-seq on a panel or draw a new panel: look at every verdict panel after each change.
new MutationObserver(() => {
  for (const el of document.querySelectorAll('.verdict[data-seq]')) {
    const seq = el.getAttribute('data-seq');
    if (!(seq in window.__shown)) {
      window.__shown[seq] = epoch();
      waiting[seq]?.(window.__shown[seq]);
    }
  }
}).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-seq'] });
window.addEventListener('keydown', (e) => { if (e.code === 'Enter') window.__enterAt.push(epoch()); }, true);
const rvfc = HTMLVideoElement.prototype.requestVideoFrameCallback;
HTMLVideoElement.prototype.requestVideoFrameCallback = function (cb) { return rvfc.call(this, (now, meta) => { window.__frameAt = epoch(); cb(now, meta); }); };
const fetch0 = window.fetch;
window.fetch = function (url, init) { if (String(url).includes('/tablet-cam/reads')) window.__camReads.push(window.__frameAt); return fetch0.apply(this, arguments); };
`;

const epochNow = () => performance.timeOrigin + performance.now();

/** The sample codes in turn; a code comes round again only after the scanners' debounce window (1.5 s). */
function codeCycle(codes: readonly string[], offset: number): () => Promise<string> {
  const last = new Map<string, number>();
  let i = offset;
  return async () => {
    const code = codes[i++ % codes.length]!;
    const wait = (last.get(code) ?? -Infinity) + 1600 - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    last.set(code, Date.now());
    return code;
  };
}

async function shownAt(page: Page, seq: number): Promise<number> {
  return page.evaluate<number>(`window.__waitShown('${seq}')`);
}

/** Key events of one burst, 5 ms apart, through Chromium's input pipeline (as the wedge browser test). */
async function burst(page: Page, code: string, cdp: CDPSession): Promise<void> {
  const t0 = Date.now() / 1000;
  const sent: Promise<unknown>[] = [];
  telexBurst(code).forEach((k, i) => {
    const key = { key: k.composition !== null ? 'Process' : k.key, code: k.code, windowsVirtualKeyCode: k.keyCode, modifiers: k.shift ? 8 : 0, timestamp: t0 + i * 0.005 };
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: k.key === 'Enter' ? 'keyDown' : 'rawKeyDown', ...key, ...(k.key === 'Enter' ? { text: '\r' } : {}) }));
    sent.push(cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', ...key }));
  });
  await Promise.all(sent);
}

export async function measureScannerKinds(opts: { samples: number; cameraCodes: number; log: (m: string) => void }): Promise<ScannerKindsResult> {
  const before = loadavg()[0]!;
  const rig: StationRig = await startStationRig([{ id: 'lane1-in', lane: 'L1', direction: 'entry' }], {
    onScreen: [{ id: 'desk-wedge', kind: 'screen', lane: 'L4', direction: 'entry' }, { id: 'tablet-cam', kind: 'camera', lane: 'L5', direction: 'entry' }],
  });
  const codes = [...rig.issued.vehicles.flatMap((v) => crossingScans(v)), ...rig.issued.walkIns.map((w) => w.code)];
  const videoDir = await mkdtemp(join(tmpdir(), 'bench-camera-'));
  const video = join(videoDir, 'codes.y4m');
  const camCodes = codes.slice(0, opts.cameraCodes);
  await writeQrVideo(video, camCodes, { fps: 10, framesPerCode: 8, blankFrames: 4 });
  const browser = await launchBrowser({ args: ['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${video}`] });
  try {
    await browser.context.addInitScript(INSTRUMENT);
    const page = await browser.newPage('laptop');
    // The camera reads from the first frame: count its verdicts from the start.
    const camVerdicts: VerdictEvent[] = [];
    rig.engine.on('verdict', (v) => v.scannerId === 'tablet-cam' && camVerdicts.push(v));
    await page.goto(rig.url);
    await page.waitForSelector('body[data-ready="true"][data-wedge="desk-wedge"]');

    const serial: number[] = [];
    const device = rig.devices.get('lane1-in')!;
    opts.log(`serial: ${opts.samples} reads`);
    const serialCode = codeCycle(codes, 0);
    for (let i = 0; i < opts.samples; i++) {
      const code = await serialCode();
      const decided = rig.nextVerdict((v) => v.scannerId === 'lane1-in');
      const t0 = epochNow();
      await device.scan(code);
      serial.push((await shownAt(page, (await decided).seq)) - t0);
    }

    const wedge: number[] = [];
    const cdp = await browser.context.newCDPSession(page);
    opts.log(`wedge: ${opts.samples} bursts`);
    const wedgeCode = codeCycle(codes, 7);
    for (let i = 0; i < opts.samples; i++) {
      const code = await wedgeCode();
      const decided = rig.nextVerdict((v) => v.scannerId === 'desk-wedge');
      await burst(page, code, cdp);
      const seq = (await decided).seq;
      const enterAt = await page.evaluate<number>(`window.__enterAt[${i}]`);
      wedge.push((await shownAt(page, seq)) - enterAt);
    }

    opts.log(`camera: ${camCodes.length} codes in the video`);
    const deadline = Date.now() + 60_000;
    while (new Set(camVerdicts.map((v) => v.seq)).size < camCodes.length && Date.now() < deadline) await page.waitForTimeout(200);
    const camReads = await page.evaluate<number[]>('window.__camReads');
    const camera: number[] = [];
    for (let i = 0; i < Math.min(camReads.length, camVerdicts.length); i++) camera.push((await shownAt(page, camVerdicts[i]!.seq)) - camReads[i]!);
    return { serial: summarize(serial), wedge: summarize(wedge), camera: summarize(camera), loadAvg1m: { before, after: loadavg()[0]! } };
  } finally {
    await browser.close();
    await rig.close();
    await rm(videoDir, { recursive: true, force: true });
  }
}

/** `npm run bench -- --only wedge,camera`: this measure alone, printed beside the serial figure and written to `out`. */
export async function runScannerKindsBench(opts: { out: string; samples: number }): Promise<void> {
  const log = (m: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${m}`);
  const r = await measureScannerKinds({ samples: opts.samples, cameraCodes: 20, log });
  const row = (name: string, s: Summary) => `${name.padEnd(34)} ${String(s.samples).padStart(5)}  ${s.p50Ms.toFixed(1).padStart(8)}  ${s.p99Ms.toFixed(1).padStart(8)}  ${s.maxMs.toFixed(1).padStart(8)}`;
  console.log(`\nscan-to-verdict on the officer screen (ms)     n       p50       p99       max`);
  console.log(row('serial scanner (socat pty)', r.serial));
  console.log(row('keyboard wedge (screen, 5 ms/key)', r.wedge));
  console.log(row('camera (fake camera, jsQR)', r.camera));
  console.log(`load average (1 min): ${r.loadAvg1m.before.toFixed(1)} before, ${r.loadAvg1m.after.toFixed(1)} after\n`);
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { dirname, resolve } = await import('node:path');
  mkdirSync(dirname(resolve(opts.out)), { recursive: true });
  writeFileSync(opts.out, JSON.stringify({ scannerKinds: r }, null, 2) + '\n');
  log(`written ${opts.out}`);
}
