import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { draft, NOW } from './record-draft.js';
import { cachePathFor, openLinkStore, openStationStore, type LinkStore, type StationStore } from '../../station/store/store.js';

const authority = createTestAuthority({ now: NOW });

let dir: string;
let store: StationStore;
let link: LinkStore;
const raws: Database.Database[] = [];
/** another connection holding the write lock of a file, as a busy link (or a busy journal) would */
function holdWriteLock(path: string): Database.Database {
  const raw = new Database(path);
  raws.push(raw);
  raw.exec('BEGIN IMMEDIATE');
  return raw;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'station-split-'));
  store = openStationStore(join(dir, 'station.db'));
  link = openLinkStore(join(dir, 'station.db'));
});
afterEach(() => {
  for (const r of raws.splice(0)) if (r.open) r.close();
  link.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('station store in two files', () => {
  it('keeps the journal and the cache in two files beside each other', () => {
    expect(store.cachePath).toBe(join(dir, 'station-cache.db'));
    expect(cachePathFor(join(dir, 'x.db'))).toBe(join(dir, 'x-cache.db'));
    expect(existsSync(store.cachePath)).toBe(true);
  });

  it('decides while the link holds the cache file\'s write lock: the journal commits, the lookups read, nothing waits', () => {
    const pass = authority.issuePass();
    link.applyFeedItems([pass.facts], { cursor: 1, syncedAt: NOW });
    const busyLink = holdWriteLock(store.cachePath);
    busyLink.prepare('DELETE FROM passes').run(); // uncommitted: the deciding thread must not see it either
    const t0 = performance.now();
    const facts = store.readCache(() => store.getPass(pass.facts));
    const [record] = store.appendDecision({ records: [draft()] });
    // With busy_timeout = 0 a lock shared with the link would throw SQLITE_BUSY here instead of sleeping.
    expect(store.pragmas().busyTimeout).toBe(0);
    expect(facts).toEqual(pass.facts);
    expect(record!.seq).toBe(1);
    expect(performance.now() - t0).toBeLessThan(5_000);
    busyLink.exec('ROLLBACK');
  });

  it('acknowledges while the deciding thread holds the journal file\'s write lock: the watermark is the link\'s own', () => {
    store.appendDecision({ records: [draft(), draft()] });
    store.appendDecision({ records: [draft()] });
    const busyJournal = holdWriteLock(store.path);
    expect(link.ackOutbox(2)).toBe(2);
    expect(link.outboxBatch(10).map((r) => r.seq)).toEqual([3]);
    busyJournal.exec('ROLLBACK');
    expect(store.ackedSeq()).toBe(2);
    expect(store.outboxBacklog()).toBe(1);
  });

  it('moves the watermark up only, never past the journal, and reads batches above it', () => {
    for (let i = 0; i < 5; i++) store.appendDecision({ records: [draft({ at: NOW + i })] });
    expect(link.outboxBacklog()).toBe(5);
    expect(link.ackOutbox(3)).toBe(3);
    expect(link.ackOutbox(2)).toBe(0); // a late, older acknowledgement
    expect(store.ackedSeq()).toBe(3);
    expect(link.outboxBatch(10, 1).map((r) => r.seq)).toEqual([4, 5]);
    expect(link.outboxBatch(10, 4).map((r) => r.seq)).toEqual([5]);
    expect(link.ackOutbox(99)).toBe(2); // nothing above the journal's last record is acknowledged
    expect(store.ackedSeq()).toBe(5);
    expect(link.outboxBacklog()).toBe(0);
    store.appendDecision({ records: [draft()] });
    expect(store.outboxBacklog()).toBe(1);
  });

  it('sees the link\'s cache commits: sync state, data and documents (the trust state re-verifies on a new revision)', () => {
    expect(store.syncState()).toEqual({ cursor: null, syncedAt: null });
    const rev0 = store.documentsRevision();
    const pass = authority.issuePass();
    link.applyFeedItems([pass.facts], { cursor: 4, syncedAt: NOW });
    expect(store.syncState()).toEqual({ cursor: 4, syncedAt: NOW });
    expect(store.getPass(pass.facts)).toEqual(pass.facts);
    expect(store.documentsRevision()).toBe(rev0); // no document changed
    link.applyFeedItems([{ type: 'trustList', document: authority.trustDocument }], { cursor: 5, syncedAt: NOW + 1 });
    expect(store.documentsRevision()).toBe(rev0 + 1);
    expect(store.document('trustList')).toEqual(authority.trustDocument);
    expect(store.documentsRevision()).toBe(rev0 + 1);
  });

  it('a decision\'s reads see one state of the cache while the link swaps in a snapshot', () => {
    const old = authority.issuePass();
    link.applyFeedItems([old.facts], { cursor: 1, syncedAt: NOW });
    const fresh = authority.issuePass();
    const seen = store.readCache(() => {
      const before = [store.getPass(old.facts), store.getPass(fresh.facts), store.syncState().cursor];
      const snap = link.beginSnapshot();
      snap.addPage([fresh.facts]);
      snap.commit({ cursor: 9, syncedAt: NOW + 1 });
      const after = [store.getPass(old.facts), store.getPass(fresh.facts), store.syncState().cursor];
      return { before, after };
    });
    expect(seen.after).toEqual(seen.before);
    expect(seen.before).toEqual([old.facts, null, 1]);
    expect([store.getPass(old.facts), store.getPass(fresh.facts), store.syncState().cursor]).toEqual([null, fresh.facts, 9]);
  });

  it('the link checkpoints the journal file (PASSIVE) while the deciding thread keeps committing', () => {
    store.close();
    store = openStationStore(join(dir, 'station.db'), { walAutocheckpoint: 0 });
    for (let i = 0; i < 50; i++) store.appendDecision({ records: [draft({ at: NOW + i })] });
    const busyJournal = holdWriteLock(store.path); // a writer mid-transaction does not stop a passive checkpoint
    const r = link.checkpointJournal();
    busyJournal.exec('ROLLBACK');
    expect(r.walFrames).toBeGreaterThan(0);
    expect(r.checkpointed).toBe(r.walFrames);
    expect(store.appendDecision({ records: [draft()] })[0]!.seq).toBe(51);
  });
});

describe('a journal file from before the split', () => {
  it('moves its cache rows to the cache file and turns its outbox into the watermark', () => {
    const pass = authority.issuePass();
    // records journaled before passes had a province keep their hashes after the upgrade
    for (let i = 0; i < 5; i++) store.appendDecision({ records: [draft({ at: NOW + i, passProvince: null })] });
    link.close();
    store.close();
    // Make it look like the old layout: cache rows and an outbox (records 3..5 not acknowledged) in station.db,
    // the split's migration not yet applied, no cache file.
    const raw = new Database(join(dir, 'station.db'));
    raw.exec(`DROP TABLE upload_state; CREATE TABLE outbox (seq integer PRIMARY KEY NOT NULL REFERENCES journal(seq));
      INSERT INTO outbox (seq) VALUES (3), (4), (5);
      INSERT INTO sync_state (id, cursor, synced_at) VALUES (1, 77, ${NOW});`);
    // Back to before the split's migration (0003), the pass identity one after it (0004, whose
    // journal column goes; its passes table takes old rows as they are) and the flag lists (0005,
    // whose people tables come back).
    raw.prepare('DELETE FROM __drizzle_migrations WHERE created_at IN (SELECT created_at FROM __drizzle_migrations ORDER BY created_at DESC LIMIT 3)').run();
    raw.exec('ALTER TABLE journal DROP COLUMN pass_province');
    const people = (t: string) => `CREATE TABLE ${t} (citizen_id text PRIMARY KEY NOT NULL, name text NOT NULL, declared_at integer,
      origin_zone text, test text, doses integer NOT NULL, status text NOT NULL, status_as_of integer NOT NULL);`;
    raw.exec(`DROP TABLE health_flags; DROP TABLE health_flags_next; DROP TABLE pass_status; DROP TABLE pass_status_next;
      ${people('people')} ${people('people_next')}
      INSERT INTO people VALUES ('079012345678', 'Nguyễn Văn F', NULL, NULL, NULL, 0, 'F0', ${NOW}), ('079012345679', 'Trần Thị N', NULL, NULL, NULL, 0, 'NONE', ${NOW});`);
    raw.prepare(`INSERT INTO passes (pass_id, version, status, status_reason, plate, company, goods, crew, valid_from, valid_to,
      route_checkpoints, route_provinces, direction, issuing_province, origin_zone) VALUES (?, 1, 'ACTIVE', NULL, ?, NULL, 0, '[]', ?, NULL, '[]', '[]', 'both', 79, '79')`)
      .run(pass.facts.passId, pass.facts.plate, NOW);
    raw.close();
    rmSync(join(dir, 'station-cache.db'));
    rmSync(join(dir, 'station-cache.db-wal'), { force: true });
    rmSync(join(dir, 'station-cache.db-shm'), { force: true });

    store = openStationStore(join(dir, 'station.db'));
    link = openLinkStore(join(dir, 'station.db'));
    expect(store.syncState()).toEqual({ cursor: 77, syncedAt: NOW });
    expect(store.getPass(pass.facts)?.plate).toBe(pass.facts.plate);
    // the people it held: the flagged one stays as a flag, the other is not kept
    expect(store.healthFlag('079012345678')).toMatchObject({ status: 'F0', statusAsOf: NOW });
    expect(store.healthFlag('079012345679')).toBeNull();
    expect(store.ackedSeq()).toBe(2);
    expect(link.outboxBatch(10).map((r) => r.seq)).toEqual([3, 4, 5]);
    expect(store.verifyChain()).toEqual({ ok: true, records: 5 });
    const tables = (new Database(join(dir, 'station.db'), { readonly: true }));
    raws.push(tables);
    expect(tables.prepare("SELECT name FROM sqlite_master WHERE name = 'outbox'").get()).toBeUndefined();
    expect(tables.prepare('SELECT count(*) FROM passes').pluck().get()).toBe(0);
  });
});
