import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lookupPlate } from '../../../station/screen/plate-lookup.js';
import { openStationStore, type StationStore } from '../../../station/store/store.js';
import { passFacts, plateFor } from '../../bench/lib/dataset.js';

/** The officer's plate lookup: whole plate, its start, or a part inside it, on a cache of 3,000 passes. */
let dir: string;
let store: StationStore;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'plate-lookup-'));
  store = openStationStore(join(dir, 'station.db'));
  const now = Date.now();
  store.applyFeedItems(Array.from({ length: 3000 }, (_, i) => passFacts(i + 1, now)), { cursor: 1, syncedAt: now, validate: false });
});
afterAll(async () => {
  store?.close();
  await rm(dir, { recursive: true, force: true });
});

const keyOf = (plate: string) => plate.replace(/[^0-9A-Z]/g, '');

describe('plate lookup', () => {
  it('finds a whole plate typed loosely, the plates starting with a part, and those containing a part, in slices', async () => {
    const plate = plateFor(1234); // e.g. 51LD-012.34
    expect((await lookupPlate(store, plate.toLowerCase().replace(/[-.]/g, ' '))).map((p) => p.plate)).toEqual([plate]);

    const start = keyOf(plate).slice(0, 3);
    const starting = await lookupPlate(store, start);
    expect(starting).toHaveLength(20);
    for (const p of starting) expect(keyOf(p.plate).startsWith(start)).toBe(true);

    const inside = keyOf(plate).slice(-5); // the number without province and series
    const containing = await lookupPlate(store, inside, 20, 500); // small slices: the walk crosses several
    expect(containing.map((p) => p.plate)).toContain(plate);
    for (const p of containing) expect(keyOf(p.plate)).toContain(inside);
    expect(await lookupPlate(store, 'ZZ999', 20, 500)).toEqual([]);
  });
});
