import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeWorld, type World } from './fixtures.js';

const HOUR = 3_600_000;
const ID = '079123456001';

describe('health staff: one record edited, its history, search by name or phone, a printable code with its validity', () => {
  let w: World;
  beforeEach(async () => {
    w = await makeWorld();
    const now = w.clock();
    await w.app.healthData.apply({ username: 'nhap' }, [
      { kind: 'declaration', citizenId: ID, name: 'Võ Thị Thu Trang', phone: '0912 345 678', declaredAt: now - 2 * HOUR, originZone: '79-760', doses: 1 },
      { kind: 'test', citizenId: ID, name: null, phone: null, test: { type: 'RAPID_ANTIGEN', result: 'NEGATIVE', sampledAt: now - 10 * HOUR } },
      { kind: 'declaration', citizenId: '079123456002', name: 'Đỗ Văn Nam', phone: '0987000111', declaredAt: now - HOUR, originZone: '79', doses: 2 },
    ]);
  });
  afterEach(async () => w.app.close());

  const get = (url: string, who = w.health) => w.app.inject({ url, headers: who.headers });
  const patch = (payload: object) => w.app.inject({ method: 'PATCH', url: `/api/v1/people/${ID}`, headers: w.health.headers, payload });

  it('edits doses and status with a reason (refused without one, naming the field), and the history lists tests, doses and the edit with who and why', async () => {
    const refused = await patch({ changes: { doses: 2 } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().fields).toEqual([expect.objectContaining({ field: 'reason', messageVi: 'Lý do: cần ghi lý do sửa hồ sơ' })]);
    expect((await patch({ changes: {}, reason: 'x' })).statusCode).toBe(400);

    w.clock.advance(60_000);
    const edited = await patch({ changes: { doses: 2, phone: '0912999888' }, reason: 'Bổ sung mũi 2 theo sổ tiêm chủng' });
    expect(edited.statusCode).toBe(200);
    expect(edited.json()).toMatchObject({ doses: 2, phone: '0912999888', name: 'Võ Thị Thu Trang', updatedBy: w.health.username });
    // the edit reaches stations like any health change
    const item = (await w.app.database.client.get<{ item: string }>('SELECT item FROM people WHERE citizen_id = ?', [ID]))!;
    expect(JSON.parse(item.item)).toMatchObject({ doses: 2 });

    const history = (await get(`/api/v1/people/${ID}/history`)).json() as { kind: string; change: Record<string, unknown>; byUser: string; reason: string }[];
    expect(history.map((c) => c.kind)).toEqual(['edit', 'test', 'declaration']);
    expect(history[0]).toMatchObject({ change: { doses: 2, phone: '0912999888' }, byUser: w.health.username, reason: 'Bổ sung mũi 2 theo sổ tiêm chủng' });
    expect(history[1]!.change).toMatchObject({ test: { type: 'RAPID_ANTIGEN', result: 'NEGATIVE' } });
    expect(history[2]!.change).toMatchObject({ doses: 1 });

    const log = await w.app.accessLog.list(w.admin, { subjectType: 'person', limit: 100, offset: 0 });
    expect(log.items.map((e) => e.action)).toEqual(expect.arrayContaining(['person.edit', 'person.history']));
    expect((await get(`/api/v1/people/${ID}/history`, w.command)).statusCode).toBe(403);
    expect((await get('/api/v1/people/079999999999/history')).statusCode).toBe(404);
  });

  it('finds people by part of a name or a phone number', async () => {
    const ids = async (q: string) => ((await get(`/api/v1/people?q=${encodeURIComponent(q)}`)).json() as { items: { citizenId: string }[] }).items.map((p) => p.citizenId);
    expect(await ids('Thu Trang')).toEqual([ID]);
    expect(await ids('Văn Nam')).toEqual(['079123456002']);
    expect(await ids('0912345678')).toEqual([ID]);
    expect(await ids('345 678')).toEqual([ID]);
    expect(await ids('0987')).toEqual(['079123456002']);
    expect(await ids('%%')).toEqual([]);
  });

  it('prints the health code with until when its negative test and its declaration hold under the policy', async () => {
    const res = await get(`/api/v1/people/${ID}/health-code/sheet`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    const policy = (await w.app.policy.current()).policy;
    const until = w.clock() - 10 * HOUR + policy.testValidityHours.RAPID_ANTIGEN * HOUR;
    const vn = new Date(until + 7 * HOUR).toISOString();
    const expected = `${vn.slice(8, 10)}/${vn.slice(5, 7)}/${vn.slice(0, 4)} ${vn.slice(11, 16)}`;
    expect(res.body).toContain(`Xét nghiệm có giá trị đến ${expected}`);
    expect(res.body).toContain('Võ Thị Thu Trang');
    expect(res.body).toContain('••••••••6001');
    expect(res.body).not.toContain(ID);
    expect(res.body).toContain('<svg');
  });
});
