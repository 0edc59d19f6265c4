import { afterEach, describe, it } from 'vitest';
import { openServerDatabase, type ServerDatabase } from '../../../server/db/database.js';
import type { SqliteClient } from '../../../server/db/sqlite-client.js';
import { SqliteIngestRepository } from '../../../server/services/ingest/sqlite-repository.js';
import { expectRoundTrip } from './round-trip.js';

describe('a journal record from the station\'s row to the command center\'s read (SQLite server)', () => {
  let db: ServerDatabase | undefined;
  afterEach(() => db?.close());

  it('station row → wire → server row → audit read leaves every field as sealed, reasons with several codes included', async () => {
    db = openServerDatabase(':memory:');
    await expectRoundTrip(db.client, new SqliteIngestRepository(db.client as SqliteClient));
  });
});
