import type { HealthFlag, PassFacts, PassStatusItem, PersonFacts } from '../../../shared/contracts/feed.js';
import { passRef } from '../../../shared/codes/pass-ref.js';

/**
 * What a station receives of the country's data (issue 12): the passes that may cross it (their route
 * names its checkpoint or its province, whatever province issued them), the national list of passes
 * not ACTIVE and the national list of health flags. Not the population: a person the flag list does
 * not name is decided from their own signed code, so the station's store grows with the passes that
 * may cross it and the flags, never with the number of people.
 */
export interface FeedScope {
  checkpointId: number;
  province: number;
}

export interface RouteStops {
  routeCheckpoints: readonly number[];
  routeProvinces: readonly number[];
}

export function crosses(route: RouteStops, scope: FeedScope): boolean {
  return route.routeCheckpoints.includes(scope.checkpointId) || route.routeProvinces.includes(scope.province);
}

/** A pass's line of the national status list, or null when ACTIVE. */
export function passStatusOf(p: PassFacts, since: number): PassStatusItem | null {
  if (p.status === 'ACTIVE') return null;
  return { type: 'passStatus', issuingProvince: p.issuingProvince, passId: p.passId, status: p.status, since };
}

/** A person's line of the national flag list: F0/F1, or a positive latest test; null for everyone else. */
export function flagOf(p: Pick<PersonFacts, 'citizenId' | 'status' | 'statusAsOf' | 'test'>): HealthFlag | null {
  const test = p.test?.result === 'POSITIVE' ? { type: p.test.type, result: p.test.result, sampledAt: p.test.sampledAt } : null;
  if (p.status === 'NONE' && test === null) return null;
  return { type: 'flag', citizenId: p.citizenId, status: p.status, statusAsOf: p.statusAsOf, test };
}

/**
 * A stored pass change as one station should see it: the whole pass when it may cross there, its line
 * of the status list when it is revoked or suspended elsewhere, nothing otherwise. (A pass leaving a
 * route or coming back to ACTIVE is preceded in the change log by a delete every station receives.)
 */
export function passItemFor(scope: FeedScope, itemJson: string, at: number): string | null {
  const item = JSON.parse(itemJson) as PassFacts | { type: 'delete' };
  if (item.type !== 'pass') return itemJson;
  if (crosses(item, scope)) return itemJson;
  const line = passStatusOf(item, at);
  return line ? JSON.stringify(line) : null;
}

/** The delete that makes every station forget a pass (and its status line) before its new state follows. */
export function passForgetItem(p: Pick<PassFacts, 'issuingProvince' | 'passId'>): string {
  return JSON.stringify({ type: 'delete', entity: 'pass', key: passRef(p.issuingProvince, p.passId) });
}

/**
 * Whether a change from `before` to `after` needs that delete: a station the route no longer crosses
 * must drop the pass, and one holding its revoked or suspended line must drop that when it is ACTIVE again.
 */
export function passNeedsForget(before: RouteStops & { status: string }, after: PassFacts): boolean {
  if (before.status !== 'ACTIVE' && after.status === 'ACTIVE') return true;
  const left = (xs: readonly number[], ys: readonly number[]) => xs.some((x) => !ys.includes(x));
  return left(before.routeCheckpoints, after.routeCheckpoints) || left(before.routeProvinces, after.routeProvinces);
}

/**
 * A policy change as one station should see it: its own province's policy (key: the province code) or
 * the deployment's own (key 'current', from the first start or a province's server); never another
 * province's. (A deployment-wide version follows a province's own only on a server that had none.)
 */
export function policyItemFor(scope: FeedScope, key: string, itemJson: string): string | null {
  return key === 'current' || key === String(scope.province) ? itemJson : null;
}
