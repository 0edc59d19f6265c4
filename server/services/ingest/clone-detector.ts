import { passRef } from '../../../shared/codes/pass-ref.js';
import type { JournalRecord } from '../../../shared/contracts/journal.js';
import type { IngestRepository, NewAlert, PassCrossing } from './repository.js';

/**
 * A pass ALLOWed on entry at two different checkpoints with no ALLOWed exit between is a cloned code
 * (or a shared screenshot). Stations see only their own lanes; only the server sees both entries.
 * Records arrive out of order across stations, so a new entry is compared with the pass's crossing
 * just before it and just after it in station time.
 */
export function detectClones(
  repo: IngestRepository,
  fresh: readonly { record: JournalRecord; checkpointId: number }[],
  now: number,
): NewAlert[] {
  const alerts: NewAlert[] = [];
  const seen = new Set<string>();
  for (const { record: r, checkpointId } of fresh) {
    if (r.kind !== 'crossing' || r.verdict !== 'ALLOW' || r.direction !== 'entry' || r.passId === null || r.passProvince === null) continue;
    const pass = { passId: r.passId, issuingProvince: r.passProvince };
    const ref = passRef(r.passProvince, r.passId);
    const self: PassCrossing = { stationId: r.stationId, seq: r.seq, checkpointId, direction: 'entry', at: r.at };
    for (const other of [repo.passCrossingBefore(pass, r.at), repo.passCrossingAfter(pass, r.at)]) {
      if (!other || other.direction !== 'entry' || other.checkpointId === checkpointId) continue;
      const [first, second] = other.at < r.at ? [other, self] : [self, other];
      const key = `${first.stationId}#${first.seq}|${second.stationId}#${second.seq}`;
      if (seen.has(key)) continue;
      seen.add(key);
      alerts.push({
        stationId: second.stationId,
        kind: 'CLONE',
        seq: second.seq,
        passId: r.passId,
        passProvince: r.passProvince,
        message: `pass ${ref} entered at checkpoint ${first.checkpointId} and again at checkpoint ${second.checkpointId} without leaving`,
        details: { first, second },
        createdAt: now,
      });
    }
  }
  return alerts;
}
