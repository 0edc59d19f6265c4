import { createHash, hash } from 'node:crypto';
import type { JournalRecord } from '../../../shared/contracts/journal.js';
import { GENESIS_HASH, sealRecord } from '../../../shared/journal/hash-chain.js';
import type { RecordDraft, StationStore } from '../../../station/store/store.js';
import { citizenIdFor } from '../../../hardware-sim/fixtures/names.js';
import { crewOf, passFacts, plateFor, PROVINCE } from './dataset.js';

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
    payloadHash: hash('sha256', String(i), 'hex'), officer: null, note: null, policyVersion: 1,
  };
}

/** a station's own thousand vehicles: pass ids from a per-station base, so no two stations share a pass */
const stationBases = new Map<string, number>();
function stationBase(stationId: string): number {
  let base = stationBases.get(stationId);
  if (base === undefined) {
    base = (createHash('sha256').update(stationId).digest().readUInt32BE(0) % 1_000_000) * 1000;
    stationBases.set(stationId, base);
  }
  return base;
}

/**
 * The `i`-th record (from 1) of a lane's traffic as the national peak's figure counts it, four records a
 * vehicle: its pass scan, its two crew members' health scans, then the crossing record that closes it.
 * Vehicles alternate entering (lane L1) and leaving (lane L2): each pass enters, then leaves, each
 * station with its own thousand passes. So the server judges clones on one record in four (the
 * crossings) as it would at the peak; a pass that enters and then leaves at the same checkpoint is
 * never a clone.
 */
export function vehicleDraft(stationId: string, i: number, at: number): RecordDraft {
  const vehicle = Math.floor((i - 1) / 4);
  const step = (i - 1) % 4;
  const passId = stationBase(stationId) + (Math.floor(vehicle / 2) % 1000) + 1; // in, then the same pass out
  const leaving = vehicle % 2 === 1;
  const crewScan = step === 1 || step === 2;
  const crew = crewScan ? crewOf((passId % 400_000_000) + 1)[step - 1]! : 0; // citizen ids keep their 9-digit serial
  // one object literal, every field in one order (as scanDraft): spreads built objects of several
  // shapes, which cost the load generator three times the time to seal and far more heap to hold
  return {
    stationId, at, kind: step === 3 ? 'crossing' : 'scan', lane: leaving ? 'L2' : 'L1', direction: leaving ? 'exit' : 'entry',
    scannerId: step === 3 ? null : 's1', crossingId: `v-${vehicle}`, verdict: 'ALLOW', reasons: [],
    codeKind: crewScan ? 'health' : 'pass', passId: crewScan ? null : passId, passProvince: crewScan ? null : PROVINCE,
    passVersion: crewScan ? null : 1, plate: crewScan ? null : plateFor(passId), citizenId: crewScan ? citizenIdFor(crew, PROVINCE) : null,
    payloadHash: step === 3 ? null : hash('sha256', `${stationId}#${i}`, 'hex'),
    officer: null, note: step === 3 ? 'closedBy=complete' : null, policyVersion: 1,
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
