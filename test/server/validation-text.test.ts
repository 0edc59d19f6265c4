import { describe, expect, it } from 'vitest';
import { describeValidation } from '../../server/plugins/validation-text.js';

const err = (keyword: string, instancePath: string, params: Record<string, unknown>) =>
  ({ keyword, instancePath, schemaPath: '', params, message: 'developer text' });

describe('validation errors in words', () => {
  it('names each field in Vietnamese with what it needs, and keeps the path for programs', () => {
    const r = describeValidation([
      err('pattern', '/plate', { pattern: '^[0-9]{2}…$' }),
      err('minLength', '/password', { limit: 8 }),
      err('pattern', '/crew/1/citizenId', { pattern: '^\\d{12}$' }),
      err('required', '', { missingProperty: 'originZone' }),
      err('maximum', '/windowMinutes', { limit: 240 }),
    ], 'body');
    expect(r.fields.map((f) => f.field)).toEqual(['body/plate', 'body/password', 'body/crew/1/citizenId', 'body/originZone', 'body/windowMinutes']);
    expect(r.fields.map((f) => f.messageVi)).toEqual([
      'Biển số: không đúng định dạng: viết như 51C-123.45 hoặc 29LD-012.34',
      'Mật khẩu: cần ít nhất 8 ký tự',
      'Số CCCD (dòng 2): không đúng định dạng: gồm 12 chữ số (hoặc CMND 9 chữ số)',
      'Vùng xuất phát: cần nhập',
      'Số phút: không được lớn hơn 240',
    ]);
    expect(r.messageVi).not.toMatch(/must|pattern|\^|\$|body\//);
    expect(r.message).toContain('Plate: not in the expected form');
  });
});
