/**
 * Reason codes: stable strings that travel in journals, uploads and reports.
 * Each has Vietnamese (first) and English text for the officer's screen.
 */
export const REASONS = {
  UNREADABLE: { vi: 'Không đọc được mã', en: 'Code could not be read' },
  SYMBOLOGY_NOT_ALLOWED: { vi: 'Loại mã vạch không được chấp nhận', en: 'Barcode symbology not accepted' },
  UNKNOWN_FORMAT: { vi: 'Mã không đúng định dạng', en: 'Unknown code format' },
  BAD_SIGNATURE: { vi: 'Chữ ký số không hợp lệ (mã giả hoặc bị sửa)', en: 'Invalid signature (forged or altered code)' },
  UNTRUSTED_KEY: { vi: 'Khóa ký không được tin cậy', en: 'Signing key not trusted' },
  NOT_IN_WHITELIST: { vi: 'Không có trong danh sách được phép', en: 'Not in the whitelist' },
  REVOKED: { vi: 'Giấy phép đã bị thu hồi', en: 'Pass revoked' },
  SUSPENDED: { vi: 'Giấy phép đang bị tạm dừng', en: 'Pass suspended' },
  PASS_SUPERSEDED: { vi: 'Mã cũ, đã được cấp lại phiên bản mới', en: 'Old code: a newer version was issued' },
  NOT_YET_VALID: { vi: 'Chưa đến thời hạn hiệu lực', en: 'Not yet valid' },
  EXPIRED: { vi: 'Đã hết hạn', en: 'Expired' },
  ROUTE_NOT_ALLOWED: { vi: 'Không đúng lộ trình đăng ký', en: 'Not on the registered route' },
  DIRECTION_NOT_ALLOWED: { vi: 'Không được phép đi theo chiều này', en: 'Not allowed in this direction' },
  PERSON_NOT_ON_PASS: { vi: 'Người không có tên trên giấy phép', en: 'Person is not on the pass' },
  DRIVER_NOT_SCANNED: { vi: 'Chưa quét mã của lái xe', en: 'Driver was not scanned' },
  HEALTH_DECLARATION_MISSING: { vi: 'Chưa khai báo y tế', en: 'No health declaration' },
  HEALTH_DECLARATION_STALE: { vi: 'Khai báo y tế đã quá hạn', en: 'Health declaration too old' },
  TEST_REQUIRED: { vi: 'Cần có kết quả xét nghiệm âm tính', en: 'Negative test required' },
  TEST_EXPIRED: { vi: 'Kết quả xét nghiệm đã quá hạn', en: 'Test result too old' },
  POSITIVE_OR_CONTACT: { vi: 'F0/F1 hoặc xét nghiệm dương tính', en: 'Positive case, close contact or positive test' },
  ORIGIN_ZONE_RESTRICTED: { vi: 'Đến từ vùng bị hạn chế', en: 'Coming from a restricted zone' },
  ALREADY_INSIDE: { vi: 'Đã vào mà chưa ra', en: 'Already inside (entered, never left)' },
  NOT_INSIDE: { vi: 'Ra mà không có lượt vào', en: 'Exit without an entry' },
  CACHE_STALE: { vi: 'Dữ liệu tại chốt đã cũ, cần đồng bộ', en: 'Local data is stale' },
  DUPLICATE_READ: { vi: 'Mã đã được quét', en: 'Code already scanned' },
  OFFICER_OVERRIDE: { vi: 'Cán bộ quyết định thủ công', en: 'Officer override' },
} as const satisfies Record<string, { vi: string; en: string }>;

export type ReasonCode = keyof typeof REASONS;
export const REASON_CODES = Object.keys(REASONS) as ReasonCode[];

export type Verdict = 'ALLOW' | 'DENY' | 'REVIEW';
/** `INFO` reasons explain a verdict without changing it. */
export type Severity = Verdict | 'INFO';

export function reasonText(code: ReasonCode, lang: 'vi' | 'en' = 'vi'): string {
  return REASONS[code][lang];
}

const RANK: Record<Verdict, number> = { ALLOW: 0, REVIEW: 1, DENY: 2 };

export function worstVerdict(...verdicts: Verdict[]): Verdict {
  let worst: Verdict = 'ALLOW';
  for (const v of verdicts) if (RANK[v] > RANK[worst]) worst = v;
  return worst;
}
