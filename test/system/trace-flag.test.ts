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

describe('the 5S loop: trace, flag F1, stopped at the next checkpoint', () => {
  it('an F0 confirmed at the centre: the trace lists the co-traveller once, flagging them F1 makes their next scan DENY within two sync intervals', async () => {
    w = await world();
    st = new TestStation(join(w.dir, 'station'), w.seed);
    const interval = 1000;
    await st.start({ url: w.central.url, credential: w.seed.station.secret }, { syncIntervalMs: interval });
    await st.link!.syncNow();
    const v = w.seed.vehicles.find((x) => x.sample.case === 'healthy' && x.crewCodes.length >= 2)!;
    const [driver, assistant] = v.sample.crew;
    expect((await st.scan(v.passCode)).verdict).toBe('ALLOW');
    for (const c of v.crewCodes) await st.scan(c);
    await vi.waitFor(() => expect(st!.station.store.outboxBacklog()).toBe(0), { timeout: 15_000, interval: 20 });

    const app = w.central.app!;
    const tracer = await app.users.create(null, { username: 'truyvet79', password: 'mật khẩu đủ dài 123', role: 'command', province: 79, displayName: 'Cán bộ truy vết' });
    const reader = { user: { id: tracer.id, username: tracer.username, role: 'command' as const, province: 79 }, method: 'GET', url: '/test' };
    // the driver is confirmed F0 at the centre
    await app.healthData.apply({ username: 'yte.demo' }, [{ kind: 'flag', citizenId: driver!.citizenId, name: driver!.name, phone: null, status: 'F0', statusAsOf: Date.now() }], 'Xét nghiệm dương tính');

    const contacts = await app.contacts.list(reader, { citizenId: driver!.citizenId }, 10, {});
    const ids = contacts.people.map((p) => p.citizenId);
    expect(new Set(ids).size).toBe(ids.length);
    const mate = contacts.people.find((p) => p.citizenId === assistant!.citizenId);
    expect(mate).toMatchObject({ name: assistant!.name, closest: 'same-vehicle', role: 'assistant' });
    expect(contacts.vehicles.map((x) => x.plate)).toContain(v.sample.plate);

    const flaggedAt = Date.now();
    const r = await app.contacts.flagF1(reader, { citizenIds: [assistant!.citizenId], reason: 'Đi cùng xe với ca F0', caseCitizenId: driver!.citizenId });
    expect(r.flagged).toEqual([assistant!.citizenId]);
    // recorded as a health-data change with who and why
    expect((await app.healthData.history(assistant!.citizenId))[0]).toMatchObject({ kind: 'flag', byUser: 'truyvet79', reason: `Đi cùng xe với ca F0 (truy vết từ ca ${driver!.citizenId})` });

    await vi.waitFor(() => expect(st!.station.store.healthFlag(assistant!.citizenId)?.status).toBe('F1'), { timeout: 2 * interval, interval: 10 });
    const propagationMs = Date.now() - flaggedAt;
    const next = await st.scan(v.crewCodes[1]!);
    expect(next.verdict).toBe('DENY');
    expect(next.reasons).toContain('POSITIVE_OR_CONTACT');
    expect(propagationMs).toBeLessThanOrEqual(2 * interval);
  });
});
