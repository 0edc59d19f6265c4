import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestAuthority } from '../../hardware-sim/fixtures/authority.js';
import type { FeedItem } from '../../shared/contracts/feed.js';

/** A station config object for tests: checkpoint 1 of province 79, the given scanners. */
export function stationConfigInput(authority: TestAuthority, dataDir: string, scanners: unknown[] = []): Record<string, unknown> {
  return {
    stationId: 'st-79-001',
    checkpointId: 1,
    province: authority.province,
    rootPublicKey: authority.keys.root.publicKeyB64,
    dataDir,
    scanners,
  };
}

/** Write a config file and a seed file into `dir`; returns their paths. */
export function writeStationFiles(dir: string, authority: TestAuthority, scanners: unknown[], items: FeedItem[], syncedAt: number): { config: string; seed: string } {
  const config = join(dir, 'station.json');
  const seed = join(dir, 'seed.json');
  writeFileSync(config, JSON.stringify(stationConfigInput(authority, 'data', scanners), null, 2));
  writeFileSync(seed, JSON.stringify({
    rootPublicKey: authority.keys.root.publicKeyB64,
    trustDocument: authority.trustDocument,
    policyDocument: authority.policyDocument,
    items,
    syncedAt,
  }));
  return { config, seed };
}
