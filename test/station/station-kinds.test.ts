import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { FifoKeyboard } from '../../hardware-sim/virtual-keyboard.js';
import { parseStationConfig } from '../../station/config.js';
import type { VerdictEvent } from '../../station/engine/engine.js';
import { ScreenScanner } from '../../station/scanner/screen-scanner.js';
import { officerScreenForStation } from '../../station/screen/for-station.js';
import { Station } from '../../station/station.js';
import { stationConfigInput } from './station-files.js';

const authority = createTestAuthority();
const cleanup: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function verdictFrom(station: Station, scannerId: string): Promise<VerdictEvent> {
  return new Promise((resolve) => {
    const on = (v: VerdictEvent) => {
      if (v.scannerId !== scannerId) return;
      station.off('verdict', on);
      resolve(v);
    };
    station.on('verdict', on);
  });
}

describe('a station built from a config with every scanner kind', () => {
  it('reads an evdev keyboard-wedge scanner and its officer screen\'s own scanner through the engine', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'station-kinds-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const keyboard = await FifoKeyboard.start(join(dir, 'usb-Scanner-event-kbd'));
    cleanup.push(() => keyboard.stop());
    const config = parseStationConfig({
      ...stationConfigInput(authority, join(dir, 'data'), [
        { id: 'kbd', kind: 'evdev', path: keyboard.path, lane: 'L1', direction: 'entry' },
        { id: 'desk', kind: 'screen', lane: 'L2', direction: 'exit' },
        { id: 'cam', kind: 'camera', lane: 'L2', direction: 'exit' },
      ]),
      officerScreen: { host: '127.0.0.1', port: 0 },
    });
    const station = new Station(config);
    await station.start();
    cleanup.push(() => station.stop());
    const screen = officerScreenForStation(station)!;
    const url = await screen.start();
    cleanup.push(() => screen.stop());

    expect(station.scannerStates().map((s) => [s.id, s.kind, s.state])).toEqual([['kbd', 'evdev', 'connected'], ['desk', 'screen', 'opening'], ['cam', 'camera', 'opening']]);
    expect(station.scanners.filter((s) => s instanceof ScreenScanner).map((s) => s.scannerId)).toEqual(['desk', 'cam']);

    const fromKeyboard = verdictFrom(station, 'kbd');
    await keyboard.type('VNP1:NOT-A-REAL-CODE');
    expect(await fromKeyboard).toMatchObject({ lane: 'L1', direction: 'entry', verdict: 'DENY' });

    const fromScreen = verdictFrom(station, 'desk');
    const res = await fetch(`${url}/api/screen-scanners/desk/reads`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text: 'VNH1:NOT-A-REAL-CODE' }) });
    expect(res.status).toBe(202);
    expect(await fromScreen).toMatchObject({ lane: 'L2', direction: 'exit', verdict: 'DENY' });
    expect(station.scannerStates().find((s) => s.id === 'desk')!.state).toBe('connected');
  });
});
