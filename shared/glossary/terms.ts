/**
 * One glossary of the words people see, Vietnamese first, English beside it. Every screen takes its
 * common terms from here (the server's web app loads it as /app/glossary.js; the station's screen can
 * serve the same module), so one thing has one name everywhere: a pass is "Giấy phép", a refusal is
 * "KHÔNG CHO QUA", a citizen id is "Số CCCD". Screen-specific sentences stay with their screens.
 */
export interface Term {
  readonly vi: string;
  readonly en: string;
}

const t = (vi: string, en: string): Term => ({ vi, en });

export const TERMS = {
  verdict: {
    ALLOW: t('CHO QUA', 'ALLOW'),
    DENY: t('KHÔNG CHO QUA', 'DENY'),
    REVIEW: t('CẦN KIỂM TRA', 'REVIEW'),
  },
  direction: { entry: t('Vào', 'Entry'), exit: t('Ra', 'Exit'), both: t('Cả hai chiều', 'Both ways') },
  passStatus: { ACTIVE: t('Còn hiệu lực', 'Active'), SUSPENDED: t('Tạm dừng', 'Suspended'), REVOKED: t('Đã thu hồi', 'Revoked') },
  healthStatus: { NONE: t('Bình thường', 'None'), F0: t('F0 (ca bệnh)', 'F0 (case)'), F1: t('F1 (tiếp xúc gần)', 'F1 (close contact)') },
  testType: { RT_PCR: t('Xét nghiệm RT-PCR', 'RT-PCR test'), RAPID_ANTIGEN: t('Test nhanh kháng nguyên', 'Rapid antigen test') },
  testResult: { NEGATIVE: t('Âm tính', 'Negative'), POSITIVE: t('Dương tính', 'Positive') },
  zoneLevel: {
    1: t('Cấp 1 – nguy cơ thấp (xanh)', 'Level 1 – low risk (green)'),
    2: t('Cấp 2 – nguy cơ trung bình (vàng)', 'Level 2 – medium risk (yellow)'),
    3: t('Cấp 3 – nguy cơ cao (cam)', 'Level 3 – high risk (orange)'),
    4: t('Cấp 4 – nguy cơ rất cao (đỏ)', 'Level 4 – very high risk (red)'),
  },
  antiPassback: {
    off: t('Không kiểm tra vào/ra lặp', 'Not checked'),
    soft: t('Cảnh báo khi vào/ra lặp', 'Warn on a repeated entry or exit'),
    hard: t('Không cho qua khi vào/ra lặp', 'Refuse a repeated entry or exit'),
  },
  crossingKind: { scan: t('Lượt quét', 'Scan'), crossing: t('Lượt qua chốt', 'Crossing'), override: t('Cán bộ xử lý thủ công', 'Officer override') },
  /** How a station closed a vehicle crossing (journal note `closedBy=<how>`). */
  closedBy: {
    complete: t('Đóng khi quét đủ người trên xe', 'Closed when everyone on board was scanned'),
    timeout: t('Đóng khi hết thời gian chờ', 'Closed when the window ran out'),
    'next-vehicle': t('Đóng khi xe sau quét', 'Closed by the next vehicle'),
    single: t('Lượt một người', 'Person-only crossing'),
    override: t('Đóng do cán bộ quyết định', 'Closed by an officer override'),
  },
  /** One stay of a vehicle in a province, as a trip shows it (server/services/audit/trip.ts). */
  tripLeg: {
    left: t('Đã vào và đã ra', 'Entered and left'),
    inside: t('Đang ở trong tỉnh', 'Still inside'),
    'exit-not-recorded': t('Không ghi nhận lúc ra (đã thấy vào tỉnh khác)', 'Exit not recorded (seen entering another province)'),
    'entry-not-recorded': t('Không ghi nhận lúc vào', 'Entry not recorded'),
  },
  /** What was done to a pass, as its history shows it. */
  passAction: {
    create: t('Cấp mới', 'Issued'), amend: t('Sửa (phiên bản mới)', 'Amended (new version)'), extend: t('Gia hạn', 'Extended'),
    suspend: t('Tạm dừng', 'Suspended'), reinstate: t('Khôi phục', 'Reinstated'), revoke: t('Thu hồi', 'Revoked'),
  },
  role: {
    admin: t('Quản trị', 'Administrator'),
    transport: t('Sở Giao thông vận tải', 'Transport department'),
    health: t('Y tế', 'Health'),
    command: t('Trung tâm chỉ huy', 'Command center'),
    officer: t('Cán bộ chốt', 'Checkpoint officer'),
    commune: t('Cán bộ xã/phường', 'Commune staff'),
  },
  /** How far a user's duty reaches (server/auth/scope.ts). */
  scopeLevel: {
    national: t('Toàn quốc (Trung ương)', 'National'),
    province: t('Tỉnh/thành phố', 'Province'),
    district: t('Quận/huyện', 'District'),
    commune: t('Xã/phường/thị trấn', 'Commune'),
  },
  /** A commune's follow-up of a person arrived from a risky zone (server/services/arrivals). */
  arrivalOutcome: {
    pending: t('Chưa xác nhận', 'Not confirmed yet'),
    monitored: t('Đã liên hệ, đang theo dõi', 'Contacted, being monitored'),
    'not-found': t('Không tìm thấy', 'Not found'),
  },
  /** What an access-log row is about. */
  subjectType: {
    person: t('Người', 'Person'), vehicle: t('Phương tiện', 'Vehicle'), pass: t('Giấy phép', 'Pass'), crossing: t('Lượt qua chốt', 'Crossing'),
    crossings: t('Lượt qua chốt', 'Crossings'), trace: t('Truy vết', 'Trace'), plate: t('Biển số', 'Plate'),
    health: t('Dữ liệu y tế', 'Health data'), report: t('Báo cáo', 'Report'), arrival: t('Người về địa phương', 'Arrival'),
    user: t('Tài khoản', 'User'), station: t('Trạm', 'Station'), accessLog: t('Nhật ký truy cập', 'Access log'),
  },
  word: {
    pass: t('Giấy phép', 'Pass'),
    passNo: t('Số giấy phép', 'Pass no.'),
    plate: t('Biển số', 'Plate'),
    citizenId: t('Số CCCD', 'Citizen ID'),
    name: t('Họ và tên', 'Full name'),
    phone: t('Số điện thoại', 'Phone'),
    driver: t('Lái xe', 'Driver'),
    assistant: t('Phụ xe', 'Assistant driver'),
    crew: t('Người trên xe', 'People on board'),
    company: t('Doanh nghiệp', 'Company'),
    goods: t('Hàng hóa', 'Goods'),
    route: t('Lộ trình', 'Route'),
    origin: t('Nơi đi', 'Origin'),
    destination: t('Nơi đến', 'Destination'),
    checkpoint: t('Chốt', 'Checkpoint'),
    lane: t('Làn', 'Lane'),
    station: t('Trạm', 'Station'),
    verdict: t('Kết quả', 'Verdict'),
    reasons: t('Lý do', 'Reasons'),
    time: t('Thời điểm', 'Time'),
    validity: t('Hiệu lực', 'Valid'),
    validFrom: t('Hiệu lực từ', 'Valid from'),
    validTo: t('Hiệu lực đến', 'Valid to'),
    untilNotice: t('Đến khi có thông báo mới', 'Until further notice'),
    province: t('Tỉnh/thành phố', 'Province'),
    district: t('Quận/huyện', 'District'),
    commune: t('Xã/phường', 'Commune'),
    zone: t('Vùng', 'Zone'),
    zoneLevel: t('Cấp độ dịch', 'Epidemic level'),
    healthStatus: t('Phân loại', 'Status'),
    test: t('Xét nghiệm', 'Test'),
    doses: t('Số mũi tiêm', 'Vaccine doses'),
    declaration: t('Khai báo y tế', 'Health declaration'),
    officer: t('Cán bộ', 'Officer'),
    note: t('Ghi chú', 'Note'),
    reason: t('Lý do', 'Reason'),
    vietnamTime: t('giờ Việt Nam', 'Vietnam time'),
    all: t('Tất cả', 'All'),
    none: t('Không có', 'None'),
    arrivals: t('Người về từ vùng dịch', 'Arrivals from risky zones'),
    address: t('Địa chỉ nơi đến', 'Destination address'),
    entry: t('Vào tỉnh', 'Entered'),
  },
} as const;

export type Lang = 'vi' | 'en';
