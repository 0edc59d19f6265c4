import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../server/app.js';
import { loadServerConfig } from '../../server/config.js';
import { seedDemo, type DemoSeed } from '../../demo/seed.js';
import { parseStationConfig } from '../../station/config.js';
import type { VerdictEvent } from '../../station/engine/engine.js';
import { parseScannerConfig } from '../../station/scanner/config.js';
import { SimulatedScanner } from '../../station/scanner/simulated-scanner.js';
import { Station, type StationOptions } from '../../station/station.js';
import type { Link, LinkOptions } from '../../station/sync/link.js';

/** A central server on a temp data dir and a real port, that can be stopped and started again on both. */
export class Central {
  app: FastifyInstance | null = null;
  port = 0;
  /** `env`: more server configuration, e.g. NATIONAL_ROOT_PUBLIC_KEY */
  constructor(readonly dataDir: string, private readonly env: Record<string, string> = {}) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<FastifyInstance> {
    const app = await buildApp(loadServerConfig({ DATA_DIR: this.dataDir, ...this.env } as NodeJS.ProcessEnv), { logger: false });
    await app.listen({ port: this.port, host: '127.0.0.1' });
    this.port = (app.server.address() as AddressInfo).port;
    this.app = app;
    return app;
  }

  async stop(): Promise<void> {
    await this.app?.close();
    this.app = null;
  }

  /** (seq, hash) of every record this station uploaded, as the server stores them */
  stored(stationId: string): { seq: number; hash: string }[] {
    return this.app!.database.sqlite.prepare('SELECT seq, hash FROM journal WHERE station_id = ? ORDER BY seq').all(stationId) as { seq: number; hash: string }[];
  }
}

/** A station in-process with simulated scanners (entry and exit lanes) and its network link. */
export class TestStation {
  readonly entry: SimulatedScanner;
  readonly exit: SimulatedScanner;
  station!: Station;
  private readonly config: ReturnType<typeof parseStationConfig>;

  /** `as`: another station than the seed's (another province's, say, installed with the national root) */
  constructor(readonly dataDir: string, readonly seed: DemoSeed, as: { stationId?: string; checkpointId?: number; province?: number; rootPublicKey?: string } = {}) {
    const scanner = (id: string, lane: string, direction: 'entry' | 'exit') =>
      new SimulatedScanner(parseScannerConfig({ id, path: `sim:${id}`, lane, direction, debounceMs: 0, suffix: 'cr' }));
    this.entry = scanner('entry-1', 'L1-vao', 'entry');
    this.exit = scanner('exit-1', 'L2-ra', 'exit');
    const config = parseStationConfig({
      stationId: as.stationId ?? seed.station.stationId,
      checkpointId: as.checkpointId ?? seed.station.checkpointId,
      province: as.province ?? 79,
      rootPublicKey: as.rootPublicKey ?? seed.rootPublicKey,
      dataDir,
      scanners: [],
    });
    this.config = config;
  }

  get link(): Link | null {
    return this.station.link;
  }

  async start(server: LinkOptions['server'], opts: NonNullable<StationOptions['link']> = {}): Promise<void> {
    this.station = new Station(this.config, {
      scanners: [this.entry, this.exit],
      link: { server, syncIntervalMs: 200, uploadMaxDelayMs: 20, backoffMaxMs: 200, heartbeatIntervalMs: 1000, ...opts },
    });
    await this.station.start();
  }

  async stop(): Promise<void> {
    await this.station?.stop();
  }

  /** Scan a code on a lane and resolve with its durable verdict. */
  scan(code: string, lane: 'entry' | 'exit' = 'entry'): Promise<VerdictEvent> {
    const scanner = lane === 'entry' ? this.entry : this.exit;
    return new Promise((resolve) => {
      const on = (v: VerdictEvent) => {
        if (v.scannerId !== scanner.scannerId) return;
        this.station.off('verdict', on);
        resolve(v);
      };
      this.station.on('verdict', on);
      scanner.scan(code);
    });
  }

  /** (seq, hash) of every journal record, from the station's own store */
  journal(): { seq: number; hash: string }[] {
    const out: { seq: number; hash: string }[] = [];
    for (let seq = 0; ; ) {
      const page = this.station.store.journalSince(seq, 1000);
      if (page.length === 0) return out;
      out.push(...page.map((r) => ({ seq: r.seq, hash: r.hash })));
      seq = page.at(-1)!.seq;
    }
  }
}

export interface World {
  dir: string;
  central: Central;
  seed: DemoSeed;
  cleanup(): void;
}

/** A seeded central server: a few vehicles of each case and a few walk-ins. */
export async function world(opts: { vehicles?: number; walkIns?: number; env?: Record<string, string>; beforeSeed?: (app: FastifyInstance) => void | Promise<void> } = {}): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'cc-system-'));
  const central = new Central(join(dir, 'server'), opts.env);
  const app = await central.start();
  // National mode signs only with certified keys: a test makes and certifies them before the seed issues.
  await opts.beforeSeed?.(app);
  const seed = await seedDemo(app, { now: Date.now(), vehicles: opts.vehicles ?? 11, walkIns: opts.walkIns ?? 5 });
  return { dir, central, seed, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
