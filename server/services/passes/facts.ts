import type { PassFacts } from '../../../shared/contracts/feed.js';
import type { PassCodeBody } from '../../../shared/codes/pass-code.js';
import type { PassRecord } from './repository.js';

/** The central facts stations cache about a pass (phones and other office-only fields stay here). */
export function passFacts(p: PassRecord): PassFacts {
  return {
    type: 'pass',
    passId: p.passId,
    version: p.version,
    status: p.status,
    statusReason: p.statusReason,
    plate: p.plate,
    company: p.company,
    goods: p.goods,
    crew: p.crew.map((c) => ({ citizenId: c.citizenId, name: c.name, role: c.role })),
    validFrom: p.validFrom,
    validTo: p.validTo,
    routeCheckpoints: p.routeCheckpoints,
    routeProvinces: p.routeProvinces,
    direction: p.direction,
    issuingProvince: p.issuingProvince,
    originZone: p.originZone,
  };
}

export const passItemJson = (p: PassRecord): string => JSON.stringify(passFacts(p));

/** What the printed code of this version carries. */
export function passCodeBody(p: Omit<PassRecord, 'code'>): PassCodeBody {
  return {
    passId: p.passId,
    version: p.version,
    plate: p.plate,
    crew: p.crew.map((c) => c.citizenId),
    goods: p.goods,
    validFrom: p.validFrom,
    validTo: p.validTo,
    routeCheckpoints: p.routeCheckpoints,
    routeProvinces: p.routeProvinces,
    issuingProvince: p.issuingProvince,
    direction: p.direction,
    originZone: p.originZone,
    issuedAt: p.issuedAt,
  };
}
