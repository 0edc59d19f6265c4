import { createHash } from 'node:crypto';
import type { Crossing } from '../../shared/rules/crossing.js';
import { presenceChange } from '../../shared/rules/crossing.js';
import type { Decision } from '../../shared/rules/decide.js';
import type { Override } from '../../shared/rules/override.js';
import type { PresenceWrite, RecordDraft } from '../store/store.js';

/** Pure mapping from decisions and crossings to journal drafts and presence changes. */

export interface ScanMeta {
  stationId: string;
  at: number;
  lane: string;
  direction: 'entry' | 'exit';
  scannerId: string | null;
  codeKind: RecordDraft['codeKind'];
  payload: string | null;
  policyVersion: number;
}

export function payloadHash(payload: string): string {
  return createHash('sha256').update(payload).digest('hex');
}

export function scanRecord(meta: ScanMeta, d: Decision): RecordDraft {
  return {
    stationId: meta.stationId,
    at: meta.at,
    kind: 'scan',
    lane: meta.lane,
    direction: meta.direction,
    scannerId: meta.scannerId,
    crossingId: d.crossing?.id ?? null,
    verdict: d.verdict,
    reasons: d.reasons,
    codeKind: meta.codeKind,
    passId: d.subject.passId,
    passProvince: d.subject.passProvince,
    passVersion: d.subject.passVersion,
    plate: d.subject.plate,
    citizenId: d.subject.citizenId,
    payloadHash: meta.payload === null ? null : payloadHash(meta.payload),
    officer: null,
    note: null,
    policyVersion: meta.policyVersion,
  };
}

/** The record of a closed crossing: its aggregate verdict; members are linked by their scans' crossingId. */
export function crossingRecord(c: Crossing, stationId: string, at: number, policyVersion: number): RecordDraft {
  return {
    stationId,
    at,
    kind: 'crossing',
    lane: c.lane,
    direction: c.direction,
    scannerId: null,
    crossingId: c.id,
    verdict: c.verdict,
    reasons: c.reasons,
    codeKind: c.kind === 'vehicle' ? 'pass' : 'health',
    passId: c.pass?.passId ?? null,
    passProvince: c.pass?.issuingProvince ?? null,
    passVersion: c.pass?.version ?? null,
    plate: c.pass?.plate ?? null,
    citizenId: c.kind === 'person' ? (c.members[0]?.citizenId ?? null) : null,
    payloadHash: null,
    officer: null,
    note: `closedBy=${c.closedBy ?? 'unknown'}`,
    policyVersion,
  };
}

/** An officer's override of a crossing: the overridden verdict and reasons, with the officer and the written reason. */
export function overrideRecord(c: Crossing, o: Override, stationId: string, at: number, policyVersion: number): RecordDraft {
  return {
    ...crossingRecord(c, stationId, at, policyVersion),
    kind: 'override',
    officer: o.officer,
    note: o.note,
  };
}

export function presenceWrite(c: Crossing, at: number): PresenceWrite[] {
  const change = presenceChange(c);
  return change ? [{ key: change.key, inside: change.inside, at, crossingId: c.id }] : [];
}
