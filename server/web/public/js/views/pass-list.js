// The transport department's list of passes: one search box (plate, company, driver, citizen id),
// status and "expiring soon" filters, server-side sorting and paging, and a print run of the selected sheets.
import { api, errorText, goodsLabel, query } from '../api.js';
import { badge, field, fill, formValues, h, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';
import { pager } from '../pager.js';
import { term, zoneName } from '../words.js';

const PAGE = 50;
const SOON_DAYS = 7;
const DAY = 86_400_000;
export const statusLabel = (s) => term('passStatus', s);

/** The end of validity, marked when it is near or past: the date an officer checks by eye. */
export function expiryCell(p) {
  if (p.validTo === null) return term('word', 'untilNotice');
  const left = p.validTo - Date.now();
  const cls = left < 0 ? 'expiry-past' : left < SOON_DAYS * DAY ? 'expiry-soon' : null;
  return h('span', { class: cls }, fmtTime(p.validTo));
}

export function passList(ctx) {
  const state = { offset: 0, sort: 'id', order: 'desc' };
  const selected = new Map();
  const results = h('div', { 'data-testid': 'pass-results' });
  const out = h('div');
  const form = h('form', { class: 'card row' },
    field(L('Biển số, doanh nghiệp, lái xe hoặc số CCCD', 'Plate, company, driver or citizen ID'), h('input', { name: 'q', minlength: 2, maxlength: 100, size: 34 })),
    field(L('Trạng thái', 'Status'), h('select', { name: 'status' }, h('option', { value: '' }, term('word', 'all')),
      ['ACTIVE', 'SUSPENDED', 'REVOKED'].map((s) => h('option', { value: s }, statusLabel(s))))),
    h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'soon', value: '1' }), L(`Sắp hết hạn (trong ${SOON_DAYS} ngày)`, `Expiring within ${SOON_DAYS} days`)),
    h('button', { type: 'submit' }, L('Tìm', 'Search')));
  const printSelected = () => {
    const chosen = [...selected.values()];
    if (chosen.length === 0) return fill(out, h('div', { class: 'error' }, L('Chưa chọn giấy phép nào để in.', 'No pass selected to print.')));
    const invalid = chosen.filter((p) => p.status !== 'ACTIVE');
    // a revoked or suspended pass is never printed as if valid: the whole run is refused, naming them
    if (invalid.length > 0) {
      return fill(out, h('div', { class: 'error', 'data-testid': 'print-refused' },
        L('Không in được giấy phép không còn hiệu lực: ', 'Passes that are not valid cannot be printed: '), invalid.map((p) => `#${p.passId} (${p.plate})`).join(', ')));
    }
    fill(out);
    window.open(`/api/v1/passes/sheets${query({ ids: chosen.map((p) => p.passId).join(',') })}`, '_blank', 'noopener');
  };
  const run = async () => {
    const v = formValues(form);
    try {
      const r = await api('GET', `/api/v1/passes${query({ q: v.q || undefined, status: v.status, expiringDays: v.soon ? SOON_DAYS : undefined,
        sort: state.sort, order: state.order, offset: state.offset, limit: PAGE })}`);
      const pick = (p) => h('input', { type: 'checkbox', 'aria-label': L(`Chọn giấy phép #${p.passId}`, `Select pass #${p.passId}`), checked: selected.has(p.passId),
        on: { change: (e) => (e.target.checked ? selected.set(p.passId, p) : selected.delete(p.passId)) } });
      const onSort = (key) => {
        // a second click turns the order round; a first click starts where people look first (A→Z, soonest end, newest)
        state.order = state.sort === key ? (state.order === 'asc' ? 'desc' : 'asc') : key === 'plate' || key === 'validTo' ? 'asc' : 'desc';
        state.sort = key;
        state.offset = 0;
        void run();
      };
      fill(results, table([
        ['', pick],
        [term('word', 'passNo'), (p) => h('a', { href: `#/passes/${p.passId}` }, `#${p.passId} v${p.version}`), 'id'],
        [term('word', 'plate'), (p) => h('b', { style: 'white-space:nowrap' }, p.plate), 'plate'],
        [term('word', 'validTo'), expiryCell, 'validTo'],
        [term('word', 'driver'), (p) => p.crew[0]?.name ?? '—'],
        [term('word', 'company'), (p) => p.company ?? '—'],
        [term('word', 'goods'), (p) => goodsLabel(p.goods)],
        [term('word', 'route'), (p) => `${zoneName(p.originZone)} → ${zoneName(p.destinationZone)}`],
        [L('Trạng thái', 'Status'), (p) => badge(statusLabel(p.status), p.status)],
        [L('Cập nhật', 'Updated'), (p) => fmtTime(p.updatedAt), 'updatedAt'],
      ], r.items, { empty: L('Không có giấy phép nào.', 'No passes found.'), sort: { key: state.sort, order: state.order, onSort } }),
      pager({ offset: state.offset, limit: PAGE, shown: r.items.length, total: r.total, onPage: (o) => { state.offset = o; void run(); } }));
    } catch (err) {
      fill(results, h('div', { class: 'error' }, errorText(err)));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); state.offset = 0; void run(); });
  const actions = h('div', { class: 'row' },
    h('button', { type: 'button', class: 'secondary', 'data-testid': 'print-selected', on: { click: printSelected } }, L('In tờ mã QR của các giấy phép đã chọn', 'Print the selected passes\' sheets')),
    h('button', { type: 'button', on: { click: () => ctx.go('passes/new') } }, L('Cấp giấy phép mới', 'Issue a pass')),
    h('button', { type: 'button', class: 'secondary', on: { click: () => ctx.go('passes/import') } }, L('Nhập từ tệp CSV', 'Import CSV')));
  return { form, actions, results, out, run };
}
