import { passRef } from '../../../shared/codes/pass-ref.js';
import type { JournalRecord } from '../../../shared/contracts/journal.js';
import type { PassIdentity } from '../../../shared/codes/pass-ref.js';
import type { CloneWithdrawal, IngestRepository, NewAlert, PassCrossing } from './repository.js';

/**
 * A pass is inside a province from an ALLOWed entry at one of its checkpoints until an ALLOWed exit
 * in that province, or until the pass's next entry anywhere (which either ends that stay unrecorded
 * or is the clone, and is judged here once). The same pass inside at two checkpoints at once (of one
 * province or of two: a photocopied sheet, a shared screenshot) is a clone. Stations see only their
 * own lanes; only the server sees every journal, so clones are found here, keyed by pass ref
 * (issuing province and id) across all provinces. Records arrive out of order across stations, so a
 * new entry is compared with the pass's entry just before it and just after it in station time.
 */
export async function detectClones(
  repo: IngestRepository,
  fresh: readonly { record: JournalRecord; checkpointId: number; province: number }[],
  now: number,
): Promise<NewAlert[]> {
  const entries = fresh.flatMap(({ record: r, checkpointId, province }) =>
    r.kind !== 'crossing' || r.verdict !== 'ALLOW' || r.direction !== 'entry' || r.passId === null || r.passProvince === null ? []
      : [{ pass: { passId: r.passId, issuingProvince: r.passProvince }, at: r.at, self: { stationId: r.stationId, seq: r.seq, checkpointId, province, direction: 'entry' as const, at: r.at } }]);
  if (entries.length === 0) return [];
  // every entry's neighbours in one call, then every pair's exit check in one call (a batch, not a record, at a time)
  const around = await repo.passEntriesAround(entries);
  const pairs: { pass: PassIdentity; first: PassCrossing; second: PassCrossing }[] = [];
  entries.forEach(({ pass, self }, i) => {
    for (const other of [around[i]!.before, around[i]!.after]) {
      if (!other || (other.checkpointId === self.checkpointId && other.province === self.province)) continue;
      const [first, second] = other.at < self.at ? [other, self] : [self, other];
      pairs.push({ pass, first, second });
    }
  });
  // the first stay ended with an exit from its province before the second entry: a journey, not a clone
  const exited = await repo.passExitsBetween(pairs.map((p) => ({ pass: p.pass, province: p.first.province, from: p.first.at, to: p.second.at })));
  const alerts: NewAlert[] = [];
  const seen = new Set<string>();
  pairs.forEach(({ pass, first, second }, i) => {
    if (exited[i]) return;
    const key = `${first.stationId}#${first.seq}|${second.stationId}#${second.seq}`;
    if (seen.has(key)) return;
    seen.add(key);
    alerts.push(...cloneAlerts(pass.issuingProvince, pass.passId, first, second, now));
  });
  return alerts;
}

/**
 * The passes whose clones the group judges (its ALLOWed entries and exits naming a pass), each once:
 * their locks are held from before the judging to the commit (IngestRepository.lockPasses).
 */
export function passesJudged(fresh: readonly { record: JournalRecord }[]): PassIdentity[] {
  const out = new Map<string, PassIdentity>();
  for (const { record: r } of fresh) {
    if (r.kind !== 'crossing' || r.verdict !== 'ALLOW' || r.passId === null || r.passProvince === null) continue;
    out.set(`${r.passProvince}-${r.passId}`, { passId: r.passId, issuingProvince: r.passProvince });
  }
  return [...out.values()];
}

/**
 * One alert for each province involved, attached to that province's station, so each command center
 * sees (and acknowledges) the clone among its own alerts; the details name both ends.
 */
function cloneAlerts(passProvince: number, passId: number, first: PassCrossing, second: PassCrossing, now: number): NewAlert[] {
  const ref = passRef(passProvince, passId);
  const national = first.province !== second.province;
  const where = (c: PassCrossing) => (national ? `checkpoint ${c.checkpointId} (province ${c.province})` : `checkpoint ${c.checkpointId}`);
  const message = `pass ${ref} entered at ${where(first)} and again at ${where(second)} without leaving`;
  const details = { passRef: ref, national, provinces: [...new Set([first.province, second.province])], first, second };
  const alert = (at: PassCrossing): NewAlert => ({ stationId: at.stationId, kind: 'CLONE', seq: at.seq, passId, passProvince, message, details, createdAt: now });
  return national ? [alert(second), alert(first)] : [alert(second)];
}

/**
 * Stations upload on their own schedules, so the exit that ends a stay may arrive after the next
 * entry was judged a clone (a vehicle leaving Long An at its checkpoint and entering Hồ Chí Minh City
 * seconds later, the Long An station offline for an hour). Such an exit closes the alerts it explains.
 */
export async function withdrawExplainedClones(
  repo: IngestRepository,
  fresh: readonly { record: JournalRecord; province: number }[],
  now: number,
): Promise<number> {
  const exits = fresh.flatMap(({ record: r, province }) =>
    r.kind !== 'crossing' || r.verdict !== 'ALLOW' || r.direction !== 'exit' || r.passId === null || r.passProvince === null ? []
      : [{ pass: { passId: r.passId, issuingProvince: r.passProvince }, at: r.at, province }]);
  if (exits.length === 0) return 0;
  // only an exit that sits between an entry of its own province and a later entry elsewhere can
  // explain an alert raised before it arrived: two indexed journal reads decide, most exits stop here
  const around = await repo.passEntriesAround(exits);
  const withdrawals: CloneWithdrawal[] = [];
  exits.forEach(({ pass, at, province }, i) => {
    const { before, after } = around[i]!;
    if (!before || before.province !== province) return;
    if (!after || (after.province === before.province && after.checkpointId === before.checkpointId)) return;
    withdrawals.push({ pass, stationIds: [before.stationId, after.stationId], province, at, now });
  });
  return repo.withdrawClones(withdrawals);
}
