import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Value } from '@sinclair/typebox/value';
import { expect } from 'vitest';
import { JournalRecordSchema, type JournalRecord } from '../../../shared/contracts/journal.js';
import { journalHash } from '../../../shared/journal/hash-chain.js';
import type { ReasonCode } from '../../../shared/rules/reasons.js';
import type { SqlClient } from '../../../server/db/sql-client.js';
import type { IngestRepository } from '../../../server/services/ingest/repository.js';
import { auditRepository, type CrossingRow } from '../../../server/services/audit/repository.js';
import { openLinkStore, openStationStore } from '../../../station/store/store.js';
import { draft, NOW } from '../../station/record-draft.js';

export const SEVERAL: ReasonCode[] = ['TEST_REQUIRED', 'ORIGIN_ZONE_RESTRICTED', 'POSITIVE_OR_CONTACT'];
const CONTEXT = { receivedAt: NOW + 5_000, checkpointId: 7901, province: 79 };

/**
 * Records as a station seals them, read back from its outbox as they go on the wire, with the
 * station's own stored form of each reason list: a crossing refused for several reasons, a lone
 * scan with none, and one with every optional field filled (Vietnamese text included).
 */
export function stationRecords(): { wire: JournalRecord[]; stationReasons: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'journal-record-'));
  const file = join(dir, 'station.db');
  try {
    const store = openStationStore(file);
    const link = openLinkStore(file);
    try {
      store.appendDecision({
        records: [
          draft({ stationId: 'chot-7901', kind: 'crossing', verdict: 'DENY', reasons: SEVERAL, codeKind: 'health', citizenId: '079000000042', plate: null, passId: null, passProvince: null, passVersion: null }),
          draft({ stationId: 'chot-7901', at: NOW + 1, reasons: [], crossingId: null, scannerId: null }),
          draft({ stationId: 'chot-7901', at: NOW + 2, kind: 'override', verdict: 'ALLOW', reasons: ['OFFICER_OVERRIDE', 'DRIVER_NOT_SCANNED'], officer: 'Trần Văn B', note: 'Cho qua, đã gọi y tế', payloadHash: 'c'.repeat(64) }),
        ],
      });
      // the wire: what the link uploads, through JSON as the HTTP body carries it
      const wire = JSON.parse(JSON.stringify(link.outboxBatch(10))) as JournalRecord[];
      const raw = new Database(file, { readonly: true });
      const stationReasons = raw.prepare('SELECT reasons FROM journal ORDER BY seq').pluck().all() as string[];
      raw.close();
      return { wire, stationReasons };
    } finally {
      link.close();
      store.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What of a wire record the command center reads back, and what the server added. */
function expectedCrossing(r: JournalRecord): CrossingRow {
  const { prevHash: _p, hash: _h, payloadHash: _ph, ...rest } = r;
  return { ...rest, checkpointId: CONTEXT.checkpointId, receivedAt: CONTEXT.receivedAt, hashOk: true };
}

/**
 * station row → wire → server row (through ingest's insert) → audit read: every field comes back as
 * the station sealed it, and the server stores each reason list in the station's very form.
 */
export async function expectRoundTrip(client: SqlClient, ingest: IngestRepository): Promise<void> {
  const { wire, stationReasons } = stationRecords();
  expect(wire).toHaveLength(3);
  for (const r of wire) {
    expect(Value.Errors(JournalRecordSchema, r).First()).toBeUndefined();
    expect(journalHash(r)).toBe(r.hash);
  }
  expect(wire[0]!.reasons).toEqual(SEVERAL);

  const stored = await client.transaction(() => ingest.insertMany([{ stationId: 'chot-7901', records: wire.map((record) => ({ record, hashOk: true })), ctx: CONTEXT }]));
  expect([...stored.get('chot-7901')!].sort()).toEqual([1, 2, 3]);
  const serverReasons = (await client.all<{ reasons: string }>('SELECT reasons FROM journal ORDER BY seq')).map((r) => r.reasons);
  expect(serverReasons).toEqual(stationReasons);
  expect(serverReasons).toEqual(['["TEST_REQUIRED","ORIGIN_ZONE_RESTRICTED","POSITIVE_OR_CONTACT"]', '[]', '["OFFICER_OVERRIDE","DRIVER_NOT_SCANNED"]']);

  const audit = auditRepository(client);
  const rows = await audit.search(79, {}, 10, 0, 'asc');
  expect(rows).toEqual(wire.map(expectedCrossing));
  // the reason search finds a whole code anywhere in a list, and only there
  expect((await audit.search(79, { reason: 'ORIGIN_ZONE_RESTRICTED' }, 10, 0)).map((r) => r.seq)).toEqual([1]);
  expect((await audit.search(79, { reason: 'DRIVER_NOT_SCANNED' }, 10, 0)).map((r) => r.seq)).toEqual([3]);
  expect(await audit.search(79, { reason: 'EXPIRED' }, 10, 0)).toEqual([]);
  // counts per reason list leave out the record without a reason and decode the others
  expect(await audit.countsPerReasonSet(79, {})).toEqual(expect.arrayContaining([
    { reasons: SEVERAL, n: 1 }, { reasons: ['OFFICER_OVERRIDE', 'DRIVER_NOT_SCANNED'], n: 1 },
  ]));
  expect(await audit.countsPerReasonSet(79, {})).toHaveLength(2);
}
