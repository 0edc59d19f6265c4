import type { SqlClient } from '../../../server/db/sql-client.js';
import { encodeReasons } from '../../../shared/journal-record/reasons-text.js';
import type { JournalRecord } from '../../../shared/contracts/journal.js';
import { JournalWriter } from '../journal-fixtures.js';

/**
 * One journal for the audit queries on both engines: three checkpoints in two provinces (79 with two
 * districts, 80), a day of vehicles with crews, refusals for several reasons, F0 people turned back, an
 * override, a lone scan, a trip from 79 into 80, a pass overdue by its own committed stay and one only
 * by a province's transit allowance, records on the evening before and the morning after, and heartbeat
 * minutes. Loaded with portable SQL (server/db/sql-client.ts) into either engine.
 */
export const DAY = '2026-11-30';
export const DAY_START = Date.parse('2026-11-30T00:00:00+07:00');
export const MIN = 60_000;
export const HOUR = 60 * MIN;
/** the server's "now" for the fixture: the next day, 06:00 Vietnam time */
export const NOW = DAY_START + 30 * HOUR;

export const STATIONS = [
  { stationId: 'chot-a', checkpointId: 11, province: 79, district: '760', commune: '26734', name: 'Chốt A' },
  { stationId: 'chot-b', checkpointId: 12, province: 79, district: '761', commune: null, name: 'Chốt B' },
  { stationId: 'chot-c', checkpointId: 21, province: 80, district: '794', commune: null, name: 'Chốt C' },
] as const;

export const F0_CASE = '079000000001';
export const F0_TURNED_BACK = '079000000005';

function journals(): JournalRecord[] {
  const a = new JournalWriter('chot-a');
  const at = (h: number, m = 0) => DAY_START + h * HOUR + m * MIN;
  a.vehicle(at(-2), { crossingId: 'c0', passId: 6, plate: '51C-000.00', crew: ['079000000009'] }); // the evening before
  a.vehicle(at(8), { crossingId: 'c1', passId: 7, plate: '51C-111.11', crew: [F0_CASE, '079000000002'] });
  a.vehicle(at(8, 3), { crossingId: 'c2', passId: 8, plate: '51C-222.22', crew: ['079000000003'] });
  a.vehicle(at(8, 40), { crossingId: 'c3', passId: 9, plate: '51C-333.33', crew: ['079000000004'], verdict: 'DENY', reasons: ['EXPIRED', 'TEST_REQUIRED'] });
  a.vehicle(at(9), { crossingId: 'c4', passId: 8, plate: '51C-222.22', crew: ['079000000003'], lane: 'L2', direction: 'exit' });
  a.vehicle(at(9, 30), { crossingId: 'c5', passId: 11, plate: '51C-555.55', crew: ['079000000008'], direction: 'exit', verdict: 'REVIEW', reasons: ['TEST_REQUIRED'] });
  // an F0 refused twice (one person), each a walk-in crossing
  for (const [i, t] of [at(10), at(10, 5)].entries()) {
    a.add(t, { codeKind: 'health', citizenId: F0_TURNED_BACK, verdict: 'DENY', reasons: ['POSITIVE_OR_CONTACT'], crossingId: `p${i}` });
    a.add(t + 1000, { kind: 'crossing', scannerId: null, codeKind: 'health', citizenId: F0_TURNED_BACK, verdict: 'DENY', reasons: ['POSITIVE_OR_CONTACT'], crossingId: `p${i}`, note: 'closedBy=single' });
  }
  a.add(at(10, 30), { kind: 'override', officer: 'Nguyễn Văn A', note: 'giấy tờ hợp lệ', plate: '51C-333.33', passId: 9, passProvince: 79, verdict: 'ALLOW' });
  a.add(at(11), { codeKind: 'health', citizenId: '079000000006' }); // a lone scan
  a.vehicle(at(24, 1), { crossingId: 'c6', passId: 12, plate: '51C-666.66', crew: ['079000000010'], verdict: 'DENY', reasons: ['REVOKED'] }); // the next morning

  const b = new JournalWriter('chot-b');
  // the same crossing id as chot-a's first vehicle: crossings are per station
  b.vehicle(at(8, 5), { crossingId: 'c1', passId: 10, plate: '51C-444.44', crew: ['079000000007'] });
  b.add(at(12), { codeKind: 'health', citizenId: '079000000011', verdict: 'DENY', reasons: ['POSITIVE_OR_CONTACT', 'TEST_REQUIRED'], crossingId: 'p9' });
  b.add(at(12) + 1000, { kind: 'crossing', scannerId: null, codeKind: 'health', citizenId: '079000000011', verdict: 'DENY', reasons: ['POSITIVE_OR_CONTACT', 'TEST_REQUIRED'], crossingId: 'p9' });

  const c = new JournalWriter('chot-c');
  c.vehicle(at(14), { crossingId: 'k1', passId: 8, plate: '51C-222.22', crew: ['079000000003'] }); // pass 8 goes on into 80
  c.vehicle(at(14, 2), { crossingId: 'k2', passId: 20, passProvince: 80, plate: '62A-777.77', crew: ['080000000001'] });
  return [...a.records, ...b.records, ...c.records];
}

export const JOURNAL: readonly JournalRecord[] = journals();

const station = (id: string) => STATIONS.find((s) => s.stationId === id)!;

/** Writes the fixture into an empty server database (either engine), as ingest and issuing would have. */
export async function loadAuditFixture(client: SqlClient): Promise<void> {
  await client.transaction(async () => {
    for (const s of STATIONS) {
      await client.run(`INSERT INTO stations (station_id, checkpoint_id, name, province, district, commune, lanes, secret_hash, created_at, last_heartbeat_at)
        VALUES (@stationId, @checkpointId, @name, @province, @district, @commune, @lanes, 'x', @createdAt, @lastHeartbeatAt)`,
      { ...s, lanes: JSON.stringify([{ id: 'L1', direction: 'entry' }]), createdAt: DAY_START - 30 * 24 * HOUR, lastHeartbeatAt: s.stationId === 'chot-c' ? DAY_START + 20 * HOUR : NOW - MIN });
    }
    for (const r of JOURNAL) {
      const s = station(r.stationId);
      await client.run(`INSERT INTO journal (station_id, seq, prev_hash, hash, at, received_at, checkpoint_id, province, kind, lane, direction, scanner_id,
          crossing_id, verdict, reasons, code_kind, pass_id, pass_province, pass_version, plate, citizen_id, payload_hash, officer, note, policy_version, hash_ok)
        VALUES (@stationId, @seq, @prevHash, @hash, @at, @receivedAt, @checkpointId, @province, @kind, @lane, @direction, @scannerId,
          @crossingId, @verdict, @reasons, @codeKind, @passId, @passProvince, @passVersion, @plate, @citizenId, @payloadHash, @officer, @note, @policyVersion, @hashOk)`, {
        stationId: r.stationId, seq: r.seq, prevHash: r.prevHash, hash: r.hash, at: r.at, receivedAt: r.at + 5000, checkpointId: s.checkpointId, province: s.province,
        kind: r.kind, lane: r.lane, direction: r.direction, scannerId: r.scannerId, crossingId: r.crossingId, verdict: r.verdict, reasons: encodeReasons(r.reasons),
        codeKind: r.codeKind, passId: r.passId, passProvince: r.passProvince, passVersion: r.passVersion, plate: r.plate, citizenId: r.citizenId,
        payloadHash: r.payloadHash, officer: r.officer, note: r.note, policyVersion: r.policyVersion, hashOk: 1,
      });
    }
    // pass 7's committed stay is 6 hours: it is overdue by its own terms; pass 10 has no row here (issued elsewhere)
    await client.run(`INSERT INTO passes (id, version, status, plate, goods, crew, origin_zone, destination_zone, route_checkpoints, route_provinces, valid_from,
        direction, max_stay_hours, issuing_province, issued_at, code, created_at, created_by, updated_at, updated_by, item, change_seq)
      VALUES (7, 1, 'ACTIVE', '51C-111.11', 1, '[]', '79', '79', '[]', '[79]', @t, 'both', 6, 79, @t, 'code', @t, 'fixture', @t, 'fixture', '{}', 1)`, { t: DAY_START - 24 * HOUR });
    await client.run(`INSERT INTO people (citizen_id, name, phone, doses, status, status_as_of, updated_at, updated_by, item, change_seq)
      VALUES (@id, 'Trần Thị F', '0900000005', 2, 'F0', @t, @t, 'fixture', '{}', 2)`, { id: F0_TURNED_BACK, t: DAY_START });
    // chot-a heard for the first 90 minutes of the day, chot-c for 30 of them and one the day before
    for (let m = 0; m < 90; m++) await client.run('INSERT INTO heartbeat_minutes (station_id, minute) VALUES (?, ?)', ['chot-a', DAY_START + m * MIN]);
    for (let m = -1; m < 30; m++) await client.run('INSERT INTO heartbeat_minutes (station_id, minute) VALUES (?, ?)', ['chot-c', DAY_START + m * MIN]);
    await client.run(`INSERT INTO station_alerts (station_id, kind, seq, message, created_at) VALUES ('chot-b', 'CHAIN_BREAK', 2, 'chain break at seq 2', @t)`, { t: DAY_START + 13 * HOUR });
  });
}
