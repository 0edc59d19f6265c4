import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKey } from '../../shared/codes/keys.js';
import { openPgServerDatabase, type PgServerDatabase } from '../../server/db/pg/database.js';
import { SqlPersonRepository } from '../../server/services/health/repository.js';
import { HealthDataService } from '../../server/services/health/service.js';
import { SqlPassRepository } from '../../server/services/passes/repository.js';
import { PassService, type Actor } from '../../server/services/passes/service.js';
import { pgUnavailableReason } from '../support/pg-cluster.js';
import { SqlChangeLog } from '../../server/services/feed/change-log.js';
import { usePostgres } from './use-postgres.js';

const skip = pgUnavailableReason();
const NOW = Date.UTC(2026, 10, 30, 1);
const DAY = 86_400_000;
const transport: Actor = { username: 'transport-79', role: 'transport', province: 79 };
const health = { username: 'yte-79' };

/** The passes' and people's SQL on PostgreSQL, through the services (what SQLite runs in test/server-issuing). */
describe.skipIf(skip)(`passes and health data on PostgreSQL${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const pg = usePostgres('issuing');
  let db: PgServerDatabase;
  let passes: PassService;
  let people: HealthDataService;

  beforeAll(async () => {
    db = await openPgServerDatabase(pg.url(), { max: 4 });
    const log = new SqlChangeLog(db.client);
    passes = new PassService({ repo: new SqlPassRepository(db.client, log), transportKey: () => ({ role: 'transport', province: 79, key: generateSigningKey() }), clock: () => NOW, defaultMaxStayHours: 24 });
    people = new HealthDataService({ repo: new SqlPersonRepository(db.client, log), healthKey: () => ({ role: 'health', province: 79, key: generateSigningKey() }), clock: () => NOW });
  });
  afterAll(async () => db?.close());

  it('issues, changes with reasons, searches case-insensitively by company, crew name, plate part or citizen id, and lists the history', async () => {
    const base = { goods: 0, originZone: '79-760', destinationZone: '74', routeCheckpoints: [1], routeProvinces: [] };
    const phuMy = await passes.create(transport, { ...base, plate: '61H-126.61', company: 'Công ty Phú Mỹ', validTo: NOW + 3 * DAY,
      crew: [{ citizenId: '079201000001', name: 'Lê Văn Khánh', phone: '0901234567' }, { citizenId: '079201000002', name: 'Trần Thị Phụ' }] });
    const other = await passes.create(transport, { ...base, plate: '49C-555.01', company: 'HTX Rau Đà Lạt', validTo: NOW + 30 * DAY,
      crew: [{ citizenId: '068301000002', name: 'Phạm Thị Hoa' }] });
    expect(phuMy.crew).toEqual([
      { citizenId: '079201000001', name: 'Lê Văn Khánh', phone: '0901234567', role: 'driver' },
      { citizenId: '079201000002', name: 'Trần Thị Phụ', phone: null, role: 'assistant' },
    ]);
    const amended = await passes.amend(transport, phuMy.passId, { routeCheckpoints: [1, 2] }, 'thêm chốt 2');
    expect(amended).toMatchObject({ version: 2, routeCheckpoints: [1, 2] });
    await passes.suspend(transport, other.passId, 'Kiểm tra lộ trình');
    expect(await passes.get(transport, phuMy.passId)).toEqual(amended);

    const ids = async (q: Parameters<PassService['search']>[1]) => (await passes.search(transport, q)).items.map((p) => p.passId);
    expect(await ids({ q: 'phú mỹ' })).toEqual([phuMy.passId]);
    expect(await ids({ q: 'thị hoa' })).toEqual([other.passId]);
    expect(await ids({ q: '126.61' })).toEqual([phuMy.passId]);
    expect(await ids({ q: '0683' })).toEqual([other.passId]);
    expect(await ids({ citizenId: '079201000002' })).toEqual([phuMy.passId]);
    expect(await ids({ status: 'SUSPENDED' })).toEqual([other.passId]);
    expect(await ids({ expiringDays: 7 })).toEqual([phuMy.passId]);
    expect(await ids({ sort: 'validTo', order: 'asc' })).toEqual([phuMy.passId, other.passId]);
    expect((await passes.search(transport, { limit: 1 })).total).toBe(2);
    expect(await passes.history(transport, phuMy.passId)).toEqual([
      { version: 1, action: 'create', reason: null, at: NOW, by: 'transport-79' },
      { version: 2, action: 'amend', reason: 'thêm chốt 2', at: NOW, by: 'transport-79' },
    ]);
  });

  it('imports health facts all or nothing, reads an unchanged row back as unchanged, finds people by name or phone, edits, signs and purges', async () => {
    const csv = [
      'citizenId,name,phone,declaredAt,originZone,doses',
      '079300000001,Nguyễn Văn An,090 111 2222,30/11/2026 07:30,79-760,2',
      '079300000002,Lê Thị Bình,,30/11/2026 07:45,79,1',
    ].join('\n');
    expect(await people.import(health, 'declarations', { csv })).toEqual({ imported: 2, changed: 2 });
    const test = { kind: 'test' as const, citizenId: '079300000001', name: null, phone: null, test: { type: 'RT_PCR' as const, result: 'NEGATIVE' as const, sampledAt: NOW - DAY } };
    expect(await people.apply(health, [test])).toEqual({ changed: 1 });
    // jsonb gives the test back with its keys reordered: the same facts again are still no change
    expect(await people.apply(health, [test])).toEqual({ changed: 0 });
    await expect(people.import(health, 'declarations', { csv: 'citizenId,name,declaredAt,originZone\n079300000003,Ai Đó,30/11/2026 07:30,79\n079300000004,,30/11/2026,79' }))
      .rejects.toMatchObject({ code: 'IMPORT_REJECTED' });
    expect((await people.list({})).items.map((p) => p.citizenId)).toEqual(['079300000001', '079300000002']);

    expect((await people.list({ text: 'nguyễn văn' })).items.map((p) => p.citizenId)).toEqual(['079300000001']);
    expect((await people.list({ text: '1112222' })).items.map((p) => p.citizenId)).toEqual(['079300000001']);
    const edited = await people.edit(health, '079300000002', { status: 'F1' }, 'Tiếp xúc gần');
    expect(edited).toMatchObject({ status: 'F1', statusAsOf: NOW });
    expect((await people.list({ status: 'F1' })).items.map((p) => p.citizenId)).toEqual(['079300000002']);
    expect((await people.history('079300000002')).map((c) => [c.kind, c.reason])).toEqual([['edit', 'Tiếp xúc gần'], ['declaration', 'Nhập tệp khai báo y tế']]);
    const { body } = await people.healthCode('079300000001');
    expect(body).toMatchObject({ citizenId: '079300000001', test: test.test, doses: 2 });

    await people.remove(health, '079300000002');
    await expect(people.get('079300000002')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(await people.history('079300000002')).toEqual([]);
  });
});
