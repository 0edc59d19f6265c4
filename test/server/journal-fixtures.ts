import type { JournalRecord } from '../../shared/contracts/journal.js';
import { GENESIS_HASH, sealRecord } from '../../shared/journal/hash-chain.js';

export type RecordPatch = Partial<Omit<JournalRecord, 'stationId' | 'seq' | 'prevHash' | 'hash'>>;

/** A valid hash-chained run of journal records for one station, seq 1..n; `patch(seq)` varies fields. */
export function journalChain(stationId: string, n: number, patch: (seq: number) => RecordPatch = () => ({}), start = Date.UTC(2021, 8, 1, 8)): JournalRecord[] {
  const out: JournalRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const r = sealRecord({
      stationId, seq, prevHash, at: start + seq * 1000, kind: 'scan', lane: 'L1', direction: 'entry',
      scannerId: 'sc1', crossingId: `c-${stationId}-${seq}`, verdict: 'ALLOW', reasons: [], codeKind: 'pass',
      passId: 1000 + seq, passVersion: 1, plate: '51C-123.45', citizenId: '001099012345', payloadHash: null,
      officer: null, note: null, policyVersion: 1, ...patch(seq),
    });
    out.push(r);
    prevHash = r.hash;
  }
  return out;
}
