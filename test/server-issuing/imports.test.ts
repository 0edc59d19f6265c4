import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readCode } from '../../shared/codes/read-code.js';
import { decodeQrPng, fetchTrust, makeWorld, type World } from './fixtures.js';

const PASS_HEADER = 'plate,company,goods,driverId,driverName,driverPhone,assistant1Id,assistant1Name,originZone,destinationZone,routeCheckpoints,routeProvinces,permittedStops,validFrom,validTo,direction';
const goodRow = (n: number) =>
  `51C-${200 + n}.11,"Công ty ""Bình An"", chi nhánh ${n}",1,07920000${String(n).padStart(4, '0')},Nguyễn Văn ${n},0901000${String(n).padStart(3, '0')},07930000${String(n).padStart(4, '0')},Lê Thị ${n},79-760,74,1;2,74,"Kho A\nKho B",2021-09-01 06:00,,both`;

describe('bulk imports', () => {
  let w: World;
  beforeEach(async () => (w = await makeWorld()));
  afterEach(async () => w.app.close());

  const importPasses = (csv: string, headers = w.transport.headers) =>
    w.app.inject({ method: 'POST', url: '/api/v1/passes/import', headers: { ...headers, 'content-type': 'text/csv' }, payload: csv });
  const passCount = async () => (await w.app.database.client.get<{ n: number }>('SELECT count(*) AS n FROM passes'))!.n;
  // Changes about passes (the first import also creates the province's transport key: a trust list change).
  const changeCount = async () => (await w.app.database.client.get<{ n: number }>("SELECT count(*) AS n FROM changes WHERE entity = 'pass'"))!.n;

  it('a good pass file imports every row in one go, each with a verifiable code', async () => {
    const csv = [PASS_HEADER, goodRow(1), goodRow(2), goodRow(3)].join('\r\n') + '\r\n';
    const res = await importPasses(csv);
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({ imported: 3, passIds: [1, 2, 3] });
    const p = (await w.app.inject({ url: '/api/v1/passes/2', headers: w.transport.headers })).json();
    expect(p).toMatchObject({
      plate: '51C-202.11', company: 'Công ty "Bình An", chi nhánh 2', goods: 1, permittedStops: 'Kho A\nKho B',
      validFrom: Date.UTC(2021, 7, 31, 23), validTo: null, routeCheckpoints: [1, 2], routeProvinces: [74],
      crew: [{ citizenId: '079200000002', name: 'Nguyễn Văn 2', phone: '0901000002', role: 'driver' }, { citizenId: '079300000002', name: 'Lê Thị 2', phone: null, role: 'assistant' }],
    });
    expect(readCode(p.code, await fetchTrust(w.app), w.clock())).toMatchObject({ ok: true });
  });

  it('a pass file with one bad row imports nothing and names the row and its line', async () => {
    const before = { passes: await passCount(), changes: await changeCount() };
    // Row 2 spans two lines (quoted line break), so row 3 starts on line 5; its plate is wrong.
    const bad = goodRow(3).replace('51C-203.11', 'XYZ');
    const csv = [PASS_HEADER, goodRow(1), goodRow(2), bad, goodRow(4)].join('\n');
    const res = await importPasses(csv);
    expect(res.statusCode).toBe(422);
    const body = res.json();
    expect(body.code).toBe('IMPORT_REJECTED');
    expect(body.imported).toBe(0);
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0]).toMatchObject({ row: 3, line: 6 });
    expect(body.rows[0].message).toMatch(/plate/);
    expect({ passes: await passCount(), changes: await changeCount() }).toEqual(before);
  });

  it('reports every bad row at once, including rows only the service can judge (validity order)', async () => {
    const reversed = goodRow(2).replace('2021-09-01 06:00,,', '2021-09-01 06:00,2021-08-01,');
    const shortRow = '51C-999.99,x';
    const csv = [PASS_HEADER, goodRow(1), reversed, shortRow].join('\n');
    const res = await importPasses(csv);
    expect(res.statusCode).toBe(422);
    // Both the unreadable row and the one only the service can judge are reported, in file order.
    expect(res.json().rows).toEqual([
      expect.objectContaining({ row: 2, line: 4, message: expect.stringMatching(/validTo must be after validFrom/) }),
      { row: 3, line: 6, message: 'expected 16 fields, found 2', messageVi: 'cần 16 ô, có 2' },
    ]);
    expect(await passCount()).toBe(0);
    // Now only the service-level error remains: still nothing is imported.
    const res2 = await importPasses([PASS_HEADER, goodRow(1), reversed].join('\n'));
    expect(res2.statusCode).toBe(422);
    expect(res2.json().rows).toEqual([expect.objectContaining({ row: 2, line: 4, message: expect.stringMatching(/validTo must be after validFrom/) })]);
    expect(await passCount()).toBe(0);
  });

  it('a row with three errors reports all three in Vietnamese; Vietnamese headers, words and dd/mm/yyyy dates are read', async () => {
    const header = 'Biển số,Loại hàng hóa,Số CCCD lái xe,Họ tên lái xe,Vùng đi,Vùng đến,Các chốt trên lộ trình,Hiệu lực từ,Hiệu lực đến,Chiều được phép';
    const good = '51C-301.01,"Thuốc, vật tư y tế",079300000001,Ngô Văn Tâm,79-760,80,1;2,30/11/2026 08:00,07/12/2026,Vào';
    const bad = 'BIỂN SAI,"Thuốc, vật tư y tế",12345,Ngô Văn Tâm,79-760,80,1;2,31/11/2026,,Vào';
    const res = await importPasses(`\uFEFF${header}\n${good}\n${bad}`);
    expect(res.statusCode).toBe(422);
    const [row] = res.json().rows as { row: number; messageVi: string; errors: { column: string; messageVi: string }[] }[];
    expect(row!.row).toBe(2);
    expect(row!.errors.map((e) => e.column)).toEqual(['driverId', 'plate', 'validFrom']);
    expect(row!.errors.map((e) => e.messageVi)).toEqual([
      'Số CCCD lái xe: "12345" không đúng: gồm 12 chữ số (hoặc CMND 9 chữ số)',
      'Biển số: "BIỂN SAI" không đúng: viết như 51C-123.45',
      'Hiệu lực từ: "31/11/2026" không phải ngày giờ hợp lệ (viết dd/mm/yyyy hoặc dd/mm/yyyy HH:mm, giờ Việt Nam)',
    ]);
    expect(await passCount()).toBe(0);

    const ok = await importPasses(`${header}\n${good}`);
    expect(ok.statusCode, ok.body).toBe(201);
    const [pass] = (await w.app.passes.search({ username: 'x', role: 'admin', province: 79 }, { limit: 5 })).items;
    expect(pass).toMatchObject({ plate: '51C-301.01', goods: 1, direction: 'entry', validFrom: Date.parse('2026-11-30T08:00:00+07:00'), validTo: Date.parse('2026-12-07T00:00:00+07:00') });
  });

  it('rejects unreadable CSV and unknown columns with the line, and non-issuers with 403', async () => {
    const broken = await importPasses(`${PASS_HEADER}\n"unterminated`);
    expect(broken.statusCode).toBe(422);
    expect(broken.json().rows[0]).toMatchObject({ line: 2 });
    const unknown = await importPasses('plate,colour\n51C-111.11,red');
    expect(unknown.statusCode).toBe(422);
    expect(unknown.json().rows[0].message).toMatch(/unknown column/);
    expect((await importPasses(`${PASS_HEADER}\n${goodRow(1)}`, w.health.headers)).statusCode).toBe(403);
  });

  it('health data: CSV and JSON imports, newer facts win, one bad row imports nothing', async () => {
    const h = { ...w.health.headers };
    const decl = 'citizenId,name,phone,declaredAt,originZone,doses\n079555000001,Phạm Văn Một,0912345678,2021-09-01 07:00,79-760,2\n079555000002,Võ Thị Hai,,2021-09-01T07:30:00+07:00,01,0\n';
    const r1 = await w.app.inject({ method: 'POST', url: '/api/v1/health/import/declarations', headers: { ...h, 'content-type': 'text/csv' }, payload: decl });
    expect(r1.statusCode).toBe(201);
    expect(r1.json()).toEqual({ imported: 2, changed: 2 });

    const tests = [
      { citizenId: '079555000001', testType: 'RT_PCR', result: 'NEGATIVE', sampledAt: '2021-09-01T06:00:00+07:00' },
      { citizenId: '079555000001', testType: 'RAPID_ANTIGEN', result: 'NEGATIVE', sampledAt: '2021-08-30T06:00:00+07:00' },
    ];
    const r2 = await w.app.inject({ method: 'POST', url: '/api/v1/health/import/tests', headers: h, payload: tests });
    expect(r2.json()).toEqual({ imported: 2, changed: 1 });
    // A JSON import of exactly one row (ajv's array coercion once unwrapped it into a 400).
    const oneRow = await w.app.inject({ method: "POST", url: "/api/v1/health/import/tests", headers: h, payload: [{ ...tests[0], sampledAt: '2021-08-29T06:00:00+07:00' }] });
    expect(oneRow.statusCode).toBe(201);
    expect(oneRow.json()).toEqual({ imported: 1, changed: 0 }); // older than what is stored: accepted, changes nothing

    const flags = [
      { citizenId: '079555000002', status: 'F1', statusAsOf: Date.UTC(2021, 8, 1) },
      { citizenId: '079555000009', status: 'F0', statusAsOf: Date.UTC(2021, 8, 1) }, // unknown person, no name
      { citizenId: '12345', status: 'F0', statusAsOf: Date.UTC(2021, 8, 1) },
    ];
    const r3 = await w.app.inject({ method: 'POST', url: '/api/v1/health/import/flags', headers: h, payload: flags });
    expect(r3.statusCode).toBe(422);
    expect(r3.json().rows.map((r: { row: number }) => r.row)).toEqual([2, 3]);

    const one = (await w.app.inject({ url: '/api/v1/people/079555000001', headers: w.command.headers })).json();
    expect(one).toMatchObject({ name: 'Phạm Văn Một', doses: 2, originZone: '79-760', test: { type: 'RT_PCR', sampledAt: Date.UTC(2021, 7, 31, 23) }, status: 'NONE', statusAsOf: 0 });
    const two = (await w.app.inject({ url: '/api/v1/people/079555000002', headers: h })).json();
    expect(two.status).toBe('NONE');

    const log = await w.app.accessLog.list(w.admin, { subjectType: 'person', subjectId: '079555000001', limit: 10, offset: 0 });
    expect(log.items).toEqual([expect.objectContaining({ username: w.command.username, action: 'person.read' })]);
  });

  it("issues a person's health code that verifies with the trust list, as PNG too", async () => {
    await w.app.healthData.apply({ username: 'seed' }, [
      { kind: 'declaration', citizenId: '079555000003', name: 'Đặng Văn Ba', phone: null, declaredAt: w.clock() - 3_600_000, originZone: '79-760', doses: 1 },
      { kind: 'test', citizenId: '079555000003', name: null, phone: null, test: { type: 'RAPID_ANTIGEN', result: 'NEGATIVE', sampledAt: w.clock() - 7_200_000 } },
    ]);
    const res = await w.app.inject({ url: '/api/v1/people/079555000003/health-code', headers: w.health.headers });
    expect(res.statusCode).toBe(200);
    const read = readCode(res.json().code, await fetchTrust(w.app), w.clock());
    expect(read).toMatchObject({ ok: true, kind: 'health', health: { citizenId: '079555000003', doses: 1, status: 'NONE', test: { type: 'RAPID_ANTIGEN' } } });
    const png = await w.app.inject({ url: '/api/v1/people/079555000003/health-code.png', headers: w.health.headers });
    expect(decodeQrPng(png.rawPayload)).toBe(res.json().code);
    expect((await w.app.inject({ url: '/api/v1/people/079555000003/health-code', headers: w.transport.headers })).statusCode).toBe(403);
    expect((await w.app.inject({ url: '/api/v1/people/079555000404/health-code', headers: w.health.headers })).statusCode).toBe(404);
  });
});
