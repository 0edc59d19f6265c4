import { mkdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { socatAvailable } from '../hardware-sim/pty-pair.js';
import { simPaths, VirtualScanner } from '../hardware-sim/virtual-scanner.js';
import { buildApp } from '../server/app.js';
import { loadServerConfig } from '../server/config.js';
import { parseStationConfig } from '../station/config.js';
import type { VerdictEvent } from '../station/engine/engine.js';
import { parseScannerConfig } from '../station/scanner/config.js';
import { SimulatedScanner } from '../station/scanner/simulated-scanner.js';
import { Station } from '../station/station.js';
import type { Link } from '../station/sync/link.js';
import { seedDemo, type DemoSeed } from './seed.js';
import { crossingScans } from '../hardware-sim/fixtures/issue-samples.js';
import { SimPanel, type SampleCode } from '../hardware-sim/panel/panel.js';
import { hashPin } from '../station/screen/officers.js';
import { officerScreenForStation } from '../station/screen/for-station.js';
import type { OfficerScreen } from '../station/screen/screen.js';
import { ChildStation } from './child-station.js';

/** The scanners' presentation-mode debounce: the same code read again within it is dropped by design. */
const DEBOUNCE_MS = 800;

/** The demo's officer: signs in on the station screen with this id and PIN. */
export const DEMO_OFFICER = { id: 'CB-7901', name: 'Trung úy Nguyễn Văn An', pin: '2021' };

/** One lane's scanner as the demo drives it: a virtual scanner on a socat pty, or in-process without socat. */
export interface LaneScanner {
  id: string;
  lane: string;
  direction: 'entry' | 'exit';
  /** the device path the station opens, or `in-process` */
  path: string;
  scan(code: string): Promise<void>;
  virtual: VirtualScanner | null;
  stop(): Promise<void>;
}

export interface RigOptions {
  dataDir: string;
  port: number;
  host: string;
  /** officer screen and simulator panel ports (0: any free port); null: do not serve them */
  screenPort?: number | null;
  panelPort?: number | null;
  now?: number;
  vehicles?: number;
  walkIns?: number;
  syncIntervalMs?: number;
  /** start the neighbouring province's station process (default true; tests that do not need it save its memory) */
  neighbourStation?: boolean;
  log?: (msg: string) => void;
}

/**
 * The whole system on one machine: the central server on SQLite under dataDir, seeded; a station
 * for checkpoint A with an entry and an exit scanner on socat ptys (in-process when socat is absent);
 * the station's link to the server. Used by `npm run demo` and its `--smoke` run.
 */
export class DemoRig {
  app: FastifyInstance | null = null;
  seed!: DemoSeed;
  station!: Station;
  scanners: LaneScanner[] = [];
  usingPtys = false;
  private readonly lastScanAt = new Map<string, number>();
  screen: OfficerScreen | null = null;
  panel: SimPanel | null = null;
  screenUrl: string | null = null;
  panelUrl: string | null = null;
  serverPort = 0;
  /** the neighbouring province's checkpoint (8001 Long An) as its own station process; null without socat */
  neighbourStation: ChildStation | null = null;

  constructor(readonly opts: RigOptions) {}

  get serverUrl(): string {
    return `http://${this.opts.host === '0.0.0.0' ? '127.0.0.1' : this.opts.host}:${this.serverPort}`;
  }

  async startServer(): Promise<void> {
    const config = loadServerConfig({ ...process.env, DATA_DIR: join(this.opts.dataDir, 'server'), PORT: String(this.serverPort || this.opts.port), HOST: this.opts.host });
    const app = await buildApp(config, { logger: false });
    await app.listen({ port: config.port, host: config.host });
    this.serverPort = (app.server.address() as AddressInfo).port;
    this.app = app;
  }

  async stopServer(): Promise<void> {
    await this.app?.close();
    this.app = null;
  }

  async start(): Promise<void> {
    rmSync(this.opts.dataDir, { recursive: true, force: true });
    mkdirSync(this.opts.dataDir, { recursive: true });
    await this.startServer();
    this.seed = await seedDemo(this.app!, { now: this.opts.now ?? Date.now(), vehicles: this.opts.vehicles ?? 50, walkIns: this.opts.walkIns ?? 150 });

    this.usingPtys = await socatAvailable();
    if (!this.usingPtys) this.opts.log?.('socat not found: using in-process simulated scanners instead of ptys (apt-get install socat for real ptys)');
    const lanes = [
      { id: 'scanner-vao', lane: 'L1-vao', direction: 'entry' as const },
      { id: 'scanner-ra', lane: 'L2-ra', direction: 'exit' as const },
    ];
    const simulated: SimulatedScanner[] = [];
    const scannerConfigs = [];
    for (const l of lanes) {
      const base = { id: l.id, lane: l.lane, direction: l.direction, suffix: 'cr', debounceMs: DEBOUNCE_MS, feedback: {} };
      if (this.usingPtys) {
        const paths = simPaths(join(this.opts.dataDir, 'pty'), l.id);
        mkdirSync(join(this.opts.dataDir, 'pty'), { recursive: true });
        const virtual = await VirtualScanner.start({ ...paths, suffix: 'cr' });
        scannerConfigs.push({ ...base, path: paths.stationPath });
        this.scanners.push({ ...l, path: paths.stationPath, virtual, scan: (code) => virtual.scan(code), stop: () => virtual.stop() });
      } else {
        const sim = new SimulatedScanner(parseScannerConfig({ ...base, path: `in-process:${l.id}` }));
        simulated.push(sim);
        this.scanners.push({ ...l, path: 'in-process', virtual: null, scan: async (code) => sim.scan(code), stop: async () => {} });
      }
    }

    const config = parseStationConfig({
      stationId: this.seed.station.stationId,
      checkpointId: this.seed.station.checkpointId,
      province: 79,
      rootPublicKey: this.seed.rootPublicKey,
      dataDir: join(this.opts.dataDir, 'station'),
      scanners: scannerConfigs,
      server: { url: this.serverUrl, credential: this.seed.station.secret },
      ...(this.opts.screenPort === null ? {} : {
        officerScreen: {
          host: this.opts.host, port: this.opts.screenPort ?? 8081,
          officers: [{ id: DEMO_OFFICER.id, name: DEMO_OFFICER.name, pinHash: await hashPin(DEMO_OFFICER.pin) }],
        },
      }),
    });
    this.station = new Station(config, {
      scanners: simulated,
      link: { syncIntervalMs: this.opts.syncIntervalMs ?? 5000, uploadMaxDelayMs: 200, backoffMaxMs: 5000, heartbeatIntervalMs: 5000 },
    });
    await this.station.start();
    const n = this.seed.neighbourStation;
    if (n && this.usingPtys && this.opts.neighbourStation !== false) {
      // Started, not awaited: it syncs on its own while the rest comes up (the smoke waits for it).
      this.neighbourStation = new ChildStation({
        ...n, rootPublicKey: this.seed.rootPublicKey, serverUrl: this.serverUrl, credential: n.secret,
        dataDir: join(this.opts.dataDir, `station-${n.checkpointId}`), debounceMs: DEBOUNCE_MS, ...(this.opts.log ? { log: this.opts.log } : {}),
      });
      await this.neighbourStation.start();
    } else if (n && this.opts.neighbourStation !== false) {
      this.opts.log?.(`socat not found: the station of checkpoint ${n.checkpointId} (province ${n.province}) is not started`);
    }
    this.screen = officerScreenForStation(this.station);
    if (this.screen) this.screenUrl = await this.screen.start();
    const virtual = this.scanners.filter((x) => x.virtual !== null);
    if (this.opts.panelPort !== null && virtual.length > 0) {
      this.panel = new SimPanel({
        host: this.opts.host,
        port: this.opts.panelPort ?? 8090,
        scanners: virtual.map((x) => ({ id: x.id, scanner: x.virtual!, lane: x.lane, direction: x.direction })),
        samples: this.samples(),
      });
      this.panelUrl = await this.panel.start();
    }
  }

  /** Every seeded case as pickable codes for the simulator panel. */
  private samples(): SampleCode[] {
    const seen = new Set<string>();
    const out: SampleCode[] = [];
    for (const v of this.seed.vehicles) {
      if (seen.has(v.sample.case)) continue;
      seen.add(v.sample.case);
      crossingScans(v).forEach((code, i) => out.push({ label: `${v.sample.case} ${v.sample.plate} · ${i === 0 ? 'giấy phép' : `người ${i}`}`, code }));
    }
    for (const w of this.seed.walkIns) {
      if (seen.has(w.sample.case)) continue;
      seen.add(w.sample.case);
      out.push({ label: `${w.sample.case} · ${w.sample.person.name}`, code: w.code });
    }
    return out;
  }

  get link(): Link {
    return this.station.link!;
  }

  /** Resolves when every configured scanner is connected (the station opened its pty). */
  async scannersConnected(timeoutMs = 10_000): Promise<void> {
    const ready = () => this.station.scannerStates().every((s) => s.state === 'connected');
    if (ready()) return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('scanners did not connect')), timeoutMs);
      const on = () => {
        if (!ready()) return;
        clearTimeout(timer);
        this.station.off('scannerState', on);
        resolve();
      };
      this.station.on('scannerState', on);
    });
  }

  /** Scan a code on a lane's scanner and resolve with its durable verdict (or reject after timeoutMs). */
  async scanAndWait(code: string, direction: 'entry' | 'exit' = 'entry', timeoutMs = 5000): Promise<VerdictEvent> {
    const scanner = this.scanners.find((s) => s.direction === direction)!;
    // A code shown again to the same scanner within its debounce window is dropped (presentation mode),
    // so a deliberate re-scan waits the window out, as an officer would. No event marks its end.
    const key = `${scanner.id}\n${code}`;
    const since = Date.now() - (this.lastScanAt.get(key) ?? 0);
    if (since < DEBOUNCE_MS + 50) await new Promise((r) => setTimeout(r, DEBOUNCE_MS + 50 - since));
    this.lastScanAt.set(key, Date.now());
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.station.off('verdict', on);
        reject(new Error(`no verdict within ${timeoutMs} ms`));
      }, timeoutMs);
      const on = (v: VerdictEvent) => {
        if (v.scannerId !== scanner.id) return;
        clearTimeout(timer);
        this.station.off('verdict', on);
        resolve(v);
      };
      this.station.on('verdict', on);
      void scanner.scan(code);
    });
  }

  async stop(): Promise<void> {
    await this.neighbourStation?.stop();
    await this.panel?.stop();
    await this.screen?.stop();
    await this.station?.stop();
    for (const s of this.scanners) await s.stop();
    await this.stopServer();
  }
}
