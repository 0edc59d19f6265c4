import type { FastifySchemaValidationError } from 'fastify/types/schema.js';

/**
 * Schema validation failures in words for people: each failing field by its Vietnamese name with what
 * it needs ("Biển số: viết như 51C-123.45"), in both languages. The raw validator text (paths,
 * regexes) stays out of the messages; it is kept under `detail` for developers.
 */
export interface FieldError {
  /** the field's path in the request, e.g. "body/crew/0/citizenId" */
  field: string;
  message: string;
  messageVi: string;
}

const LABELS: Record<string, [string, string]> = {
  plate: ['Biển số', 'Plate'], citizenId: ['Số CCCD', 'Citizen ID'], passId: ['Số giấy phép', 'Pass no.'],
  checkpointId: ['Mã chốt', 'Checkpoint'], stationId: ['Mã trạm', 'Station id'], lane: ['Làn', 'Lane'], direction: ['Chiều', 'Direction'],
  verdict: ['Kết quả', 'Verdict'], reason: ['Lý do', 'Reason'], from: ['Từ ngày', 'From'], to: ['Đến ngày', 'To'],
  password: ['Mật khẩu', 'Password'], username: ['Tên đăng nhập', 'Username'], displayName: ['Họ tên hiển thị', 'Display name'],
  role: ['Vai trò', 'Role'], province: ['Tỉnh/thành phố', 'Province'], name: ['Họ và tên', 'Full name'], phone: ['Số điện thoại', 'Phone'],
  company: ['Doanh nghiệp', 'Company'], goods: ['Hàng hóa', 'Goods'], crew: ['Người trên xe', 'Crew'], originZone: ['Vùng xuất phát', 'Origin zone'],
  destinationZone: ['Vùng đến', 'Destination zone'], routeCheckpoints: ['Các chốt trên lộ trình', 'Route checkpoints'],
  routeProvinces: ['Các tỉnh trên lộ trình', 'Route provinces'], validFrom: ['Hiệu lực từ', 'Valid from'], validTo: ['Hiệu lực đến', 'Valid to'],
  maxStayHours: ['Thời gian lưu lại tối đa', 'Maximum stay'], permittedStops: ['Điểm xếp dỡ', 'Permitted stops'], zone: ['Vùng', 'Zone'],
  level: ['Cấp độ dịch', 'Epidemic level'], windowMinutes: ['Số phút', 'Minutes'], limit: ['Số dòng', 'Rows'], offset: ['Vị trí', 'Offset'],
  status: ['Phân loại', 'Status'], statusAsOf: ['Ngày phân loại', 'Status date'], testType: ['Loại xét nghiệm', 'Test type'],
  result: ['Kết quả xét nghiệm', 'Test result'], sampledAt: ['Ngày lấy mẫu', 'Sample date'], declaredAt: ['Ngày khai báo', 'Declared on'],
  doses: ['Số mũi tiêm', 'Vaccine doses'], note: ['Ghi chú', 'Note'], disabled: ['Khóa tài khoản', 'Disabled'],
  checkpointName: ['Tên chốt', 'Checkpoint name'], subjectType: ['Loại đối tượng', 'Subject type'], subjectId: ['Đối tượng', 'Subject'],
  changes: ['Nội dung sửa', 'Changes'], contacts: ['Người tiếp xúc', 'Contacts'], url: ['Địa chỉ', 'Address'], secret: ['Khóa bí mật', 'Secret'],
  destinationCommune: ['Xã/phường đến', 'Destination commune'], address: ['Địa chỉ', 'Address'], day: ['Ngày', 'Day'],
  district: ['Quận/huyện', 'District'], commune: ['Xã/phường', 'Commune'], outcome: ['Kết quả liên hệ', 'Follow-up'],
  hours: ['Số giờ', 'Hours'], days: ['Số ngày', 'Days'], show: ['Hiển thị', 'Show'],
};

/** What a pattern asks for, by field name. */
const FORMATS: Record<string, [string, string]> = {
  plate: ['viết như 51C-123.45 hoặc 29LD-012.34', 'write it like 51C-123.45 or 29LD-012.34'],
  citizenId: ['gồm 12 chữ số (hoặc CMND 9 chữ số)', '12 digits (or 9 for an old ID card)'],
  phone: ['chỉ gồm chữ số, 6 đến 20 ký tự', 'digits only, 6 to 20 characters'],
  originZone: ['mã tỉnh 2 chữ số, có thể kèm mã huyện: 79 hoặc 79-760', 'a 2-digit province code, optionally with a district: 79 or 79-760'],
  destinationZone: ['mã tỉnh 2 chữ số, có thể kèm mã huyện: 79 hoặc 79-760', 'a 2-digit province code, optionally with a district: 79 or 79-760'],
  district: ['mã quận/huyện gồm 3 chữ số, ví dụ 760', 'a 3-digit district code, e.g. 760'],
  commune: ['mã xã/phường gồm 5 chữ số, ví dụ 26734', 'a 5-digit commune code, e.g. 26734'],
  zone: ['mã tỉnh 2 chữ số, có thể kèm mã huyện: 79 hoặc 79-760', 'a 2-digit province code, optionally with a district: 79 or 79-760'],
  username: ['chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới', 'letters, digits, dot, dash or underscore only'],
  stationId: ['chỉ gồm chữ không dấu, chữ số, dấu chấm, gạch ngang hoặc gạch dưới', 'letters, digits, dot, dash or underscore only'],
};

const TYPES: Record<string, [string, string]> = {
  integer: ['một số nguyên', 'a whole number'], number: ['một số', 'a number'], string: ['chữ', 'text'], boolean: ['có/không', 'yes/no'],
  array: ['một danh sách', 'a list'], object: ['một nhóm thông tin', 'a group of fields'], null: ['để trống', 'empty'],
};

function fieldName(e: FastifySchemaValidationError): string {
  const parts = e.instancePath.split('/').filter(Boolean);
  const missing = (e.params as { missingProperty?: string }).missingProperty;
  if (e.keyword === 'required' && missing) parts.push(missing);
  const extra = (e.params as { additionalProperty?: string }).additionalProperty;
  if (e.keyword === 'additionalProperties' && extra) parts.push(extra);
  return parts.join('/');
}

/** A table entry by a name that came from the request: never an inherited property ("constructor"). */
function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

/** A field's label, Vietnamese and English, from its path (crew/1/citizenId → "Số CCCD (dòng 2)"). */
export function labelOf(path: string): [string, string] {
  const parts = path.split('/');
  const last = [...parts].reverse().find((p) => !/^\d+$/.test(p)) ?? '';
  const label = own(LABELS, last) ?? [last || 'Dữ liệu', last || 'Data'];
  // crew/1/citizenId → "Số CCCD (người thứ 2)"
  const index = parts.find((p) => /^\d+$/.test(p));
  return index === undefined ? label : [`${label[0]} (dòng ${Number(index) + 1})`, `${label[1]} (item ${Number(index) + 1})`];
}

function need(e: FastifySchemaValidationError, last: string): [string, string] {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required': return ['cần nhập', 'is required'];
    case 'minLength': return Number(p.limit) <= 1 ? ['cần nhập', 'is required'] : [`cần ít nhất ${p.limit} ký tự`, `needs at least ${p.limit} characters`];
    case 'maxLength': return [`không quá ${p.limit} ký tự`, `at most ${p.limit} characters`];
    case 'pattern': case 'format': {
      const f = own(FORMATS, last);
      return f ? [`không đúng định dạng: ${f[0]}`, `not in the expected form: ${f[1]}`] : ['không đúng định dạng', 'not in the expected form'];
    }
    case 'minimum': case 'exclusiveMinimum': return [`không được nhỏ hơn ${p.limit}`, `must be at least ${p.limit}`];
    case 'maximum': case 'exclusiveMaximum': return [`không được lớn hơn ${p.limit}`, `must be at most ${p.limit}`];
    case 'type': {
      const t = own(TYPES, String(p.type).split(',')[0] ?? '') ?? ['giá trị khác', 'another value'];
      return [`phải là ${t[0]}`, `must be ${t[1]}`];
    }
    case 'minItems': return [`cần ít nhất ${p.limit} mục`, `needs at least ${p.limit} items`];
    case 'maxItems': return [`không quá ${p.limit} mục`, `at most ${p.limit} items`];
    case 'additionalProperties': return ['không được phép gửi trường này', 'is not an accepted field'];
    default: return ['giá trị không được chấp nhận', 'is not an accepted value'];
  }
}

function rank(e: FastifySchemaValidationError): number {
  if (e.keyword === 'anyOf' || e.keyword === 'oneOf') return 3;
  if (e.keyword === 'type') return (e.params as { type?: string }).type === 'null' ? 2 : 1;
  return 0;
}

export function describeValidation(errors: readonly FastifySchemaValidationError[], context: string): { fields: FieldError[]; message: string; messageVi: string } {
  // one message per field, from its most telling failure: in a union such as [Null, String] the
  // validator reports "must be null" before "too long", and the length is what the person must fix
  const best = new Map<string, FastifySchemaValidationError>();
  for (const e of errors) {
    const path = fieldName(e);
    const current = best.get(path);
    if (!current || rank(e) < rank(current)) best.set(path, e);
  }
  const seen = new Map<string, FieldError>();
  for (const [path, e] of best) {
    const last = path.split('/').filter((p) => !/^\d+$/.test(p)).pop() ?? '';
    const [labelVi, labelEn] = labelOf(path);
    const [vi, en] = need(e, last);
    seen.set(path, { field: `${context}/${path}`.replace(/\/$/, ''), messageVi: `${labelVi}: ${vi}`, message: `${labelEn}: ${en}` });
  }
  const fields = [...seen.values()];
  return {
    fields,
    messageVi: fields.length ? fields.map((f) => f.messageVi).join('; ') : 'Dữ liệu gửi lên không hợp lệ',
    message: fields.length ? fields.map((f) => f.message).join('; ') : 'The request is not valid',
  };
}
