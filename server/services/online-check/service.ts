import { randomUUID } from 'node:crypto';
import fp from 'fastify-plugin';
import { readCode } from '../../../shared/codes/read-code.js';
import { decide, type Subject } from '../../../shared/rules/decide.js';
import { presenceChange, type Crossing } from '../../../shared/rules/crossing.js';
import type { Policy } from '../../../shared/rules/policy.js';
import type { ReasonCode, Verdict } from '../../../shared/rules/reasons.js';
import { TrustList } from '../../../shared/trust/trust-list.js';
import type { AuthStation } from '../../auth/access.js';
import { ForbiddenError } from '../../domain-errors.js';
import { SqlOnlineFactsRepository, type OnlineFactsRepository } from './repository.js';

export interface OnlineCheckRequest {
  code: string;
  checkpointId: number;
  lane: string;
  direction: 'entry' | 'exit';
}

export interface OnlineVerdict {
  verdict: Verdict;
  reasons: ReasonCode[];
  subject: Subject;
  crossingId: string | null;
  policyVersion: number;
  decidedAt: number;
}

export interface OnlineCheckDeps {
  facts: OnlineFactsRepository;
  /** the current signed trust list and the root key that opens it */
  trust: () => { version: number; open: () => TrustList };
  /** the policy of a station's province (its own, else the deployment's) */
  policy: (province: number) => Promise<{ version: number; policy: Policy }>;
  clock: () => number;
}

/**
 * The 2021 way, kept only to be measured against: a scanner's text is sent to the central server,
 * which decides with its own data (the same `readCode` + `decide` the station runs) and answers.
 * Lane crossings and who is inside are held here in memory, per station, as a central checker would.
 */
export class OnlineCheckService {
  private readonly open = new Map<string, Crossing>();
  private readonly inside = new Set<string>();
  private trustCache: { version: number; list: TrustList } | null = null;

  constructor(private readonly deps: OnlineCheckDeps) {}

  async check(station: AuthStation, req: OnlineCheckRequest): Promise<OnlineVerdict> {
    if (req.checkpointId !== station.checkpointId) {
      throw new ForbiddenError(`station ${station.stationId} serves checkpoint ${station.checkpointId}, not ${req.checkpointId}`,
        `Trạm ${station.stationId} thuộc chốt ${station.checkpointId}, không phải chốt ${req.checkpointId}`);
    }
    const lane = station.lanes.find((l) => l.id === req.lane);
    if (!lane || lane.direction !== req.direction) {
      throw new ForbiddenError(`lane ${req.lane} (${req.direction}) is not a lane of station ${station.stationId}`,
        `Làn ${req.lane} (${req.direction}) không thuộc trạm ${station.stationId}`);
    }
    const now = this.deps.clock();
    const { version: policyVersion, policy } = await this.deps.policy(station.province);
    const code = readCode(req.code, this.trustList(), now);
    const key = `${station.stationId}/${req.lane}`;
    const facts = this.deps.facts;
    const [pass, person, zones] = await Promise.all([
      code.ok && code.kind === 'pass' ? facts.pass(code.pass) : null,
      code.ok && code.kind === 'health' ? facts.person(code.health.citizenId) : null,
      facts.zoneLevels(),
    ]);
    // The lane's crossing is read after the reads above, with nothing awaited from here to its update
    // below, so two checks on one lane at once never decide from the same open crossing.
    let crossing = this.open.get(key) ?? null;
    let openPass = crossing?.state === 'open' && crossing.pass ? await facts.pass(crossing.pass) : null;
    while ((this.open.get(key) ?? null) !== crossing) {
      crossing = this.open.get(key) ?? null;
      openPass = crossing?.state === 'open' && crossing.pass ? await facts.pass(crossing.pass) : null;
    }
    const decision = decide({
      code,
      facts: {
        ...(code.ok && code.kind === 'pass' ? { pass } : {}),
        ...(code.ok && code.kind === 'health' ? { person, pass: openPass } : {}),
        zoneLevels: (zone) => zones.get(zone) ?? null,
        isInside: (k) => this.inside.has(`${station.stationId}/${k}`),
      },
      policy,
      context: { checkpointId: station.checkpointId, province: station.province, lane: req.lane, direction: req.direction, cacheSyncedAt: now },
      crossing,
      newCrossingId: randomUUID(),
      now,
    });
    for (const c of [decision.closed, decision.crossing]) {
      const change = c && c.state === 'closed' ? presenceChange(c) : null;
      if (change) {
        if (change.inside) this.inside.add(`${station.stationId}/${change.key}`);
        else this.inside.delete(`${station.stationId}/${change.key}`);
      }
    }
    if (decision.crossing?.state === 'open') this.open.set(key, decision.crossing);
    else this.open.delete(key);
    return { verdict: decision.verdict, reasons: decision.reasons, subject: decision.subject, crossingId: decision.crossing?.id ?? null, policyVersion, decidedAt: now };
  }

  /** Opening the trust list checks its signature: do it once per published version. */
  private trustList(): TrustList {
    const t = this.deps.trust();
    if (this.trustCache?.version !== t.version) this.trustCache = { version: t.version, list: t.open() };
    return this.trustCache.list;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly onlineCheck: OnlineCheckService;
  }
}

export default fp(
  async (app) => {
    // parsed once per province and version
    const policyCache = new Map<number, { version: number; policy: Policy }>();
    app.decorate('onlineCheck', new OnlineCheckService({
      facts: new SqlOnlineFactsRepository(app.database.client),
      trust: () => {
        const current = app.trust.current();
        return { version: current.version, open: () => app.trust.trustList() };
      },
      policy: async (province) => {
        const current = await app.policy.current(province);
        const cached = policyCache.get(province);
        if (cached?.version === current.version) return cached;
        const fresh = { version: current.version, policy: current.policy };
        policyCache.set(province, fresh);
        return fresh;
      },
      clock: app.clock,
    }));
  },
  { name: 'online-check', fastify: '5.x', dependencies: ['database', 'trust', 'policy'] },
);
