import { createHash } from 'node:crypto';
import type { JournalRecord } from '../../../shared/contracts/journal.js';
import { GENESIS_HASH, sealRecord } from '../../../shared/journal/hash-chain.js';
import type { RecordDraft, StationStore } from '../../../station/store/store.js';
import { passFacts } from './dataset.js';

/** the pass facts a scan record names (plate, issuing province), by pass id: the same at any time */
const scannedPasses = new Map<number, { passId: number; issuingProvince: number; plate: string }>();

/** A plausible scan record (an ALLOW pass scan), as a station journals it. */
export function scanDraft(stationId: string, i: number, at: number): RecordDraft {
  const id = (i % 1000) + 1;
  let f = scannedPasses.get(id);
  if (!f) {
    const facts = passFacts(id, at);
    scannedPasses.set(id, (f = { passId: facts.passId, issuingProvince: facts.issuingProvince, plate: facts.plate }));
  }
  return {
    stationId, at, kind: 'scan', lane: 'L1', direction: 'entry', scannerId: 's1', crossingId: `c-${i}`, verdict: 'ALLOW', reasons: [],
    codeKind: 'pass', passId: f.passId, passProvince: f.issuingProvince, passVersion: 1, plate: f.plate, citizenId: null,
    payloadHash: createHash('sha256').update(String(i)).digest('hex'), officer: null, note: null, policyVersion: 1,
  };
}

/** Queue `count` records in the store's journal and outbox through its public API, 1000 a transaction. */
export function fillOutbox(store: StationStore, stationId: string, count: number): void {
  const at = Date.now();
  for (let done = 0; done < count; ) {
    const n = Math.min(1000, count - done);
    store.appendDecision({ records: Array.from({ length: n }, (_, k) => scanDraft(stationId, done + k, at)) });
    done += n;
  }
}

/** A sealed chain of `count` records for one station, as a station would upload them. */
export function sealedChain(stationId: string, count: number): JournalRecord[] {
  const at = Date.now();
  const out: JournalRecord[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= count; seq++) {
    const r = sealRecord({ ...scanDraft(stationId, seq, at), seq, prevHash });
    out.push(r);
    prevHash = r.hash;
  }
  return out;
}
