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
      passId: 1000 + seq, passProvince: 79, passVersion: 1, plate: '51C-123.45', citizenId: '001099012345', payloadHash: null,
      officer: null, note: null, policyVersion: 1, ...patch(seq),
    });
    out.push(r);
    prevHash = r.hash;
  }
  return out;
}

/** Writes a station's journal the way a station does: one seq after another, each chained to the last. */
export class JournalWriter {
  private seq = 0;
  private prevHash = GENESIS_HASH;
  readonly records: JournalRecord[] = [];
  constructor(readonly stationId: string) {}

  add(at: number, patch: RecordPatch = {}): JournalRecord {
    const r = sealRecord({
      stationId: this.stationId, seq: ++this.seq, prevHash: this.prevHash, at, kind: 'scan', lane: 'L1', direction: 'entry',
      scannerId: 'sc1', crossingId: null, verdict: 'ALLOW', reasons: [], codeKind: 'pass', passId: null, passProvince: null, passVersion: null,
      plate: null, citizenId: null, payloadHash: null, officer: null, note: null, policyVersion: 1, ...patch,
    });
    this.prevHash = r.hash;
    this.records.push(r);
    return r;
  }

  /** A vehicle through a lane: its pass scan, each crew member's scan, and the closing crossing record. */
  vehicle(at: number, o: { crossingId: string; passId: number; passProvince?: number; plate: string; crew: string[]; lane?: string; direction?: 'entry' | 'exit'; verdict?: 'ALLOW' | 'DENY' | 'REVIEW'; reasons?: JournalRecord['reasons'] }): void {
    const common = { crossingId: o.crossingId, lane: o.lane ?? 'L1', direction: o.direction ?? 'entry' } as const;
    this.add(at, { ...common, codeKind: 'pass', passId: o.passId, passProvince: o.passProvince ?? 79, passVersion: 1, plate: o.plate });
    o.crew.forEach((citizenId, i) => this.add(at + (i + 1) * 1000, { ...common, codeKind: 'health', citizenId }));
    this.add(at + (o.crew.length + 1) * 1000, {
      ...common, kind: 'crossing', scannerId: null, codeKind: 'pass', passId: o.passId, passProvince: o.passProvince ?? 79, passVersion: 1, plate: o.plate,
      verdict: o.verdict ?? 'ALLOW', reasons: o.reasons ?? [], note: 'closedBy=complete',
    });
  }
}
