// The screen's own words, Vietnamese first. Terms every screen shares (verdicts, directions, pass
// states, crew roles) come from the shared glossary; reason texts and goods from the station (/api/meta),
// from the same tables the decisions use.
import { TERMS } from './glossary.js';

export const VERDICT_WORDS = {
  ALLOW: TERMS.verdict.ALLOW,
  DENY: TERMS.verdict.DENY,
  REVIEW: TERMS.verdict.REVIEW,
  NONE: { vi: 'CHỜ QUÉT MÃ', en: 'WAITING FOR A SCAN' },
  MISREAD: { vi: 'KHÔNG ĐỌC ĐƯỢC — QUÉT LẠI', en: 'COULD NOT READ — SCAN AGAIN' },
  AGED: { vi: 'CHỜ XE TIẾP THEO', en: 'WAITING FOR THE NEXT VEHICLE' },
};

/**
 * One person's own result on the crew card: whether their checks passed, never a verdict word, so that
 * nothing beside a red crossing reads "CHO QUA" (the crossing's verdict is the only verdict on screen).
 */
export const PERSON_RESULT_WORDS = {
  ALLOW: { vi: 'đạt', en: 'checks passed' },
  DENY: { vi: 'không đạt', en: 'checks failed' },
  REVIEW: { vi: 'cần kiểm tra', en: 'to be checked' },
};

/** Short words for the recent list's pills. */
export const SHORT_WORDS = { ...VERDICT_WORDS, MISREAD: { vi: 'KHÔNG ĐỌC ĐƯỢC', en: 'UNREADABLE' } };

/** An icon beside every verdict word, so no state is told by colour alone. */
export const VERDICT_ICONS = { ALLOW: '✓', DENY: '✗', REVIEW: '!', NONE: '…', MISREAD: '↻', AGED: '…' };

/** A misread's cause in plain words; the scanner's technical text stays behind "details". */
export const MISREAD_CAUSES = {
  LINE_TOO_LONG: { vi: 'Mã quá dài hoặc máy quét đọc lẫn nhiều mã', en: 'The code was too long, or the scanner read several codes at once' },
  NOT_UTF8: { vi: 'Máy quét gửi ký tự lạ (sai cấu hình hoặc nhiễu)', en: 'The scanner sent unreadable characters (wrong setting or noise)' },
  CONTROL_CHARS: { vi: 'Máy quét gửi ký tự điều khiển (nhiễu)', en: 'The scanner sent control characters (noise)' },
  EMPTY: { vi: 'Máy quét không gửi nội dung', en: 'The scanner sent nothing' },
  SYMBOLOGY_NOT_ALLOWED: { vi: 'Đây không phải mã QR (mã vạch loại khác)', en: 'This is not a QR code (another kind of barcode)' },
  UNKNOWN_FORMAT: { vi: 'Không phải mã giấy phép hay mã y tế', en: 'Not a pass or health code' },
  UNREADABLE: { vi: 'Máy quét không đọc được mã', en: 'The scanner could not read the code' },
};

const T = {
  // lanes, ageing, banners
  lanePanel: { vi: 'Làn', en: 'Lane' },
  previousVehicle: { vi: 'Xe trước', en: 'Previous vehicle' },
  technicalDetails: { vi: 'Chi tiết kỹ thuật', en: 'Technical details' },
  misreadHint: { vi: 'Quét lại mã; nếu vẫn không được, tra cứu theo biển số', en: 'Scan the code again; if it still fails, look the plate up' },
  misreadDuring: { vi: 'Lần quét vừa rồi không đọc được — quét lại', en: 'The last scan could not be read — scan again' },
  pinnedTo: { vi: 'Màn hình này chỉ hiện làn', en: 'This screen shows only lane' },
  bannerScanner: { vi: 'Máy quét làn {lane} đã bị rút hoặc hỏng: lượt quét ở làn này không thể đến trạm', en: 'The lane {lane} scanner is unplugged or broken: scans on this lane cannot arrive' },
  bannerServer: { vi: 'Mất kết nối máy chủ {age}: trạm vẫn quyết định bằng dữ liệu tại chỗ, thu hồi mới sẽ chưa đến', en: 'Server unreachable for {age}: the station decides from local data; new revocations cannot arrive' },
  bannerCredential: { vi: 'Máy chủ từ chối thông tin xác thực của trạm: báo kỹ thuật', en: 'The server refuses this station’s credential: call support' },
  bannerCache: { vi: 'Dữ liệu tại chốt đã cũ ({age}): kiểm tra kỹ giấy tờ, báo kỹ thuật đồng bộ', en: 'The station’s data is stale ({age}): check papers carefully, ask support to sync' },
  bannerCacheNever: { vi: 'Trạm chưa từng đồng bộ dữ liệu: báo kỹ thuật', en: 'The station has never synced its data: call support' },
  scansCannotArrive: { vi: 'Máy quét không hoạt động: lượt quét không thể đến', en: 'Scanner not working: scans cannot arrive' },
  // reasons
  concerns: { vi: 'Liên quan', en: 'Concerns' },
  strangerWho: { vi: 'Người đi cùng', en: 'Passenger' },
  action: { vi: 'Cần làm', en: 'Action' },
  vehicle: { vi: 'Xe', en: 'Vehicle' },
  autoResult: { vi: 'tự động', en: 'automatic' },
  overrideMark: { vi: 'Cán bộ đã quyết định', en: 'Officer decided' },
  // health
  health: { vi: 'Sức khỏe', en: 'Health' },
  originZone: { vi: 'Vùng xuất phát', en: 'Origin zone' },
  zoneLevel: { vi: 'cấp', en: 'level' },
  zoneUnknown: { vi: 'cấp chưa rõ', en: 'level unknown' },
  latestTest: { vi: 'Xét nghiệm gần nhất', en: 'Latest test' },
  noTest: { vi: 'Chưa có', en: 'None' },
  RT_PCR: { vi: 'RT-PCR', en: 'RT-PCR' },
  RAPID_ANTIGEN: { vi: 'Test nhanh kháng nguyên', en: 'Rapid antigen' },
  NEGATIVE: { vi: 'âm tính', en: 'negative' },
  POSITIVE: { vi: 'DƯƠNG TÍNH', en: 'POSITIVE' },
  sampledAt: { vi: 'lấy mẫu', en: 'sampled' },
  hoursAgo: { vi: '{h} giờ trước', en: '{h} h ago' },
  doses: { vi: 'Số mũi vắc-xin', en: 'Vaccine doses' },
  caseStatus: { vi: 'F0/F1', en: 'F0/F1' },
  NONE_STATUS: { vi: 'Không', en: 'No' },
  since: { vi: 'từ', en: 'since' },
  declaration: { vi: 'Khai báo y tế', en: 'Health declaration' },
  noDeclaration: { vi: 'Chưa khai báo', en: 'Not declared' },
  province: { vi: 'tỉnh/thành', en: 'province' },
  district: { vi: 'quận/huyện', en: 'district' },
  // forms
  chooseVerdict: { vi: 'Hãy chọn một quyết định', en: 'Choose a decision' },
  fillOfficerId: { vi: 'Hãy nhập mã cán bộ', en: 'Enter the officer id' },
  fillPin: { vi: 'Hãy nhập mã PIN', en: 'Enter the PIN' },
  fillPlate: { vi: 'Hãy nhập biển số (hoặc một phần)', en: 'Enter the plate (or part of it)' },
  // shift
  shift: { vi: 'Ca trực', en: 'Shift' },
  shiftTitle: { vi: 'Tổng kết ca trực', en: 'Shift summary' },
  shiftSince: { vi: 'Từ lúc đăng nhập', en: 'Since sign-in' },
  crossingsCount: { vi: 'Lượt qua chốt', en: 'Crossings' },
  overridesMade: { vi: 'Quyết định thủ công đã ghi', en: 'Overrides made' },
  misreads: { vi: 'Lần không đọc được mã', en: 'Unreadable scans' },
  close: { vi: 'Đóng', en: 'Close' },
  lookupPick: { vi: 'Chọn giấy phép đúng xe', en: 'Pick the pass of this vehicle' },
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
  // Stations hold flags, not people (issue 12): a walk-in's name is not known here; their code and ID card are.
  nameNotHeld: { vi: 'tên không lưu tại chốt, đối chiếu CCCD', en: 'name not held here: check the ID card' },
  disconnected: { vi: 'Mất kết nối với trạm, đang kết nối lại…', en: 'Lost connection to the station, reconnecting…' },
  // verdict panel
  thisScan: { vi: 'Lần quét này', en: 'This scan' },
  scannedAt: { vi: 'lúc', en: 'at' },
  entry: TERMS.direction.entry,
  exit: TERMS.direction.exit,
  noReasons: { vi: 'Đủ điều kiện', en: 'All checks passed' },
  overriddenBy: { vi: 'Cán bộ quyết định thủ công:', en: 'Officer override:' },
  findings: { vi: 'Kết quả kiểm tra tự động:', en: 'What the checks found:' },
  waitingFor: { vi: 'Đang chờ quét', en: 'Waiting for' },
  fault: { vi: 'Lỗi: lượt quét chưa được ghi, hãy quét lại', en: 'Fault: the scan was not recorded, scan again' },
  // details
  plate: TERMS.word.plate,
  pass: TERMS.word.pass,
  passNo: TERMS.word.passNo,
  passStatus: { vi: 'Trạng thái', en: 'Status' },
  ACTIVE: TERMS.passStatus.ACTIVE,
  SUSPENDED: TERMS.passStatus.SUSPENDED,
  REVOKED: TERMS.passStatus.REVOKED,
  notCached: { vi: 'Không có trong dữ liệu trạm', en: 'Not in the station cache' },
  validity: { vi: 'Hiệu lực', en: 'Valid' },
  from: { vi: 'từ', en: 'from' },
  to: { vi: 'đến', en: 'to' },
  untilNotice: { vi: 'đến khi có thông báo mới', en: 'until further notice' },
  route: TERMS.word.route,
  checkpoints: { vi: 'Các chốt', en: 'Checkpoints' },
  provinces: { vi: 'Tỉnh', en: 'Provinces' },
  origin: { vi: 'Xuất phát', en: 'Origin' },
  anyCheckpoint: { vi: 'mọi chốt', en: 'any checkpoint' },
  goods: TERMS.word.goods,
  company: TERMS.word.company,
  passDirection: { vi: 'Chiều được phép', en: 'Allowed direction' },
  both: { vi: 'cả hai chiều', en: 'both ways' },
  crossing: { vi: 'Lượt qua chốt', en: 'Crossing' },
  crew: { vi: 'Người trên xe', en: 'People' },
  driver: TERMS.word.driver,
  assistant: TERMS.word.assistant,
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
  matches: { vi: 'giấy phép khớp', en: 'matching passes' },
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

/** A UI text in `lang`, falling back to Vietnamese, then to the key itself; {name} slots filled from `vars`. */
export function t(key, lang, vars) {
  const entry = T[key];
  const text = entry ? (entry[lang] ?? entry.vi) : key;
  return vars ? text.replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? '')) : text;
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

// Checkpoints run on Vietnam time, whatever zone the tablet or laptop was set to.
const ZONE = 'Asia/Ho_Chi_Minh';

export function timeText(ms, lang) {
  return new Date(ms).toLocaleTimeString(lang === 'vi' ? 'vi-VN' : 'en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: ZONE });
}

export function dateText(ms, lang) {
  return new Date(ms).toLocaleDateString(lang === 'vi' ? 'vi-VN' : 'en-GB', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: ZONE });
}

export function dateTimeText(ms, lang) {
  return `${timeText(ms, lang).slice(0, 5)} ${dateText(ms, lang)}`;
}
