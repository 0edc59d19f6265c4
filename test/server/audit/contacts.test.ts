import { describe, expect, it } from 'vitest';
import { contactList, type ContactLookups } from '../../../server/services/audit/contacts.js';
import type { CrossingRow } from '../../../server/services/audit/repository.js';

const T0 = Date.parse('2026-11-30T08:00:00+07:00');
let seq = 0;
const row = (p: Partial<CrossingRow>): CrossingRow => ({
  stationId: 'chot-1', seq: ++seq, checkpointId: 1, at: T0, receivedAt: T0, kind: 'scan', lane: 'L1', direction: 'entry', scannerId: 's', crossingId: null,
  verdict: 'ALLOW', reasons: [], codeKind: 'pass', passId: null, passProvince: null, passVersion: null, plate: null, citizenId: null, officer: null,
  note: null, policyVersion: 1, hashOk: true, ...p,
});

const look: ContactLookups = {
  person: async (id) => (id === '079000000002' ? { name: 'Trần Thị B', phone: '0901000002', status: 'NONE' } : null),
  pass: async (id) => ({
    7: { plate: '51C-123.45', company: 'Vận tải A', crew: [{ citizenId: '079000000001', name: 'Nguyễn Văn A', phone: null }, { citizenId: '079000000002', name: 'Trần Thị B', phone: null }] },
    8: { plate: '60C-456.78', company: null, crew: [{ citizenId: '079000000003', name: 'Lê Văn C', phone: '0903' }] },
  }[id] ?? null),
};

describe('contact list', () => {
  it('lists each person and vehicle once, closest relation first, names from health data or the pass', async () => {
    const x = 'x1';
    const own = row({ crossingId: x, codeKind: 'health', citizenId: '079000000001', at: T0 + 5000 });
    const coTravellers = [
      row({ crossingId: x, passId: 7, plate: '51C-123.45' }),
      row({ crossingId: x, codeKind: 'health', citizenId: '079000000002', at: T0 + 9000 }),
      row({ crossingId: x, kind: 'crossing', passId: 7, plate: '51C-123.45', at: T0 + 10_000 }),
    ];
    // the next vehicle in the lane: its pass scan, its driver's scan, twice the same person at two checkpoints
    const nearbyVehicles = [
      // the case's own vehicle comes back as a lane neighbour too: the same passage, not a second meeting
      row({ crossingId: x, passId: 7, plate: '51C-123.45' }),
      row({ crossingId: x, codeKind: 'health', citizenId: '079000000002', at: T0 + 9000 }),
      row({ crossingId: 'x2', passId: 8, plate: '60C-456.78', at: T0 + 60_000 }),
      row({ crossingId: 'x2', codeKind: 'health', citizenId: '079000000003', at: T0 + 62_000 }),
      row({ crossingId: 'x2', kind: 'crossing', passId: 8, plate: '60C-456.78', at: T0 + 63_000 }),
      row({ codeKind: 'health', citizenId: '079000000002', at: T0 + 120_000 }),
    ];
    const list = await contactList({ crossings: [own], coTravellers, nearbyVehicles, truncated: false }, { citizenId: '079000000001' }, look);
    expect(list.people.map((p) => [p.citizenId, p.name, p.phone, p.role, p.closest, p.meetings.length])).toEqual([
      ['079000000002', 'Trần Thị B', '0901000002', 'assistant', 'same-vehicle', 2],
      ['079000000003', 'Lê Văn C', '0903', 'driver', 'same-lane', 1],
    ]);
    expect(list.vehicles.map((v) => [v.plate, v.company, v.closest, v.meetings.length])).toEqual([
      ['51C-123.45', 'Vận tải A', 'same-vehicle', 1],
      ['60C-456.78', null, 'same-lane', 1],
    ]);
  });
});
