// The screen's own words, Vietnamese first. Reason texts and goods come from the station (/api/meta),
// from the same tables the decisions use.

export const VERDICT_WORDS = {
  ALLOW: { vi: 'CHO QUA', en: 'ALLOW' },
  DENY: { vi: 'KHÔNG CHO QUA', en: 'DENY' },
  REVIEW: { vi: 'CẦN KIỂM TRA', en: 'REVIEW' },
  NONE: { vi: 'CHỜ QUÉT MÃ', en: 'WAITING FOR A SCAN' },
};

const T = {
  title: { vi: 'Chốt kiểm soát', en: 'Checkpoint' },
  checkpoint: { vi: 'Chốt', en: 'Checkpoint' },
  station: { vi: 'Trạm', en: 'Station' },
  lane: { vi: 'Làn', en: 'Lane' },
  allLanes: { vi: 'Tất cả các làn', en: 'All lanes' },
  langButton: { vi: 'English', en: 'Tiếng Việt' },
  soundOn: { vi: 'Âm thanh: bật', en: 'Sound: on' },
  soundOff: { vi: 'Âm thanh: tắt', en: 'Sound: off' },
  signIn: { vi: 'Đăng nhập', en: 'Sign in' },
  signOut: { vi: 'Đăng xuất', en: 'Sign out' },
  officerId: { vi: 'Mã cán bộ', en: 'Officer id' },
  pin: { vi: 'Mã PIN', en: 'PIN' },
  cancel: { vi: 'Hủy', en: 'Cancel' },
  signInTitle: { vi: 'Cán bộ đăng nhập', en: 'Officer sign-in' },
  BAD_CREDENTIALS: { vi: 'Sai mã cán bộ hoặc mã PIN', en: 'Wrong officer id or PIN' },
  LOCKED: { vi: 'Nhập sai quá nhiều lần, vui lòng chờ', en: 'Too many wrong PINs, please wait' },
  SIGN_IN_REQUIRED: { vi: 'Cần đăng nhập', en: 'Sign-in required' },
  NOTE_REQUIRED: { vi: 'Cần ghi lý do (ít nhất 3 ký tự)', en: 'A written reason is required (3 characters or more)' },
  NOT_SAVED: { vi: 'Chưa lưu được, hãy thử lại', en: 'Not saved, try again' },
  CROSSING_UNKNOWN: { vi: 'Lượt qua này không còn trên màn hình', en: 'This crossing is no longer on screen' },
  PASS_UNKNOWN: { vi: 'Không có giấy phép này trong dữ liệu trạm', en: 'Pass not in the station cache' },
  LANE_UNKNOWN: { vi: 'Làn không tồn tại', en: 'Unknown lane' },
  INVALID_REQUEST: { vi: 'Dữ liệu nhập không hợp lệ', en: 'Invalid input' },
  networkError: { vi: 'Không kết nối được với trạm', en: 'Cannot reach the station' },
  privacy: { vi: 'Đăng nhập để xem họ tên và số giấy tờ', en: 'Sign in to see names and ID numbers' },
  hidden: { vi: '(ẩn)', en: '(hidden)' },
  disconnected: { vi: 'Mất kết nối với trạm, đang kết nối lại…', en: 'Lost connection to the station, reconnecting…' },
  // verdict panel
  thisScan: { vi: 'Lần quét này', en: 'This scan' },
  scannedAt: { vi: 'lúc', en: 'at' },
  entry: { vi: 'Vào', en: 'Entry' },
  exit: { vi: 'Ra', en: 'Exit' },
  noReasons: { vi: 'Đủ điều kiện', en: 'All checks passed' },
  overriddenBy: { vi: 'Cán bộ quyết định thủ công:', en: 'Officer override:' },
  findings: { vi: 'Kết quả kiểm tra tự động:', en: 'What the checks found:' },
  waitingFor: { vi: 'Đang chờ quét', en: 'Waiting for' },
  fault: { vi: 'Lỗi: lượt quét chưa được ghi, hãy quét lại', en: 'Fault: the scan was not recorded, scan again' },
  // details
  plate: { vi: 'Biển số', en: 'Plate' },
  pass: { vi: 'Giấy phép', en: 'Pass' },
  passNo: { vi: 'Số giấy phép', en: 'Pass no.' },
  passStatus: { vi: 'Trạng thái', en: 'Status' },
  ACTIVE: { vi: 'Còn hiệu lực', en: 'Active' },
  SUSPENDED: { vi: 'Tạm dừng', en: 'Suspended' },
  REVOKED: { vi: 'Đã thu hồi', en: 'Revoked' },
  notCached: { vi: 'Không có trong dữ liệu trạm', en: 'Not in the station cache' },
  validity: { vi: 'Hiệu lực', en: 'Valid' },
  from: { vi: 'từ', en: 'from' },
  to: { vi: 'đến', en: 'to' },
  untilNotice: { vi: 'đến khi có thông báo mới', en: 'until further notice' },
  route: { vi: 'Lộ trình', en: 'Route' },
  checkpoints: { vi: 'Các chốt', en: 'Checkpoints' },
  provinces: { vi: 'Tỉnh', en: 'Provinces' },
  origin: { vi: 'Xuất phát', en: 'Origin' },
  anyCheckpoint: { vi: 'mọi chốt', en: 'any checkpoint' },
  goods: { vi: 'Hàng hóa', en: 'Goods' },
  company: { vi: 'Doanh nghiệp', en: 'Company' },
  passDirection: { vi: 'Chiều được phép', en: 'Allowed direction' },
  both: { vi: 'cả hai chiều', en: 'both ways' },
  crossing: { vi: 'Lượt qua chốt', en: 'Crossing' },
  crew: { vi: 'Người trên xe', en: 'People' },
  driver: { vi: 'Lái xe', en: 'Driver' },
  assistant: { vi: 'Phụ xe', en: 'Assistant driver' },
  stranger: { vi: 'Không có tên trên giấy phép', en: 'Not on the pass' },
  'walk-in': { vi: 'Người qua chốt', en: 'Person' },
  PENDING: { vi: 'chờ quét', en: 'pending' },
  MISSING: { vi: 'không quét', en: 'not scanned' },
  open: { vi: 'đang quét', en: 'in progress' },
  closed: { vi: 'đã xong', en: 'done' },
  override: { vi: 'Quyết định thủ công', en: 'Manual decision' },
  overrideTitle: { vi: 'Quyết định thủ công của cán bộ', en: 'Officer override' },
  newVerdict: { vi: 'Quyết định', en: 'Decision' },
  reason: { vi: 'Lý do (bắt buộc)', en: 'Reason (required)' },
  save: { vi: 'Lưu quyết định', en: 'Save decision' },
  saved: { vi: 'Đã lưu', en: 'Saved' },
  noCrossing: { vi: 'Lượt quét này không gắn với lượt qua nào: tra cứu biển số để quyết định', en: 'No crossing for this scan: look the plate up to decide' },
  // recent + lookup
  recent: { vi: 'Lượt qua chốt gần đây', en: 'Recent crossings' },
  time: { vi: 'Giờ', en: 'Time' },
  verdict: { vi: 'Kết quả', en: 'Verdict' },
  reasons: { vi: 'Lý do', en: 'Reasons' },
  lookup: { vi: 'Tra cứu theo biển số', en: 'Look up by plate' },
  lookupHint: { vi: 'Khi không đọc được mã: nhập biển số', en: 'When a code cannot be read: type the plate' },
  search: { vi: 'Tìm', en: 'Search' },
  noMatch: { vi: 'Không tìm thấy giấy phép với biển số này', en: 'No pass with this plate' },
  manualDecision: { vi: 'Ghi nhận quyết định thủ công', en: 'Record a manual decision' },
  manual: { vi: 'thủ công', en: 'manual' },
  // status bar
  scanner: { vi: 'Máy quét', en: 'Scanner' },
  'kind-serial': { vi: 'cổng COM', en: 'serial port' },
  'kind-evdev': { vi: 'bàn phím USB, trạm đọc', en: 'USB keyboard, read by the station' },
  'kind-screen': { vi: 'bàn phím USB trên máy này', en: 'USB keyboard on this screen' },
  'kind-camera': { vi: 'camera', en: 'camera' },
  connected: { vi: 'đã kết nối', en: 'connected' },
  unplugged: { vi: 'đã rút', en: 'unplugged' },
  opening: { vi: 'đang mở', en: 'opening' },
  error: { vi: 'lỗi', en: 'error' },
  cache: { vi: 'Dữ liệu', en: 'Data' },
  never: { vi: 'chưa đồng bộ', en: 'never synced' },
  ago: { vi: 'trước', en: 'ago' },
  outbox: { vi: 'Chờ gửi', en: 'To upload' },
  server: { vi: 'Máy chủ', en: 'Server' },
  reachable: { vi: 'kết nối được', en: 'reachable' },
  unreachable: { vi: 'mất kết nối', en: 'unreachable' },
  'credential-rejected': { vi: 'sai thông tin xác thực', en: 'credential rejected' },
  'not-configured': { vi: 'chưa cấu hình', en: 'not configured' },
  noScanners: { vi: 'Không có máy quét', en: 'No scanners' },
};

/** A UI text in `lang`, falling back to Vietnamese, then to the key itself. */
export function t(key, lang) {
  const entry = T[key];
  return entry ? (entry[lang] ?? entry.vi) : key;
}

export function other(lang) {
  return lang === 'vi' ? 'en' : 'vi';
}

/** "5 phút" / "5 min" for an age in ms. */
export function ageText(ms, lang) {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return lang === 'vi' ? `${s} giây` : `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return lang === 'vi' ? `${m} phút` : `${m} min`;
  const h = Math.round(m / 60);
  if (h < 48) return lang === 'vi' ? `${h} giờ` : `${h} h`;
  return lang === 'vi' ? `${Math.round(h / 24)} ngày` : `${Math.round(h / 24)} days`;
}

export function timeText(ms, lang) {
  return new Date(ms).toLocaleTimeString(lang === 'vi' ? 'vi-VN' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function dateText(ms, lang) {
  return new Date(ms).toLocaleDateString(lang === 'vi' ? 'vi-VN' : 'en-GB', { day: '2-digit', month: '2-digit', year: 'numeric' });
}
