// Administration: users, stations (credential shown once), zones, policy, the access log.
import { pager } from '../pager.js';
import { api, errorText, query } from '../api.js';
import { badge, field, fill, formValues, h, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';
import { DATETIME } from '../validation.js';
import { fromVnInput } from '../vn-time.js';
import { districtOptions, roleLabel, term, zoneDatalist, zoneName } from '../words.js';

const SCOPE_ORDER = ['national', 'province', 'district', 'commune'];

/** A user's scope in words: "Quận/huyện: Quận 1". */
function scopeText(u) {
  const level = term('scopeLevel', u.scopeLevel ?? 'province');
  if (u.scopeLevel === 'district' || u.scopeLevel === 'commune') {
    const d = districtOptions(String(u.province).padStart(2, '0')).find((x) => x.code.endsWith(`-${u.district}`));
    return `${level}: ${d ? d.name : u.district}${u.commune ? ` / ${u.commune}` : ''}`;
  }
  return level;
}

/** The province's known districts, for the district fields. */
function districtDatalist(province) {
  const list = document.createElement('datalist');
  list.id = 'district-options';
  for (const d of districtOptions(String(province).padStart(2, '0'))) {
    const o = document.createElement('option');
    o.value = d.code.split('-')[1];
    o.label = d.name;
    o.textContent = d.name;
    list.appendChild(o);
  }
  return list;
}
import { renderPolicy } from './policy.js';

const ADMIN = ['admin'];
const err = (e) => h('div', { class: 'error' }, errorText(e));

async function renderUsers(main, ctx) {
  const list = h('div');
  const out = h('div');
  const load = async () => {
    const users = await api('GET', '/api/v1/users');
    fill(list, table([
      [L('Tên đăng nhập', 'Username'), (u) => u.username],
      [L('Họ tên', 'Name'), (u) => u.displayName],
      [L('Vai trò', 'Role'), (u) => roleLabel(u.role)],
      [L('Tỉnh', 'Province'), (u) => String(u.province)],
      [L('Phạm vi', 'Scope'), (u) => scopeText(u)],
      [L('Trạng thái', 'State'), (u) => (u.disabled ? badge(L('Đã khóa', 'Disabled'), 'bad') : badge(L('Hoạt động', 'Active'), 'ok'))],
      ['', (u) => h('div', { class: 'row' },
        h('button', { type: 'button', class: 'secondary', on: { click: async () => {
          const password = prompt(L(`Mật khẩu mới cho ${u.username}:`, `New password for ${u.username}:`));
          if (!password) return;
          try {
            await api('PATCH', `/api/v1/users/${u.id}`, { json: { password } });
            fill(out, h('div', { class: 'notice' }, L(`Đã đặt lại mật khẩu của ${u.username}`, `Password of ${u.username} reset`)));
          } catch (e) { fill(out, err(e)); }
        } } }, L('Đặt lại mật khẩu', 'Reset password')),
        u.id === ctx.user.id ? null : h('button', { type: 'button', class: 'secondary', on: { click: async () => {
          // locking someone out is confirmed; unlocking is not
          if (!u.disabled && !confirm(L(`Khóa tài khoản ${u.username}? Người này sẽ không đăng nhập được.`, `Disable ${u.username}? They will not be able to sign in.`))) return;
          try { await api('PATCH', `/api/v1/users/${u.id}`, { json: { disabled: !u.disabled } }); await load(); } catch (e) { fill(out, err(e)); }
        } } }, u.disabled ? L('Mở khóa', 'Enable') : L('Khóa', 'Disable')))],
    ], users));
  };
  const form = h('form', { class: 'card' },
    h('h2', {}, L('Tạo người dùng', 'Create a user')),
    h('div', { class: 'grid' },
      field(L('Tên đăng nhập', 'Username'), h('input', { name: 'username', required: true, minlength: 3, maxlength: 64, pattern: '[A-Za-z0-9_.@\\-]+', 'data-hint': 'username' })),
      field(L('Họ tên', 'Display name'), h('input', { name: 'displayName', maxlength: 120 })),
      field(L('Mật khẩu', 'Password'), h('input', { name: 'password', type: 'password', required: true, autocomplete: 'new-password' })),
      // the most powerful role last, so it is never picked by accident
      field(L('Vai trò', 'Role'), h('select', { name: 'role' }, ['transport', 'health', 'command', 'officer', 'admin'].map((r) => h('option', { value: r }, roleLabel(r))))),
      field(L('Tỉnh', 'Province'), h('input', { name: 'province', type: 'number', min: 1, max: 99, required: true, value: ctx.user.province })),
      // a national admin may create national users; others only their level and below (the server checks too)
      // named by aria-label, not a wrapping <label>: a label's text would include the options' words ("Tỉnh/thành phố")
      h('div', { class: 'field-box' }, h('span', {}, L('Phạm vi', 'Scope')), h('select', { name: 'scopeLevel', 'aria-label': L('Phạm vi', 'Scope') }, ['province', 'district', 'commune', 'national']
        .filter((l) => SCOPE_ORDER.indexOf(l) >= SCOPE_ORDER.indexOf(ctx.user.scopeLevel ?? 'province'))
        .map((l) => h('option', { value: l }, term('scopeLevel', l))))),
      field(L('Quận/huyện (mã 3 số, nếu cấp quận/huyện hoặc xã)', 'District (3-digit code, for district or commune scope)'),
        h('input', { name: 'district', pattern: '\\d{3}', 'data-hint': 'district', maxlength: 3, list: 'district-options', value: ctx.user.district ?? '' })),
      field(L('Xã/phường (mã 5 số, nếu cấp xã)', 'Commune (5-digit code, for commune scope)'), h('input', { name: 'commune', pattern: '\\d{5}', 'data-hint': 'commune', maxlength: 5 }))),
    districtDatalist(ctx.user.province),
    h('div', { class: 'row', style: 'margin-top:10px' }, h('button', { type: 'submit' }, L('Tạo', 'Create'))), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    try {
      const level = v.scopeLevel || 'province';
      const area = {
        scopeLevel: level,
        ...(level === 'district' || level === 'commune' ? { district: v.district } : {}),
        ...(level === 'commune' ? { commune: v.commune } : {}),
      };
      await api('POST', '/api/v1/users', { json: { username: v.username, password: v.password, role: v.role, province: Number(v.province), ...area, ...(v.displayName ? { displayName: v.displayName } : {}) } });
      form.reset();
      fill(out, h('div', { class: 'notice' }, L(`Đã tạo người dùng ${v.username}`, `User ${v.username} created`)));
      await load();
    } catch (e) {
      fill(out, err(e));
    }
  });
  fill(main, h('h1', {}, L('Người dùng', 'Users')), form, list);
  await load();
}

/** The credential exists only in this answer: show it once, plainly, with what to do with it. */
function credentialBox(answer) {
  const s = answer.station;
  return h('div', { class: 'card', 'data-testid': 'station-credential' },
    h('h2', {}, L(`Thông tin xác thực của trạm ${s.stationId}`, `Credential of station ${s.stationId}`)),
    h('p', { class: 'error' }, L('Chỉ hiển thị MỘT LẦN. Hãy chép vào cấu hình của trạm ngay bây giờ; máy chủ chỉ lưu bản băm.',
      'Shown ONCE. Copy it into the station configuration now; the server keeps only a hash.')),
    h('div', { class: 'secret', 'data-testid': 'station-secret' }, `${s.stationId}:${answer.secret}`));
}

function laneRow() {
  return h('div', { class: 'row', 'data-lane': '' },
    field(L('Mã làn', 'Lane id'), h('input', { 'data-k': 'id', required: true, maxlength: 32, pattern: '[A-Za-z0-9_.\\-]+', 'data-hint': 'code' })),
    field(L('Chiều', 'Direction'), h('select', { 'data-k': 'direction' }, h('option', { value: 'entry' }, L('Vào', 'Entry')), h('option', { value: 'exit' }, L('Ra', 'Exit')))));
}

async function renderStations(main, ctx) {
  const list = h('div');
  const once = h('div');
  const out = h('div');
  const load = async () => {
    const fleet = await api('GET', '/api/v1/stations');
    fill(list, table([
      [L('Trạm', 'Station'), (s) => `${s.stationId} · ${s.name}`],
      [L('Chốt', 'Checkpoint'), (s) => String(s.checkpointId)],
      [L('Làn', 'Lanes'), (s) => s.lanes.map((l) => `${l.id} (${l.direction === 'entry' ? L('vào', 'entry') : L('ra', 'exit')})`).join(', ')],
      [L('Tín hiệu cuối', 'Last heartbeat'), (s) => fmtTime(s.lastHeartbeatAt)],
      [L('Trạng thái', 'State'), (s) => (s.disabled ? badge(L('Vô hiệu', 'Disabled'), 'bad') : badge(L('Hoạt động', 'Enabled'), 'ok'))],
      ['', (s) => h('div', { class: 'row' },
        h('button', { type: 'button', class: 'secondary', on: { click: async () => {
          if (!confirm(L('Cấp thông tin xác thực mới? Thông tin cũ sẽ hết hiệu lực.', 'Issue a new credential? The old one stops working.'))) return;
          try { fill(once, credentialBox(await api('POST', `/api/v1/stations/${s.stationId}/secret`))); } catch (e) { fill(out, err(e)); }
        } } }, L('Cấp lại khóa', 'New credential')),
        h('button', { type: 'button', class: 'secondary', on: { click: async () => {
          if (!s.disabled && !confirm(L(`Vô hiệu hóa trạm ${s.stationId}? Trạm sẽ không tải lên hay cập nhật được dữ liệu.`, `Disable station ${s.stationId}? It will not upload or sync.`))) return;
          try { await api('PATCH', `/api/v1/stations/${s.stationId}`, { json: { disabled: !s.disabled } }); await load(); } catch (e) { fill(out, err(e)); }
        } } }, s.disabled ? L('Kích hoạt', 'Enable') : L('Vô hiệu hóa', 'Disable')))],
    ], fleet, { empty: L('Chưa có trạm nào.', 'No stations yet.') }));
  };
  const lanes = h('div', {}, laneRow());
  const form = h('form', { class: 'card' },
    h('h2', {}, L('Đăng ký trạm', 'Register a station')),
    h('div', { class: 'grid' },
      field(L('Mã trạm', 'Station id'), h('input', { name: 'stationId', required: true, maxlength: 64, pattern: '[A-Za-z0-9_.\\-]+', 'data-hint': 'code' })),
      field(L('Tên', 'Name'), h('input', { name: 'name', required: true, maxlength: 120 })),
      field(L('Mã chốt', 'Checkpoint id'), h('input', { name: 'checkpointId', type: 'number', min: 1, max: 65535, required: true })),
      field(L('Tỉnh', 'Province'), h('input', { name: 'province', type: 'number', min: 1, max: 99, required: true, value: ctx.user.province })),
      field(L('Quận/huyện (mã 3 số)', 'District (3-digit code)'), h('input', { name: 'district', pattern: '\\d{3}', 'data-hint': 'district', maxlength: 3, list: 'district-options', value: ctx.user.district ?? '' })),
      field(L('Xã/phường (mã 5 số)', 'Commune (5-digit code)'), h('input', { name: 'commune', pattern: '\\d{5}', 'data-hint': 'commune', maxlength: 5, value: ctx.user.commune ?? '' }))),
    districtDatalist(ctx.user.province),
    h('h2', {}, L('Làn', 'Lanes')), lanes,
    h('div', { class: 'row', style: 'margin-top:10px' },
      h('button', { type: 'button', class: 'secondary', on: { click: () => lanes.childElementCount < 16 && lanes.appendChild(laneRow()) } }, L('+ Thêm làn', '+ Add lane')),
      h('button', { type: 'submit' }, L('Đăng ký', 'Register'))), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const laneList = [...lanes.querySelectorAll('[data-lane]')].map((r) => ({ id: r.querySelector('[data-k="id"]').value.trim(), direction: r.querySelector('[data-k="direction"]').value }));
    try {
      const answer = await api('POST', '/api/v1/stations', { json: { stationId: v.stationId, name: v.name, checkpointId: Number(v.checkpointId), province: Number(v.province), ...(v.district ? { district: v.district } : {}), ...(v.commune ? { commune: v.commune } : {}), lanes: laneList } });
      fill(once, credentialBox(answer));
      fill(out);
      form.reset();
      await load();
    } catch (e) {
      fill(out, err(e));
    }
  });
  fill(main, h('h1', {}, L('Trạm kiểm soát', 'Stations')), once, form, list);
  await load();
}

const LEVELS = { 1: ['Cấp 1 · xanh', 'Level 1 · green', 'ok'], 2: ['Cấp 2 · vàng', 'Level 2 · yellow', 'warn'], 3: ['Cấp 3 · cam', 'Level 3 · orange', 'warn'], 4: ['Cấp 4 · đỏ', 'Level 4 · red', 'bad'] };
export const levelBadge = (n) => badge(L(LEVELS[n][0], LEVELS[n][1]), LEVELS[n][2]);

async function renderZones(main) {
  const list = h('div');
  const out = h('div');
  const load = async () => {
    const zones = await api('GET', '/api/v1/zones');
    fill(list, table([
      [L('Vùng', 'Zone'), (z) => h('span', {}, zoneName(z.zone), h('span', { class: 'muted' }, ` (${z.zone})`))],
      [L('Cấp độ dịch', 'Epidemic level'), (z) => levelBadge(z.level)],
      [L('Cập nhật', 'Updated'), (z) => `${fmtTime(z.updatedAt)} · ${z.updatedBy}`],
      ['', (z) => h('button', { type: 'button', class: 'secondary', on: { click: async () => {
        // a zone's level decides who must show a test at every checkpoint: removing it is confirmed
        if (!confirm(L(`Xóa cấp độ dịch của ${zoneName(z.zone)}? Các chốt sẽ không còn áp dụng cấp độ này.`, `Remove the epidemic level of ${zoneName(z.zone)}? Checkpoints will stop applying it.`))) return;
        try { await api('DELETE', `/api/v1/zones/${z.zone}`); await load(); } catch (e) { fill(out, err(e)); }
      } } }, L('Xóa', 'Remove'))],
    ], zones, { empty: L('Chưa có vùng nào được phân cấp.', 'No zone has a level yet.') }));
  };
  const form = h('form', { class: 'card row' },
    field(L('Vùng (mã tỉnh 79 hoặc tỉnh-huyện 79-760)', 'Zone (province 79 or province-district 79-760)'), h('input', { name: 'zone', required: true, pattern: '\\d{2}(-\\d{3})?', 'data-hint': 'zone', list: 'zone-options' })),
    zoneDatalist('zone-options'),
    field(L('Cấp độ', 'Level'), h('select', { name: 'level' }, [1, 2, 3, 4].map((n) => h('option', { value: n }, L(LEVELS[n][0], LEVELS[n][1]))))),
    h('button', { type: 'submit' }, L('Lưu', 'Save')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    try { await api('PUT', `/api/v1/zones/${v.zone}`, { json: { level: Number(v.level) } }); fill(out); await load(); } catch (e2) { fill(out, err(e2)); }
  });
  fill(main, h('h1', {}, L('Cấp độ dịch theo vùng (Nghị quyết 128)', 'Epidemic levels by zone (Resolution 128)')), form, out, list);
  await load();
}

const ACTIONS = {
  'person.read': ['Xem thông tin y tế của người', 'Read a person\'s health data'],
  'people.list': ['Xem danh sách người', 'List people'],
  'person.health-code': ['Cấp mã y tế', 'Issue a health code'],
  'pass.read': ['Xem giấy phép', 'Read a pass'],
  'passes.search': ['Tìm giấy phép', 'Search passes'],
  'pass.code': ['Lấy mã QR của giấy phép', 'Get a pass QR code'],
  'pass.sheet': ['In tờ giấy phép', 'Print a pass sheet'],
  'crossings.search': ['Tra cứu lượt qua chốt', 'Search crossings'],
  'crossings.export': ['Xuất CSV lượt qua chốt', 'Export crossings as CSV'],
  'crossings.overdue': ['Xem xe quá hạn', 'List overdue vehicles'],
  trace: ['Truy vết', 'Trace'],
  trip: ['Xem hành trình qua các tỉnh', 'Read a trip across provinces'],
  'trace.contacts': ['Xem danh sách tiếp xúc', 'Read a contact list'],
  'trace.contact-shown': ['Xem thông tin người tiếp xúc', 'Contact shown in a trace'],
  'health.flag-f1': ['Đánh dấu F1', 'Flag F1'],
  'alerts.list': ['Xem cảnh báo', 'List alerts'],
  'arrivals.list': ['Xem danh sách người về từ vùng dịch', 'List arrivals from risky zones'],
  'arrival.outcome': ['Ghi nhận liên hệ người về', 'Record an arrival\'s follow-up'],
};
const actionLabel = (a) => (ACTIONS[a] ? L(ACTIONS[a][0], ACTIONS[a][1]) : a);

/** The rows on screen as a spreadsheet file: BOM, Vietnamese headers, Vietnam time. */
function downloadCsv(rows) {
  const cell = (x) => `"${String(x ?? '').replace(/"/g, '""').replace(/^([=+\-@])/, "'$1")}"`;
  const lines = [['Thời điểm (giờ Việt Nam)', 'Người dùng', 'Vai trò', 'Hành động', 'Mã hành động', 'Loại đối tượng', 'Đối tượng', 'Yêu cầu']]
    .concat(rows.map((a) => [fmtTime(a.at), a.username, roleLabel(a.role), actionLabel(a.action), a.action, term('subjectType', a.subjectType), a.subjectId ?? '', `${a.method} ${a.url}`]));
  const blob = new Blob(['\uFEFF' + lines.map((l) => l.map(cell).join(',')).join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
  const a = h('a', { href: URL.createObjectURL(blob), download: 'nhat-ky-truy-cap.csv' });
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
}

const LOG_PAGE = 100;

async function renderAccessLog(main) {
  const list = h('div');
  const form = h('form', { class: 'card row' },
    field(L('Loại đối tượng', 'Subject type'), h('select', { name: 'subjectType' }, h('option', { value: '' }, L('Tất cả', 'All')),
      [['person', L('Người', 'Person')], ['vehicle', L('Phương tiện', 'Vehicle')], ['pass', L('Giấy phép', 'Pass')], ['crossing', L('Lượt qua chốt', 'Crossing')]].map(([v, t]) => h('option', { value: v }, t)))),
    field(L('Đối tượng (số CCCD, biển số, số giấy phép)', 'Subject (citizen ID, plate, pass id)'), h('input', { name: 'subjectId', maxlength: 64 })),
    field(L('Từ (giờ Việt Nam)', 'From (Vietnam time)'), h('input', { ...DATETIME, name: 'from' })),
    field(L('Đến (giờ Việt Nam)', 'To (Vietnam time)'), h('input', { ...DATETIME, name: 'to' })),
    h('button', { type: 'submit' }, L('Lọc', 'Filter')),
    h('button', { type: 'button', class: 'secondary', 'data-testid': 'access-log-csv', on: { click: () => downloadCsv(shown) } }, L('Xuất CSV', 'Export CSV')));
  let shown = [];
  let offset = 0;
  const load = async () => {
    const v = formValues(form);
    try {
      const r = await api('GET', `/api/v1/access-log${query({ ...v, from: fromVnInput(v.from), to: fromVnInput(v.to), limit: LOG_PAGE, offset })}`);
      const items = r.items;
      shown = items;
      fill(list, pager({ offset, limit: LOG_PAGE, shown: items.length, total: r.total, onPage: (o) => { offset = o; void load(); } }), table([
        [L('Thời điểm', 'When'), (a) => fmtTime(a.at)],
        [L('Người dùng', 'User'), (a) => `${a.username} (${roleLabel(a.role)})`],
        [L('Hành động', 'Action'), (a) => h('div', {}, actionLabel(a.action), h('div', { class: 'muted mono' }, a.action))],
        [L('Đối tượng', 'Subject'), (a) => `${term('subjectType', a.subjectType)}${a.subjectId ? ` ${a.subjectId}` : ''}`],
        [L('Yêu cầu', 'Request'), (a) => h('span', { class: 'mono' }, `${a.method} ${a.url}`)],
      ], items, { empty: L('Không có mục nào.', 'No entries.') }));
    } catch (e) {
      fill(list, err(e));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); offset = 0; void load(); });
  fill(main, h('h1', {}, L('Nhật ký truy cập dữ liệu cá nhân', 'Personal data access log')), form, list);
  await load();
}

export default [
  { path: 'admin/users', roles: ADMIN, nav: true, title: () => L('Người dùng', 'Users'), render: renderUsers },
  { path: 'admin/stations', roles: ADMIN, nav: true, title: () => L('Trạm', 'Stations'), render: renderStations },
  { path: 'admin/zones', roles: ADMIN, nav: true, title: () => L('Vùng dịch', 'Zones'), render: renderZones },
  { path: 'admin/policy', roles: ADMIN, nav: true, title: () => L('Chính sách', 'Policy'), render: renderPolicy },
  { path: 'admin/access-log', roles: ADMIN, nav: true, title: () => L('Nhật ký truy cập', 'Access log'), render: renderAccessLog },
];
