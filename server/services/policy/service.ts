import { Type, type Static } from '@sinclair/typebox';
import { DEFAULT_POLICY, PolicySchema, type Policy } from '../../../shared/rules/policy.js';
import { signDocument, type SignedDocument } from '../../../shared/trust/signed-document.js';
import type { IssuerKey } from '../keys/key-store.js';
import { checkShape } from '../csv-import/shape.js';
import { softenedIntegrityReasons } from '../../../shared/rules/policy-floor.js';
import { ValidationError } from '../../domain-errors.js';
import { looserThanBaseline } from '../../../shared/rules/policy-layers.js';
import type { PolicyRepository } from './repository.js';

/** What an admin sends: the rules; the server assigns the version and the time. */
export const PolicyInputSchema = Type.Omit(PolicySchema, ['version', 'issuedAt'], { additionalProperties: false });
export type PolicyInput = Static<typeof PolicyInputSchema>;

export interface CurrentPolicy {
  version: number;
  /** whose policy: a province, or null for the deployment's own (what a province without its own follows) */
  province: number | null;
  policy: Policy;
  document: SignedDocument;
  publishedAt: number;
  publishedBy: string;
}

/** The versioned decision policy, each version signed with the policy key and sent to stations. */
export class PolicyService {
  constructor(
    private readonly repo: PolicyRepository,
    /** national mode: with a province, only a key the chain certifies as that province's policy key */
    private readonly policyKey: (province?: number) => IssuerKey,
    private readonly clock: () => number,
    /** national mode: the centre's baseline, which a province's policy may tighten but never loosen */
    private readonly baseline: () => Policy | null = () => null,
  ) {}

  /** First start: publish DEFAULT_POLICY as version 1. */
  async start(): Promise<void> {
    if (!(await this.repo.latest())) {
      const { version: _v, issuedAt: _i, ...rules } = DEFAULT_POLICY;
      await this.publish({ username: 'system' }, rules, { onlyIfNone: true });
    }
  }

  /** `province`'s policy (its own, else the deployment's); without one, the latest published anywhere. */
  async current(province?: number): Promise<CurrentPolicy> {
    const row = await this.repo.latest(province);
    if (!row) throw new Error('no policy published (PolicyService.start not called)');
    return { ...row, policy: JSON.parse(row.document.body) as Policy };
  }

  async history(limit = 50, province?: number): Promise<CurrentPolicy[]> {
    return (await this.repo.list(limit, province)).map((row) => ({ ...row, policy: JSON.parse(row.document.body) as Policy }));
  }

  /**
   * A new version of the actor's province's policy (`actor.province`; without one, the deployment's own).
   * Who may publish for which province is the route's check (server/routes/policy.ts).
   */
  async publish(actor: { username: string; province?: number }, input: PolicyInput, opts: { onlyIfNone?: boolean } = {}): Promise<CurrentPolicy> {
    checkShape(PolicyInputSchema, input, 'policy');
    const softened = softenedIntegrityReasons(input);
    if (softened.length > 0) {
      const list = softened.map((c) => `${c}: ${input.severity![c]}`).join(', ');
      throw new ValidationError(
        `severity: integrity reasons can never be softer than DENY (${list})`,
        `Mức xử lý: các lý do về tính toàn vẹn của mã không được đặt nhẹ hơn TỪ CHỐI (DENY) (${list})`,
        { field: 'severity', reasons: softened },
      );
    }
    const baseline = this.baseline();
    const looser = baseline ? looserThanBaseline(baseline, input) : [];
    if (looser.length > 0) {
      throw new ValidationError(
        `${looser[0]!.field}: a province may be stricter than the national baseline, never looser (${looser.map((l) => l.en).join('; ')})`,
        `${looser[0]!.vi}. Tỉnh chỉ được quy định chặt hơn Trung ương, không được lỏng hơn${looser.length > 1 ? ` (và ${looser.length - 1} mục khác)` : ''}`,
        { field: looser[0]!.field, fields: looser.map((l) => l.field) },
      );
    }
    const key = this.policyKey(actor.province);
    return this.repo.transaction(async () => {
      // Holding the policies: the version read here is still the highest when this one is stored.
      const max = await this.repo.maxVersion();
      // Several instances starting on an empty database: the first publishes the default, the others find it.
      if (opts.onlyIfNone && max > 0) return this.current(actor.province);
      const now = this.clock();
      const policy: Policy = { ...input, version: max + 1, issuedAt: now };
      checkShape(PolicySchema, policy, 'policy');
      const row = { version: policy.version, province: actor.province ?? null, document: signDocument(policy, key.key), publishedAt: now, publishedBy: actor.username };
      await this.repo.insert(row);
      return { ...row, policy };
    });
  }
}
