import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { draft, NOW } from './record-draft.js';
import { openLinkStore, openStationStore, type LinkStore, type StationStore } from '../../station/store/store.js';

let dir: string;
let store: StationStore;
let link: LinkStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'station-rewind-'));
  store = openStationStore(join(dir, 'station.db'));
  link = openLinkStore(join(dir, 'station.db'));
});
afterEach(() => {
  link.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the outbox after the server lost acknowledged records (failover)', () => {
  it('moves the watermark back: the same records, same hashes, are in the outbox again, and the purge leaves them whole', () => {
    const sealed = store.appendDecision({ records: Array.from({ length: 6 }, () => draft()) });
    expect(link.ackOutbox(6)).toBe(6);
    expect(link.outboxBatch(10)).toEqual([]);

    expect(link.rewindOutbox(4)).toBe(2);
    expect(store.ackedSeq()).toBe(4);
    expect(store.outboxBacklog()).toBe(2);
    expect(link.outboxBatch(10)).toEqual(sealed.slice(4));
    // Not acknowledged any more, so not purged either, however old: they must go out as they were sealed.
    expect(store.purgePersonalData(NOW + 400 * 86_400_000, 1).records).toBe(4);
    expect(link.outboxBatch(10)).toEqual(sealed.slice(4));
  });

  it('never moves the watermark forward, and the acknowledgement moves it up again as before', () => {
    store.appendDecision({ records: Array.from({ length: 5 }, () => draft()) });
    link.ackOutbox(3);
    expect(link.rewindOutbox(4)).toBe(0);
    expect(link.ackedSeq()).toBe(3);
    expect(link.rewindOutbox(-1)).toBe(3);
    expect(link.ackedSeq()).toBe(0);
    expect(link.ackOutbox(5)).toBe(5);
    expect(store.outboxBacklog()).toBe(0);
  });
});
