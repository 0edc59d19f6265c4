// Command center: live feed, search with CSV export, trace, overdue vehicles. Fleet and charts are in
// their own modules.
import { api, errorText, loadMeta, query, reasonLabel } from '../api.js';
import { field, fill, formValues, h, table } from '../dom.js';
import { L, fmtAge, fmtTime } from '../i18n.js';
import { DATETIME, setFieldError } from '../validation.js';
import { renderCharts } from './charts.js';
import { renderFeed } from './live-feed.js';
import { crossingTable } from './crossing-table.js';
import { fromLocalInput } from './pass-form.js';
import { renderFleet } from './fleet.js';
import { renderTrace } from './trace.js';
import { renderTrips } from './trips.js';
import { renderReport } from './report.js';
import { provinceName } from '../words.js';
import { pager } from '../pager.js';

const COMMAND = ['command'];
const SEARCH_PAGE = 50;

/** The audit API's addresses, in one place. */
export const AUDIT = {
  crossings: '/api/v1/crossings',
  csv: '/api/v1/crossings/export.csv',
  trace: '/api/v1/trace',
  overdue: '/api/v1/crossings/overdue',
};

const itemsOf = (r) => (Array.isArray(r) ? r : r?.items ?? []);

function searchForm(meta) {
  const opt = (v, text) => h('option', { value: v }, text);
  return h('form', { class: 'card' }, h('div', { class: 'grid' },
    field(L('Biển số', 'Plate'), h('input', { name: 'plate', maxlength: 12 })),
    field(L('Số CCCD', 'Citizen ID'), h('input', { name: 'citizenId', pattern: '\\d{9}|\\d{12}', 'data-hint': 'citizenId' })),
    field(L('Số giấy phép', 'Pass id'), h('input', { name: 'passId', type: 'number', min: 1 })),
    field(L('Mã chốt', 'Checkpoint id'), h('input', { name: 'checkpointId', type: 'number', min: 1 })),
    field(L('Làn', 'Lane'), h('input', { name: 'lane', maxlength: 32 })),
    field(L('Chiều', 'Direction'), h('select', { name: 'direction' }, opt('', L('Tất cả', 'All')), opt('entry', L('Vào', 'Entry')), opt('exit', L('Ra', 'Exit')))),
    field(L('Kết quả', 'Verdict'), h('select', { name: 'verdict' }, opt('', L('Tất cả', 'All')), ['ALLOW', 'DENY', 'REVIEW'].map((v) => opt(v, v)))),
    field(L('Lý do', 'Reason'), h('select', { name: 'reason' }, opt('', L('Tất cả', 'All')), Object.keys(meta.reasons ?? {}).map((c) => opt(c, reasonLabel(c))))),
    field(L('Từ', 'From'), h('input', { name: 'from', ...DATETIME })),
    field(L('Đến', 'To'), h('input', { name: 'to', ...DATETIME }))),
  h('div', { class: 'row', style: 'margin-top:10px' }, h('button', { type: 'submit' }, L('Tìm', 'Search'))));
}

async function renderSearch(main) {
  const meta = await loadMeta();
  const form = searchForm(meta);
  const results = h('div', { 'data-testid': 'search-results' });
  const exportLink = h('a', { class: 'muted', download: 'crossings.csv' }, L('Xuất CSV', 'Export CSV'));
  const params = () => {
    const v = formValues(form);
    return { ...v, plate: v.plate?.toUpperCase(), from: fromLocalInput(v.from), to: fromLocalInput(v.to) };
  };
  const state = { offset: 0, order: 'desc' };
  const run = async () => {
    const q = params();
    // a range that ends before it starts would silently find nothing: say so at the field
    const toInput = form.querySelector('[name="to"]');
    const backwards = q.from !== undefined && q.to !== undefined && q.from > q.to;
    setFieldError(toInput, backwards ? L('Thời điểm kết thúc phải sau thời điểm bắt đầu', 'The end must be after the start') : '');
    if (backwards) return;
    exportLink.href = `${AUDIT.csv}${query(q)}`;
    try {
      const r = await api('GET', `${AUDIT.crossings}${query({ ...q, order: state.order, offset: state.offset, limit: SEARCH_PAGE })}`);
      const items = itemsOf(r);
      const flip = h('button', { type: 'button', class: 'secondary', 'data-testid': 'search-order', on: { click: () => { state.order = state.order === 'desc' ? 'asc' : 'desc'; state.offset = 0; void run(); } } },
        state.order === 'desc' ? L('Mới nhất trước ▼', 'Newest first ▼') : L('Cũ nhất trước ▲', 'Oldest first ▲'));
      const pages = pager({ offset: state.offset, limit: SEARCH_PAGE, shown: items.length, total: r.total, capped: r.totalCapped, onPage: (o) => { state.offset = o; void run(); } });
      fill(results, h('div', { class: 'row' }, flip, pages), crossingTable(items));
    } catch (err) {
      fill(results, h('div', { class: 'error' }, errorText(err)));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); state.offset = 0; void run(); });
  fill(main, h('div', { class: 'row', style: 'justify-content:space-between' }, h('h1', {}, L('Tra cứu lượt qua chốt', 'Search crossings')), exportLink), form, results);
  await run();
}

async function renderOverdue(main) {
  const r = await api('GET', AUDIT.overdue);
  const items = itemsOf(r);
  fill(main, h('h1', {}, L('Phương tiện quá thời gian chưa rời tỉnh', 'Vehicles overdue to leave')),
    h('div', { 'data-testid': 'overdue' }, table([
      [L('Biển số', 'Plate'), (o) => o.plate ?? '—'],
      [L('Tỉnh/thành phố', 'Province'), (o) => provinceName(o.province)],
      [L('Giấy phép', 'Pass'), (o) => (o.passProvince ? `${String(o.passProvince).padStart(2, '0')}-${o.passId}` : `#${o.passId}`)],
      [L('Vào lúc', 'Entered'), (o) => `${fmtTime(o.enteredAt)} · ${L('chốt', 'checkpoint')} ${o.checkpointId} (${o.stationId})`],
      [L('Thời gian được ở lại', 'Allowed stay'), (o) => `${o.maxStayHours} ${L('giờ', 'h')}`],
      [L('Phải rời trước', 'Due to leave by'), (o) => fmtTime(o.dueAt)],
      [L('Quá hạn', 'Overdue by'), (o) => fmtAge(Date.now() - o.dueAt)],
    ], items, { empty: L('Không có phương tiện nào quá hạn.', 'No vehicle is overdue.'), rowClass: () => 'warn' })));
}

export default [
  { path: 'command/feed', roles: COMMAND, nav: true, title: () => L('Trực tiếp', 'Live feed'), render: renderFeed },
  { path: 'command/search', roles: COMMAND, nav: true, title: () => L('Tra cứu', 'Search'), render: renderSearch },
  { path: 'command/trace', roles: COMMAND, nav: true, title: () => L('Truy vết', 'Trace'), render: renderTrace },
  { path: 'command/trips', roles: COMMAND, nav: true, title: () => L('Hành trình', 'Trips'), render: renderTrips },
  { path: 'command/overdue', roles: COMMAND, nav: true, title: () => L('Quá hạn', 'Overdue'), render: renderOverdue },
  { path: 'command/fleet', roles: COMMAND, nav: true, title: () => L('Các trạm', 'Stations'), render: renderFleet },
  { path: 'command/charts', roles: COMMAND, nav: true, title: () => L('Biểu đồ', 'Charts'), render: renderCharts },
  { path: 'command/report', roles: COMMAND, nav: true, title: () => L('Báo cáo ngày', 'Daily report'), render: renderReport },
];
