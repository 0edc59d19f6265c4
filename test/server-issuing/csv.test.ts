import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { CsvSyntaxError, parseCsv, parseCsvWithHeader } from '../../server/services/csv-import/csv.js';
import { RowCells, RowInvalidError } from '../../server/services/csv-import/cells.js';

describe('RFC 4180 CSV reader', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, CRLF or LF, and a BOM', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, y","say ""hi"""\r\n2,"two\nlines",\n\n3,,z';
    expect(parseCsv(text)).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'two\nlines', ''] },
      { line: 6, fields: ['3', '', 'z'] },
    ]);
  });

  it('reports malformed input with its line instead of guessing', () => {
    expect(() => parseCsv('a,b\n1,"open')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b\n1,"x"y')).toThrow(/line 2: unexpected character after a closing quote/);
    expect(() => parseCsv('a\nx"y')).toThrow(/line 2: a quote inside an unquoted field/);
    expect(() => parseCsv('a\n' + 'x'.repeat(3000))).toThrow(/longer than/);
  });

  it('maps rows to columns and flags a wrong field count per row', () => {
    const rows = parseCsvWithHeader('id, name\n1,An\n2\n3,Ba', { required: ['id', 'name'], optional: [] });
    expect(rows).toEqual([
      { line: 2, values: { id: '1', name: 'An' } },
      { line: 3, error: 'expected 2 fields, found 1', errorVi: 'cần 2 ô, có 1' },
      { line: 4, values: { id: '3', name: 'Ba' } },
    ]);
    expect(() => parseCsvWithHeader('id,nope\n1,2', { required: ['id'], optional: [] })).toThrow(/unknown column\(s\): nope/);
    expect(() => parseCsvWithHeader('name\nx', { required: ['id', 'name'], optional: [] })).toThrow(/missing column\(s\): id/);
  });

  it('round-trips any table written with RFC 4180 quoting', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'ă', ',', '"', '\n', '\r\n', ' ', '1') , maxLength: 8 });
    fc.assert(fc.property(fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 10 }), (table) => {
      const text = table.map((r) => r.map((c) => `"${c.replace(/"/g, '""')}"`).join(',')).join('\r\n');
      expect(parseCsv(text).map((r) => r.fields)).toEqual(table);
    }));
  });

  it('reads times as dd/mm/yyyy, ISO 8601 or ms, in Vietnam time when no offset is given', () => {
    const time = (text: string): number | string => {
      const c = new RowCells({ t: text }, { t: 'Ngày lấy mẫu' });
      const v = c.time('t', true);
      return c.errors[0]?.messageVi ?? v;
    };
    expect(time('2021-09-01T08:00:00+07:00')).toBe(Date.UTC(2021, 8, 1, 1));
    expect(time('2021-09-01 08:00')).toBe(Date.UTC(2021, 8, 1, 1));
    expect(time('01/09/2021 08:00')).toBe(Date.UTC(2021, 8, 1, 1));
    expect(time('2021-09-01')).toBe(Date.UTC(2021, 7, 31, 17));
    expect(time('1/9/2021')).toBe(Date.UTC(2021, 7, 31, 17));
    expect(time('1630458000000')).toBe(1630458000000);
    expect(time('30/02/2021')).toMatch(/^Ngày lấy mẫu: "30\/02\/2021" không phải ngày giờ hợp lệ/);
    expect(time('')).toBe('Ngày lấy mẫu: cần nhập');
  });

  it('a row reports every bad cell, each in Vietnamese by its column name', () => {
    const c = new RowCells({ plate: 'XYZ', n: '12a', k: 'Dương', d: '31/13/2021' }, { plate: 'Biển số', n: 'Số mũi tiêm', k: 'Kết quả', d: 'Ngày' });
    c.matching('plate', /^\d{2}[A-Z]-\d{3}\.\d{2}$/, ['viết như 51C-123.45', 'like 51C-123.45'], true);
    c.int('n', 0, 10);
    c.choice('k', [{ value: 'NEGATIVE', words: ['Âm tính'] }, { value: 'POSITIVE', words: ['Dương tính'] }], true, 'NEGATIVE');
    c.time('d');
    expect(c.errors.map((e) => e.messageVi)).toEqual([
      'Biển số: "XYZ" không đúng: viết như 51C-123.45',
      'Số mũi tiêm: "12a" phải là số nguyên từ 0 đến 10',
      'Kết quả: "Dương" không nằm trong danh sách: Âm tính, Dương tính',
      'Ngày: "31/13/2021" không phải ngày giờ hợp lệ (viết dd/mm/yyyy hoặc dd/mm/yyyy HH:mm, giờ Việt Nam)',
    ]);
    expect(() => c.done()).toThrow(RowInvalidError);
  });
});
