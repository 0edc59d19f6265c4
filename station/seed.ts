import { readFileSync } from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { FeedItem } from '../shared/contracts/feed.js';
import { PolicySchema } from '../shared/rules/policy.js';
import { openDocument, SignedDocumentSchema } from '../shared/trust/signed-document.js';
import { TrustList } from '../shared/trust/trust-list.js';
import type { StationConfig } from './config.js';
import type { StationStore } from './store/store.js';

/**
 * A seed file fills a station's cache without a server (tests, the simulator, a first install):
 * the signed trust list and policy, and feed items (passes, health flags or people (kept as flags), zones). `npm run sim` makes one.
 */
export const SeedFileSchema = Type.Object(
  {
    rootPublicKey: Type.String({ minLength: 43, maxLength: 43 }),
    trustDocument: SignedDocumentSchema,
    policyDocument: SignedDocumentSchema,
    /** FeedItem[]; each is validated by the store */
    items: Type.Array(Type.Unknown()),
    cursor: Type.Optional(Type.Integer({ minimum: 0 })),
    syncedAt: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: true },
);
export type SeedFile = Static<typeof SeedFileSchema>;

export class SeedError extends Error {
  readonly code = 'INVALID_SEED';
  constructor(message: string) {
    super(message);
    this.name = 'SeedError';
  }
}

export function readSeedFile(file: string): SeedFile {
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new SeedError(`cannot read seed file ${file}: ${(err as Error).message}`);
  }
  if (!Value.Check(SeedFileSchema, input)) {
    const first = Value.Errors(SeedFileSchema, input).First();
    throw new SeedError(`seed file ${file}: ${first?.path || '/'}: ${first?.message ?? 'invalid'}`);
  }
  return input;
}

/**
 * Replace the station's cache with the seed's content, in one transaction. The seed must be for this
 * station's root key, and its documents must verify before anything is written.
 */
export function applySeed(store: StationStore, config: Pick<StationConfig, 'rootPublicKey' | 'rootKey'>, seed: SeedFile, now = Date.now()): { applied: number } {
  if (seed.rootPublicKey !== config.rootPublicKey) {
    throw new SeedError('the seed was made for another root key than the station config\'s rootPublicKey');
  }
  let trust: TrustList;
  try {
    trust = TrustList.open(seed.trustDocument, config.rootKey);
    trust.openSigned(seed.policyDocument, 'policy', now, (key) => openDocument(seed.policyDocument, key, PolicySchema));
  } catch (err) {
    throw new SeedError(`the seed's trust list or policy does not verify: ${(err as Error).message}`);
  }
  const items = [
    { type: 'trustList', document: seed.trustDocument },
    { type: 'policy', document: seed.policyDocument },
    ...(seed.items as FeedItem[]),
  ] as FeedItem[];
  return store.applyFeedItems(items, { cursor: seed.cursor ?? 0, syncedAt: seed.syncedAt ?? now, replaceAll: true });
}
