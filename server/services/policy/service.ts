import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_POLICY, PolicySchema, type Policy } from '../../../shared/rules/policy.js';
import { signDocument, type SignedDocument } from '../../../shared/trust/signed-document.js';
import type { IssuerKey } from '../keys/key-store.js';
import { checkShape } from '../csv-import/shape.js';
import type { PolicyRepository } from './repository.js';

/** What an admin sends: the rules; the server assigns the version and the time. */
export const PolicyInputSchema = Type.Omit(PolicySchema, ['version', 'issuedAt'], { additionalProperties: false });
export type PolicyInput = Static<typeof PolicyInputSchema>;

export interface CurrentPolicy {
  version: number;
  policy: Policy;
  document: SignedDocument;
  publishedAt: number;
  publishedBy: string;
}

/** The versioned decision policy, each version signed with the policy key and sent to stations. */
export class PolicyService {
  constructor(private readonly repo: PolicyRepository, private readonly policyKey: () => IssuerKey, private readonly clock: () => number) {}

  /** First start: publish DEFAULT_POLICY as version 1. */
  start(): void {
    if (!this.repo.latest()) {
      const { version: _v, issuedAt: _i, ...rules } = DEFAULT_POLICY;
      this.publish({ username: 'system' }, rules);
    }
  }

  current(): CurrentPolicy {
    const row = this.repo.latest();
    if (!row) throw new Error('no policy published (PolicyService.start not called)');
    return { ...row, policy: JSON.parse(row.document.body) as Policy };
  }

  history(limit = 50): CurrentPolicy[] {
    return this.repo.list(limit).map((row) => ({ ...row, policy: JSON.parse(row.document.body) as Policy }));
  }

  publish(actor: { username: string }, input: PolicyInput): CurrentPolicy {
    checkShape(PolicyInputSchema, input, 'policy');
    const key = this.policyKey();
    return this.repo.transaction(() => {
      const now = this.clock();
      const policy: Policy = { ...input, version: (this.repo.latest()?.version ?? 0) + 1, issuedAt: now };
      checkShape(PolicySchema, policy, 'policy');
      const row = { version: policy.version, document: signDocument(policy, key.key), publishedAt: now, publishedBy: actor.username };
      this.repo.insert(row);
      return { ...row, policy };
    });
  }
}
