import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { simPaths, VirtualScanner } from '../../hardware-sim/virtual-scanner.js';
import { openStationStore } from '../../station/store/store.js';
import { StationProcess } from '../station/station-process.js';
import { FaultProxy } from '../support/fault-proxy.js';
import { peekOutbox } from '../support/station-peek.js';
import { world, type World } from './harness.js';

let w: World | null = null;
let proxy: FaultProxy | null = null;
let device: VirtualScanner | null = null;
const children: StationProcess[] = [];

afterEach(async () => {
  for (const c of children.splice(0)) {
    c.kill('SIGKILL');
    await c.exited;
  }
  await device?.stop();
  await proxy?.stop();
  await w?.central.stop();
  w?.cleanup();
  w = proxy = device = null;
});

describe('a station killed during an upload (real process, pty, HTTP)', () => {
  it('restarted on the same files: no record lost, none stored twice', async () => {
    w = await world({ vehicles: 11, walkIns: 20 });
    proxy = new FaultProxy({ host: '127.0.0.1', port: w.central.port });
    await proxy.start();
    device = await VirtualScanner.start({ ...simPaths(w.dir, 'lane-in'), suffix: 'cr' });
    const config = join(w.dir, 'station.json');
    writeFileSync(config, JSON.stringify({
      stationId: w.seed.station.stationId, checkpointId: w.seed.station.checkpointId, province: 79,
      rootPublicKey: w.seed.rootPublicKey, dataDir: join(w.dir, 'station-data'),
      scanners: [{ id: 'lane-in', path: device.stationPath, lane: 'L1-vao', direction: 'entry', suffix: 'cr', debounceMs: 0 }],
      server: { url: proxy.url, credential: w.seed.station.secret },
    }));
    const start = async () => {
      const c = new StationProcess(['--config', config]);
      children.push(c);
      await c.started();
      await c.waitFor(() => c.logs.some((l) => l.message === 'scanner state' && l.state === 'connected'), 'the scanner to connect');
      return c;
    };

    // First run: sync, then build a backlog while the server is unreachable.
    const first = await start();
    const codes = [...w.seed.vehicles.flatMap((v) => [v.passCode, ...v.crewCodes]), ...w.seed.walkIns.map((x) => x.code)];
    proxy.plan = { ...proxy.plan, down: true };
    for (const code of codes) await device.scan(code);
    await first.waitFor(() => first.verdicts().length === codes.length, 'every scan decided while offline');

    // The link returns; the server stores the first batch, and the station dies before the answer reaches it.
    let killedDuringUpload = false;
    proxy.onAnswered = (method, url) => {
      if (method === 'POST' && url.startsWith('/api/v1/ingest/batches') && !killedDuringUpload) {
        killedDuringUpload = true;
        first.kill('SIGKILL');
      }
    };
    proxy.plan = { ...proxy.plan, down: false, delayMs: 50 };
    expect((await first.exited).signal).toBe('SIGKILL');
    expect(killedDuringUpload).toBe(true);
    const storedBeforeRestart = w.central.stored(w.seed.station.stationId).length;
    expect(storedBeforeRestart).toBeGreaterThan(0); // stored at the server, never acknowledged to the station

    // Restarted on the same files, it resends what was not acknowledged.
    proxy.onAnswered = null;
    proxy.plan = { ...proxy.plan, delayMs: 0 };
    const second = await start();
    const stationId = w.seed.station.stationId;
    // The station's own outbox, read beside the running process (WAL allows a second reader).
    const dbPath = join(w.dir, 'station-data', 'station.db');
    await vi.waitFor(() => expect(peekOutbox(dbPath)).toBe(0), { timeout: 20_000, interval: 50 });
    second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const store = openStationStore(join(w.dir, 'station-data', 'station.db'));
    const local = store.journalSince(0, 100_000).map((r) => ({ seq: r.seq, hash: r.hash }));
    const backlog = store.outboxBacklog();
    store.close();
    expect(local.length).toBeGreaterThanOrEqual(codes.length);
    expect(backlog).toBe(0);
    expect(w.central.stored(stationId)).toEqual(local);
    const conflicts = w.central.app!.database.sqlite.prepare('SELECT count(*) AS n FROM journal_conflicts').get() as { n: number };
    expect(conflicts.n).toBe(0);
  });
});
