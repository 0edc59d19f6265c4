import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthStation } from '../../server/auth/access.js';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import { PgIngestRepository } from '../../server/services/ingest/pg-repository.js';
import { IngestService } from '../../server/services/ingest/service.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { journalChain } from '../server/journal-fixtures.js';
import { insertStationRow } from './station-row.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();
const lanes = [{ id: 'L1', direction: 'entry' as const }];
const clock = () => Date.UTC(2021, 8, 1, 12);

/**
 * Ingest writes a large group into the journal with COPY (server/db/pg-copy.ts) and a small one with one
 * INSERT of a JSON parameter: by either way, text that COPY's own format uses must come back as sent,
 * and a record already stored fails the whole batch.
 */
describe.skipIf(skip).each([
  { way: 'COPY', copyFromRows: 1 },
  { way: 'one INSERT', copyFromRows: Number.POSITIVE_INFINITY },
])(`ingest's $way into the journal on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, ({ way, copyFromRows }) => {
  const pg = usePostgres(way === 'COPY' ? 'ingest_copy' : 'ingest_insert');
  let db: PgServerDatabase;
  const station: AuthStation = { stationId: 'chot-copy', checkpointId: 7, province: 79, lanes };
  const repository = () => new PgIngestRepository(db.client, undefined, copyFromRows);

  beforeAll(async () => {
    db = await openPgServerDatabase(pg.url(), { max: 2 });
    await insertStationRow(db.client, station);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('stores notes holding tabs, newlines, backslashes and a literal \\N exactly, nulls as NULL, and the chain verifies', async () => {
    const notes = ['tab\there', 'two\nlines', 'cr\r\nlf', 'back\\slash', '\\N', '\\\\N', 'ends with backslash\\', null, ''];
    const records = journalChain(station.stationId, notes.length, (seq) => ({ note: notes[seq - 1]!, officer: seq % 2 ? null : 'cán bộ\tA' }));
    const service = new IngestService(db.client, repository(), clock);

    const ack = await service.ingestGrouped(station, { stationId: station.stationId, records });
    expect(ack).toEqual({ ackedSeq: notes.length, stored: notes.length, duplicates: 0, rejected: [], chainBreaks: [] });
    const rows = await db.client.all<{ note: string | null; officer: string | null; ok: number; received: number; checkpoint: number }>(
      'SELECT note, officer, hash_ok AS ok, received_at AS received, checkpoint_id AS checkpoint FROM journal WHERE station_id = ? ORDER BY seq', [station.stationId]);
    expect(rows.map((r) => r.note)).toEqual(notes);
    expect(rows.map((r) => r.officer)).toEqual(records.map((r) => r.officer));
    expect(rows.every((r) => r.ok === 1 && r.received === clock() && r.checkpoint === 7)).toBe(true);

    // the same batch again: all duplicates (the stored hashes compare equal), nothing copied twice
    expect(await service.ingestGrouped(station, { stationId: station.stationId, records })).toMatchObject({ stored: 0, duplicates: notes.length, rejected: [] });
  });

  it('a record copied again past the lookup (a writer without the station lock) fails its whole batch on the key, and the connection serves the next one', async () => {
    const records = journalChain('chot-copy-2', 3);
    const repo = repository();
    const ctx = { receivedAt: clock(), checkpointId: 7, province: 79 };
    const count = async () => (await db.client.get<{ n: number }>("SELECT count(*) AS n FROM journal WHERE station_id = 'chot-copy-2'"))!.n;
    const batch = (from: number, to: number) => [{ stationId: 'chot-copy-2', records: records.slice(from, to).map((record) => ({ record, hashOk: true })), ctx }];
    await db.client.transaction(() => repo.insertMany(batch(0, 1)));
    // seq 1 again beside a new seq 2: neither way has ON CONFLICT, so the key refuses it and nothing of the batch stays
    await expect(db.client.transaction(() => repo.insertMany(batch(0, 2))))
      .rejects.toThrow(/duplicate key/);
    expect(await count()).toBe(1);
    const stored = await db.client.transaction(() => repo.insertMany(batch(1, 3)));
    expect([...stored.get('chot-copy-2')!]).toEqual([2, 3]);
    expect(await count()).toBe(3);
  });
});
