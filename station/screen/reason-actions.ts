import type { ReasonCode } from '../../shared/rules/reasons.js';

/**
 * What the officer does about each reason, in Vietnamese and English: a REVIEW must tell the officer
 * what to check, a DENY what to do with the vehicle or person.
 */
export const REASON_ACTIONS: Record<ReasonCode, { vi: string; en: string }> = {
  UNREADABLE: { vi: 'Quét lại; nếu vẫn không được, tra cứu theo biển số', en: 'Scan again; if it still fails, look the plate up' },
  SYMBOLOGY_NOT_ALLOWED: { vi: 'Quét mã QR trên giấy phép, không quét mã vạch khác', en: 'Scan the QR code on the pass, not another barcode' },
  UNKNOWN_FORMAT: { vi: 'Yêu cầu xuất trình mã QR giấy phép hoặc mã y tế', en: 'Ask for the pass QR code or the health code' },
  BAD_SIGNATURE: { vi: 'Giữ giấy tờ, cho xe quay đầu, báo cáo chỉ huy (nghi mã giả)', en: 'Keep the papers, turn the vehicle back, report to command (suspected forgery)' },
  UNTRUSTED_KEY: { vi: 'Cho xe quay đầu; báo kỹ thuật nếu lặp lại nhiều lần', en: 'Turn the vehicle back; call support if it keeps happening' },
  NOT_IN_WHITELIST: { vi: 'Cho xe quay đầu; hướng dẫn đăng ký giấy phép', en: 'Turn the vehicle back; explain how to register a pass' },
  REVOKED: { vi: 'Cho xe quay đầu', en: 'Turn the vehicle back' },
  SUSPENDED: { vi: 'Cho xe quay đầu; liên hệ Sở GTVT nếu tài xế khiếu nại', en: 'Turn the vehicle back; the transport department answers complaints' },
  PASS_SUPERSEDED: { vi: 'Yêu cầu mã mới nhất; nếu không có, cho xe quay đầu', en: 'Ask for the newest code; without it, turn the vehicle back' },
  NOT_YET_VALID: { vi: 'Cho xe quay đầu, chờ đến ngày hiệu lực', en: 'Turn the vehicle back until the pass is valid' },
  EXPIRED: { vi: 'Cho xe quay đầu; hướng dẫn gia hạn giấy phép', en: 'Turn the vehicle back; explain how to extend the pass' },
  ROUTE_NOT_ALLOWED: { vi: 'Cho xe quay đầu: chốt này không nằm trên lộ trình', en: 'Turn the vehicle back: this checkpoint is not on its route' },
  DIRECTION_NOT_ALLOWED: { vi: 'Cho xe quay đầu: không được đi chiều này', en: 'Turn the vehicle back: not allowed this way' },
  PERSON_NOT_ON_PASS: { vi: 'Người này xuống xe; đối chiếu CCCD với tên trên giấy phép', en: 'This person leaves the vehicle; compare the ID card with the names on the pass' },
  DRIVER_NOT_SCANNED: { vi: 'Quét mã y tế của lái xe và đối chiếu CCCD', en: "Scan the driver's health code and compare the ID card" },
  HEALTH_DECLARATION_MISSING: { vi: 'Yêu cầu khai báo y tế tại chốt', en: 'Have the person declare their health at the checkpoint' },
  HEALTH_DECLARATION_STALE: { vi: 'Yêu cầu khai báo y tế lại', en: 'Have the person declare their health again' },
  TEST_REQUIRED: { vi: 'Xét nghiệm nhanh tại chốt', en: 'Rapid test at the checkpoint' },
  TEST_EXPIRED: { vi: 'Xét nghiệm nhanh tại chốt', en: 'Rapid test at the checkpoint' },
  POSITIVE_OR_CONTACT: { vi: 'Không cho qua; đưa vào khu cách ly tạm, báo y tế', en: 'Do not let through; take to the holding area, call the health team' },
  ORIGIN_ZONE_RESTRICTED: { vi: 'Xét nghiệm nhanh tại chốt; làm theo hướng dẫn vùng cấp 4', en: 'Rapid test at the checkpoint; follow the level-4 zone rules' },
  ALREADY_INSIDE: { vi: 'Hỏi xe đã ra bằng đường nào; đối chiếu biển số', en: 'Ask how the vehicle left; compare the plate' },
  NOT_INSIDE: { vi: 'Hỏi xe đã vào bằng đường nào; ghi nhận', en: 'Ask how the vehicle came in; note it' },
  CACHE_STALE: { vi: 'Kiểm tra kỹ giấy tờ; báo kỹ thuật đồng bộ dữ liệu', en: 'Check the papers carefully; ask support to sync the data' },
  DUPLICATE_READ: { vi: 'Không cần làm gì', en: 'Nothing to do' },
  OFFICER_OVERRIDE: { vi: 'Theo quyết định của cán bộ', en: "As the officer decided" },
};
