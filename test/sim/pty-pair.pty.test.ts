import { mkdtemp, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PtyPair, socatAvailable } from '../../hardware-sim/pty-pair.js';
import { simPaths, VirtualScanner } from '../../hardware-sim/virtual-scanner.js';

const exists = (p: string) => stat(p).then(() => true, () => false);

describe('PtyPair and VirtualScanner over real socat', () => {
  let dir: string;
  const cleanup: (() => Promise<void>)[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pty-pair-'));
  });
  afterEach(async () => {
    for (const f of cleanup.splice(0)) await f();
    await rm(dir, { recursive: true, force: true });
  });

  it('socat is installed', async () => {
    expect(await socatAvailable()).toBe(true);
  });

  it('start waits for both links; stop removes them; start again restores the same paths', async () => {
    const pair = new PtyPair(simPaths(dir, 'a'));
    cleanup.push(() => pair.stop());
    await pair.start();
    expect(await exists(pair.stationPath)).toBe(true);
    expect(await exists(pair.devicePath)).toBe(true);
    expect(pair.ptys).toHaveLength(2);
    expect(pair.ptys).toContain(await readlink(pair.stationPath));
    await pair.stop();
    expect(await exists(pair.stationPath)).toBe(false);
    expect(pair.running).toBe(false);
    await pair.start();
    expect(await exists(pair.stationPath)).toBe(true);
  });

  it('reports a socat failure with its own message', async () => {
    const pair = new PtyPair({ stationPath: join(dir, 'no-such-dir', 'x'), devicePath: join(dir, 'no-such-dir', 'y'), readyTimeoutMs: 3000 });
    await expect(pair.start()).rejects.toThrow(/socat/);
    expect(pair.running).toBe(false);
  });

  it('the device end receives what is written at the station end', async () => {
    const scanner = await VirtualScanner.start(simPaths(dir, 'b'));
    cleanup.push(() => scanner.stop());
    const { SerialPort } = await import('serialport');
    const station = new SerialPort({ path: scanner.stationPath, baudRate: 9600, autoOpen: false });
    await new Promise<void>((res, rej) => station.open((e) => (e ? rej(e) : res())));
    cleanup.push(() => new Promise((res) => station.close(() => res())));
    const lines: Buffer[] = [];
    const got = new Promise<void>((res) => station.on('data', (d: Buffer) => { lines.push(d); if (Buffer.concat(lines).includes(0x0d)) res(); }));
    await scanner.scan('HELLO', { aim: true });
    await got;
    expect(Buffer.concat(lines).toString()).toBe(']Q1HELLO\r');
    station.write(Buffer.from([0x1b, 0x37]));
    expect((await scanner.waitForReceived(2)).toString('hex')).toBe('1b37');
  });
});
