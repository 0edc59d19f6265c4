import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DemoSeed } from '../../../demo/seed.js';
import { simPaths, VirtualScanner } from '../../../hardware-sim/virtual-scanner.js';
import { StationProcess } from '../../station/station-process.js';
import { InProcessStation } from './in-process-station.js';
import { freePort, seedServerDataDir, ServerProcess, ServerStore } from './server-process.js';
import { pollUntil, stationSynced, writeDemoStationConfig } from './station-side.js';

/**
 * The whole system as separate processes on loopback: the central server (`server/main.ts`) on a
 * seeded demo province, one virtual scanner on a socat pty, and `npm run station` processes on the
 * same files, started and killed by the test.
 */
export class FaultRig {
  readonly stations: StationProcess[] = [];
  private constructor(
    readonly dir: string,
    readonly seed: DemoSeed,
    readonly server: ServerProcess,
    readonly serverStore: ServerStore,
    readonly device: VirtualScanner,
  ) {}

  static async create(name: string): Promise<FaultRig> {
    const dir = mkdtempSync(join(tmpdir(), `faults-${name}-`));
    const dataDir = join(dir, 'server');
    const seed = await seedServerDataDir(dataDir, Date.now());
    const server = new ServerProcess(dataDir, await freePort());
    mkdirSync(join(dir, 'pty'));
    const device = await VirtualScanner.start({ ...simPaths(join(dir, 'pty'), 'lane1-in'), suffix: 'cr' });
    return new FaultRig(dir, seed, server, new ServerStore(join(dataDir, 'server.sqlite')), device);
  }

  get stationId(): string {
    return this.seed.station.stationId;
  }

  /** Start a station process on the rig's files, its link pointed at `serverUrl` (the server by default). */
  async startStation(serverUrl = this.server.url): Promise<StationProcess> {
    const config = writeDemoStationConfig(this.dir, this.seed, this.device.stationPath, serverUrl);
    const s = new StationProcess(['--config', config]);
    this.stations.push(s);
    await s.started();
    return s;
  }

  /** The station in this process (link tuned by `link`), not started. */
  inProcessStation(serverUrl: string, link: ConstructorParameters<typeof InProcessStation>[1]): InProcessStation {
    return new InProcessStation(writeDemoStationConfig(this.dir, this.seed, this.device.stationPath, serverUrl), link);
  }

  /** Resolves once the station took its first snapshot (it then decides from the server's whitelist). */
  synced(timeoutMs = 60_000): Promise<void> {
    return pollUntil(() => stationSynced(this.dir), 'the first snapshot', timeoutMs);
  }

  async close(): Promise<void> {
    for (const s of this.stations) {
      s.kill('SIGKILL');
      await s.exited;
    }
    await this.device.stop();
    await this.server.kill('SIGKILL');
    rmSync(this.dir, { recursive: true, force: true });
  }
}
