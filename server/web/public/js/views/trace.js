// Tracing as a contact list: each distinct person and vehicle that met the case, with names and
// phones to call, exportable (CSV) and printable; chosen people are flagged F1 in one step, with a
// reason, and the flag reaches every station like any health flag.
import { api, errorText, query } from '../api.js';
import { badge, field, fill, h, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';
import { fieldMessage, setFieldError } from '../validation.js';
import { term } from '../words.js';
import { crossingTable } from './crossing-table.js';

const RELATION = { 'same-vehicle': ['Cùng xe', 'Same vehicle'], 'same-lane': ['Cùng làn', 'Same lane'] };
const ROLE = { driver: ['Lái xe', 'Driver'], assistant: ['Phụ xe', 'Assistant driver'], person: ['Người qua chốt', 'Person'] };
const relation = (r) => L(...RELATION[r]);
const statusBadge = (s) => (s ? badge(term('healthStatus', s), s === 'F0' ? 'DENY' : s === 'F1' ? 'REVIEW' : 'ALLOW') : h('span', { class: 'muted' }, L('Chưa có dữ liệu y tế', 'No health record')));
const meetings = (list) => h('div', {}, list.slice(0, 3).map((m) =>
  h('div', {}, `${fmtTime(m.at)} · ${L('chốt', 'checkpoint')} ${m.checkpointId} · ${L('làn', 'lane')} ${m.lane}${m.plate ? ` · ${m.plate}` : ''}`)),
  list.length > 3 ? h('div', { class: 'muted' }, L(`và ${list.length - 3} lần khác`, `and ${list.length - 3} more`)) : null);

function peopleTable(people, selected) {
  return table([
    ['', (p) => h('input', {
      type: 'checkbox', 'aria-label': L(`Chọn ${p.name ?? p.citizenId}`, `Select ${p.name ?? p.citizenId}`), 'data-citizen': p.citizenId,
      checked: selected.has(p.citizenId), disabled: p.status === 'F0' || p.status === 'F1',
      on: { change: (e) => (e.target.checked ? selected.add(p.citizenId) : selected.delete(p.citizenId)) },
    })],
    [L('Họ và tên', 'Full name'), (p) => p.name ?? '—'],
    [L('Số CCCD', 'Citizen ID'), (p) => p.citizenId],
    [L('Điện thoại', 'Phone'), (p) => (p.phone ? h('a', { href: `tel:${p.phone.replace(/[^+0-9]/g, '')}` }, p.phone) : '—')],
    [L('Vai trò', 'Role'), (p) => L(...ROLE[p.role])],
    [L('Phân loại', 'Status'), (p) => statusBadge(p.status)],
    [L('Quan hệ', 'Relation'), (p) => relation(p.closest)],
    [L('Gặp lúc, ở đâu (giờ Việt Nam)', 'When and where (Vietnam time)'), (p) => meetings(p.meetings)],
  ], people, { empty: L('Không có người tiếp xúc.', 'No contacts.'), rowClass: (p) => (p.closest === 'same-vehicle' ? 'warn' : '') });
}

function vehicleTable(vehicles) {
  return table([
    [L('Biển số', 'Plate'), (v) => h('span', { style: 'white-space:nowrap' }, v.plate)],
    [L('Doanh nghiệp', 'Company'), (v) => v.company ?? '—'],
    [L('Người trên xe', 'People on board'), (v) => v.crew.map((c) => `${c.name}${c.phone ? ` (${c.phone})` : ''}`).join('; ') || '—'],
    [L('Quan hệ', 'Relation'), (v) => relation(v.closest)],
    [L('Gặp lúc, ở đâu (giờ Việt Nam)', 'When and where (Vietnam time)'), (v) => meetings(v.meetings)],
  ], vehicles, { empty: L('Không có phương tiện.', 'No vehicles.') });
}

export async function renderTrace(main, ctx) {
  const out = h('div', { 'data-testid': 'trace' });
  const form = h('form', { class: 'card row no-print' },
    field(L('Số CCCD', 'Citizen ID'), h('input', { name: 'citizenId', pattern: '\\d{9}|\\d{12}', 'data-hint': 'citizenId' })),
    field(L('hoặc biển số', 'or plate'), h('input', { name: 'plate', maxlength: 12 })),
    field(L('Cùng làn trong ± phút', 'Same lane within ± minutes'), h('input', { name: 'windowMinutes', type: 'number', min: 1, max: 240, value: 10 })),
    h('button', { type: 'submit' }, L('Truy vết', 'Trace')));

  const run = async () => {
    const v = Object.fromEntries(new FormData(form).entries());
    const citizenId = String(v.citizenId ?? '').trim();
    const plate = String(v.plate ?? '').trim().toUpperCase();
    if (Boolean(citizenId) === Boolean(plate)) return fill(out, h('div', { class: 'error' }, L('Nhập số CCCD hoặc biển số (một trong hai).', 'Enter a citizen ID or a plate (one of them).')));
    const q = query({ citizenId, plate, windowMinutes: v.windowMinutes });
    try {
      const [list, trace] = await Promise.all([api('GET', `/api/v1/trace/contacts${q}`), api('GET', `/api/v1/trace${q}`)]);
      const selected = new Set();
      const reason = h('input', { name: 'reason', required: true, minlength: 3, maxlength: 500, value: citizenId ? L(`Tiếp xúc gần với ca ${citizenId}`, `Close contact of case ${citizenId}`) : '' });
      const result = h('div', { role: 'status' });
      const flag = async () => {
        const msg = fieldMessage(reason) || (selected.size === 0 ? L('Chọn ít nhất một người', 'Choose at least one person') : '');
        setFieldError(reason, msg);
        if (msg) return;
        const names = {};
        for (const p of list.people) if (selected.has(p.citizenId) && p.name) names[p.citizenId] = { name: p.name, phone: p.phone };
        if (!confirm(L(`Đánh dấu F1 cho ${selected.size} người? Lần quét tiếp theo tại chốt sẽ bị KHÔNG CHO QUA.`, `Flag ${selected.size} people F1? Their next scan at a checkpoint will be DENY.`))) return;
        try {
          const r = await api('POST', '/api/v1/trace/flag-f1', { json: { citizenIds: [...selected], reason: reason.value.trim(), names, ...(citizenId ? { caseCitizenId: citizenId } : {}) } });
          ctx.toast(L(`Đã đánh dấu F1 cho ${r.flagged.length} người`, `${r.flagged.length} people flagged F1`));
          await run();
        } catch (err) {
          fill(result, h('div', { class: 'error' }, errorText(err)));
        }
      };
      const csvHref = `/api/v1/trace/contacts.csv${q}`;
      fill(out,
        list.truncated ? h('div', { class: 'error' }, L('Kết quả bị cắt bớt; hãy thu hẹp khoảng thời gian.', 'Results truncated; narrow the time range.')) : null,
        h('div', { class: 'row no-print', style: 'justify-content:flex-end' },
          h('a', { href: csvHref, download: 'danh-sach-tiep-xuc.csv' }, L('Xuất CSV', 'Export CSV')),
          h('button', { type: 'button', class: 'secondary', on: { click: () => window.print() } }, L('In danh sách', 'Print the list'))),
        h('h2', {}, L(`Người tiếp xúc (${list.people.length})`, `People in contact (${list.people.length})`)),
        h('div', { 'data-testid': 'contact-people' }, peopleTable(list.people, selected)),
        list.people.length ? h('div', { class: 'card row no-print', 'data-testid': 'flag-f1' },
          field(L('Lý do (bắt buộc)', 'Reason (required)'), reason),
          h('button', { type: 'button', class: 'danger', on: { click: flag } }, L('Đánh dấu F1 những người đã chọn', 'Flag the chosen people F1')), result) : null,
        h('h2', {}, L(`Phương tiện tiếp xúc (${list.vehicles.length})`, `Vehicles in contact (${list.vehicles.length})`)),
        h('div', { 'data-testid': 'contact-vehicles' }, vehicleTable(list.vehicles)),
        h('details', { class: 'no-print' }, h('summary', {}, L(`Các lượt qua chốt của ca (${trace.crossings.length})`, `The case's crossings (${trace.crossings.length})`)),
          crossingTable(trace.crossings)));
    } catch (err) {
      fill(out, h('div', { class: 'error' }, errorText(err)));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void run(); });
  fill(main, h('h1', {}, L('Truy vết tiếp xúc', 'Contact tracing')), form, out);
}
