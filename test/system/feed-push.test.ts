import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { TestStation, world, type World } from './harness.js';

let w: World | null = null;
let st: TestStation | null = null;

afterEach(async () => {
  await st?.stop();
  await w?.central.stop();
  w?.cleanup();
  w = st = null;
});

describe('central status in seconds: the feed doorbell', () => {
  it('a flag set at the centre reaches a connected station (link in its worker thread) though its sync interval is an hour', async () => {
    w = await world();
    st = new TestStation(join(w.dir, 'station'), w.seed);
    await st.start({ url: w.central.url, credential: w.seed.station.secret }, { syncIntervalMs: 3_600_000 });
    await st.link!.syncNow();
    const app = w.central.app!;
    // the station is connected and waiting on the doorbell before the change is made
    await vi.waitFor(() => expect(app.feedWatch.waiting()).toBe(1), { timeout: 10_000, interval: 10 });
    const person = w.seed.vehicles[0]!.sample.crew[0]!;
    expect(st.station.store.healthFlag(person.citizenId)).toBeFalsy();
    await app.healthData.apply({ username: 'yte.demo' }, [{ kind: 'flag', citizenId: person.citizenId, name: person.name, phone: null, status: 'F1', statusAsOf: Date.now() }], 'Tiếp xúc gần');
    // with an hour between polls, only the doorbell can bring it within the wait
    await vi.waitFor(() => expect(st!.station.store.healthFlag(person.citizenId)?.status).toBe('F1'), { timeout: 10_000, interval: 10 });
  });
});
