import { createTestAuthority, type TestAuthority } from '../../hardware-sim/fixtures/authority.js';
import type { PassFacts, PersonFacts } from '../../shared/contracts/feed.js';
import { readCode, type ReadCode } from '../../shared/codes/read-code.js';
import type { StationContext } from '../../shared/rules/context.js';
import { presenceChange, type Crossing } from '../../shared/rules/crossing.js';
import { decide, type Decision } from '../../shared/rules/decide.js';
import type { Policy } from '../../shared/rules/policy.js';

export const NOW = Date.UTC(2021, 8, 15, 8, 0, 0);
export const HOUR = 3_600_000;

/**
 * A minimal station in memory around the pure decision: the lane's open crossing, who is inside, and
 * the cached facts, so tests read like scans at a lane.
 */
export class Lane {
  readonly auth: TestAuthority;
  passes = new Map<number, PassFacts>();
  people = new Map<string, PersonFacts>();
  zones = new Map<string, 1 | 2 | 3 | 4>();
  inside = new Set<string>();
  crossing: Crossing | null = null;
  closedCrossings: Crossing[] = [];
  policy: Policy;
  now = NOW;
  context: StationContext = { checkpointId: 7901, province: 79, lane: 'L1', direction: 'entry', cacheSyncedAt: NOW - HOUR };
  private ids = 0;

  constructor(auth = createTestAuthority({ now: NOW, checkpointIds: [7901, 7902, 7903] })) {
    this.auth = auth;
    this.policy = { ...auth.policy };
  }

  cache(facts: PassFacts | PersonFacts): this {
    if (facts.type === 'pass') this.passes.set(facts.passId, facts);
    else this.people.set(facts.citizenId, facts);
    return this;
  }

  /** A line the scanner layer could not turn into a payload. */
  scanUnreadable(reason: 'UNREADABLE' | 'SYMBOLOGY_NOT_ALLOWED'): Decision {
    return this.decideCode({ ok: false, reason, detail: 'from the scanner' });
  }

  scan(text: string): Decision {
    return this.decideCode(readCode(text, this.auth.trust, this.now));
  }

  private decideCode(code: ReadCode): Decision {
    const passId = code.ok && code.kind === 'pass' ? code.pass.passId : this.crossing?.pass?.passId;
    const person = code.ok && code.kind === 'health' ? code.health.citizenId : null;
    const d = decide({
      code,
      facts: {
        pass: passId === undefined ? null : this.passes.get(passId) ?? null,
        person: person ? this.people.get(person) ?? null : null,
        zoneLevels: (z) => this.zones.get(z) ?? null,
        isInside: (key) => this.inside.has(key),
      },
      policy: this.policy,
      context: this.context,
      crossing: this.crossing,
      newCrossingId: `c${++this.ids}`,
      now: this.now,
    });
    if (d.closed) this.settle(d.closed);
    this.crossing = d.crossing;
    if (d.crossing?.state === 'closed') this.settle(d.crossing);
    return d;
  }

  private settle(c: Crossing): void {
    if (this.closedCrossings.some((x) => x.id === c.id)) return;
    this.closedCrossings.push(c);
    const change = presenceChange(c);
    if (change?.inside) this.inside.add(change.key);
    else if (change) this.inside.delete(change.key);
  }
}
