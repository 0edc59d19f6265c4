import type { PassCodeBody } from '../codes/pass-code.js';
import { samePass } from '../codes/pass-ref.js';
import type { CrewMember, PassFacts, PassStatusItem } from '../contracts/feed.js';
import { finding, type Finding } from './findings.js';
import type { Policy } from './policy.js';
import type { StationContext } from './context.js';

/** The pass as this decision sees it: central facts where the cache has them, else the code's own. */
export interface EffectivePass {
  passId: number;
  issuingProvince: number;
  version: number;
  plate: string;
  crew: CrewMember[] | { citizenId: string; name: null; role: 'driver' | 'assistant' }[];
  validFrom: number;
  validTo: number | null;
  routeCheckpoints: number[];
  routeProvinces: number[];
  direction: PassCodeBody['direction'];
  originZone: string;
  fromCache: boolean;
}

export function effectivePass(code: PassCodeBody, cached: PassFacts | null | undefined): EffectivePass {
  // Only facts about the same or a newer version of this pass may override the code.
  if (cached && samePass(cached, code) && cached.version >= code.version) {
    return { ...cached, fromCache: true };
  }
  return {
    ...code,
    crew: code.crew.map((citizenId, i) => ({ citizenId, name: null, role: i === 0 ? 'driver' : 'assistant' })),
    fromCache: false,
  };
}

export interface PassCheckInput {
  code: PassCodeBody;
  cached: PassFacts | null | undefined;
  /** the pass's line in the national list of passes not ACTIVE (a pass of any route), if any */
  listed?: PassStatusItem | null | undefined;
  context: StationContext;
  policy: Policy;
  /** this vehicle entered here and has not left */
  inside: boolean;
  now: number;
}

export function checkPass({ code, cached, listed, context, policy, inside, now }: PassCheckInput): { pass: EffectivePass; findings: Finding[] } {
  const pass = effectivePass(code, cached);
  const out: Finding[] = [];

  if ((!cached || !samePass(cached, code)) && listed && samePass(listed, code)) {
    // Not a pass that may cross here, but revoked or suspended centrally: say that, not only "unknown".
    out.push(finding(listed.status, policy));
  } else if (!cached || !samePass(cached, code)) {
    // A station holds only the passes whose route crosses it: one whose own signed route does not is
    // not held by design, and ROUTE_NOT_ALLOWED (below) says what is wrong, not "unknown pass".
    if (crossesHere(code, context)) {
      // A pass issued after our last sync may simply be new: let the officer look rather than refuse.
      const newerThanCache = context.cacheSyncedAt !== null && code.issuedAt > context.cacheSyncedAt;
      out.push(finding('NOT_IN_WHITELIST', policy, newerThanCache ? 'REVIEW' : undefined));
    }
  } else {
    if (cached.status === 'REVOKED') out.push(finding('REVOKED', policy));
    if (cached.status === 'SUSPENDED') out.push(finding('SUSPENDED', policy));
    if (code.version < cached.version) out.push(finding('PASS_SUPERSEDED', policy));
  }

  // Central validity wins over the printed dates ("extended until further notice").
  if (now < pass.validFrom) out.push(finding('NOT_YET_VALID', policy));
  if (pass.validTo !== null && now > pass.validTo) out.push(finding('EXPIRED', policy));

  if (!crossesHere(pass, context)) out.push(finding('ROUTE_NOT_ALLOWED', policy));
  if (pass.direction !== 'both' && pass.direction !== context.direction) out.push(finding('DIRECTION_NOT_ALLOWED', policy));

  if (context.direction === 'entry' && inside) out.push(finding('ALREADY_INSIDE', policy));
  if (context.direction === 'exit' && !inside) out.push(finding('NOT_INSIDE', policy));
  return { pass, findings: out };
}

function crossesHere(route: { routeCheckpoints: readonly number[]; routeProvinces: readonly number[] }, context: StationContext): boolean {
  return route.routeCheckpoints.includes(context.checkpointId) || route.routeProvinces.includes(context.province);
}
