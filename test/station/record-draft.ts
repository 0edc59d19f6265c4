import type { RecordDraft } from '../../station/store/store.js';

export const NOW = Date.UTC(2021, 8, 1, 8);

/** A journal record draft for store tests; override what a test is about. */
export function draft(over: Partial<RecordDraft> = {}): RecordDraft {
  return {
    stationId: 'st-1', at: NOW, kind: 'scan', lane: 'L1', direction: 'entry', scannerId: 'sc-1', crossingId: 'c-1',
    verdict: 'ALLOW', reasons: [], codeKind: 'pass', passId: 1, passProvince: 79, passVersion: 1, plate: '51C-123.45', citizenId: null,
    payloadHash: null, officer: null, note: null, policyVersion: 1, ...over,
  };
}
