// One person's record for health staff: correct it with a reason, read its whole history (tests,
// vaccine doses, declarations, flags, edits), print the health code; and find people by name or phone.
import { api, errorText, query } from '../api.js';
import { field, fill, formValues, h, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';
import { term, zoneName } from '../words.js';
import { showServerFieldErrors } from '../validation.js';

const KIND = {
  declaration: ['Khai báo y tế', 'Declaration'], test: ['Xét nghiệm', 'Test'], flag: ['Phân loại F0/F1', 'F0/F1 status'], edit: ['Sửa hồ sơ', 'Edit'],
};

/** What a change set, in words. */
function changeText(c) {
  const x = c.change;
  const parts = [];
  if (x.test) parts.push(`${term('testType', x.test.type)} · ${term('testResult', x.test.result)} · ${L('lấy mẫu', 'sampled')} ${fmtTime(x.test.sampledAt)}`);
  if (x.declaredAt) parts.push(`${L('khai báo', 'declared')} ${fmtTime(x.declaredAt)}${x.originZone ? ` · ${L('từ', 'from')} ${zoneName(x.originZone)}` : ''}`);
  if (x.doses !== undefined && x.doses !== null) parts.push(`${term('word', 'doses')}: ${x.doses}`);
  if (x.status) parts.push(term('healthStatus', x.status));
  if (x.name) parts.push(`${term('word', 'name')}: ${x.name}`);
  if (x.phone !== undefined && x.phone !== null) parts.push(`${term('word', 'phone')}: ${x.phone}`);
  return parts.join('; ') || '—';
}

export async function historyCard(citizenId) {
  const changes = await api('GET', `/api/v1/people/${citizenId}/history`);
  return h('div', { class: 'card', 'data-testid': 'person-history' }, h('h2', {}, L('Lịch sử xét nghiệm, tiêm chủng và thay đổi', 'Tests, vaccination and changes')),
    table([
      [term('word', 'time'), (c) => fmtTime(c.at)],
      [L('Loại', 'Kind'), (c) => L(...(KIND[c.kind] ?? [c.kind, c.kind]))],
      [L('Nội dung', 'What'), changeText],
      [L('Người thực hiện', 'By'), (c) => c.byUser],
      [term('word', 'reason'), (c) => c.reason],
    ], changes, { empty: L('Chưa có thay đổi nào.', 'No changes yet.') }));
}

export function editForm(p, onSaved) {
  const out = h('div');
  const form = h('form', { class: 'card', 'data-testid': 'person-edit' }, h('h2', {}, L('Sửa hồ sơ', 'Edit the record')),
    h('div', { class: 'grid' },
      field(term('word', 'phone'), h('input', { name: 'phone', value: p.phone ?? '', maxlength: 20, pattern: '\\+?[0-9 .\\-]{6,20}', 'data-hint': 'phone' })),
      field(term('word', 'doses'), h('input', { name: 'doses', type: 'number', min: 0, max: 10, value: String(p.doses) })),
      field(term('word', 'healthStatus'), h('select', { name: 'status' }, ['NONE', 'F0', 'F1'].map((s) => h('option', { value: s, selected: s === p.status }, term('healthStatus', s))))),
      field(L('Lý do (bắt buộc)', 'Reason (required)'), h('input', { name: 'reason', maxlength: 500, required: true }))),
    h('div', { class: 'row', style: 'margin-top:8px' }, h('button', { type: 'submit' }, L('Lưu', 'Save'))), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    const changes = {};
    if ((v.phone || null) !== p.phone) changes.phone = v.phone || null;
    if (Number(v.doses) !== p.doses) changes.doses = Number(v.doses);
    if (v.status !== p.status) changes.status = v.status;
    if (Object.keys(changes).length === 0) return fill(out, h('div', { class: 'error' }, L('Không có gì thay đổi.', 'Nothing changed.')));
    try {
      const saved = await api('PATCH', `/api/v1/people/${p.citizenId}`, { json: { changes, reason: v.reason } });
      await onSaved(saved);
    } catch (err) {
      if (!showServerFieldErrors(form, err)) fill(out, h('div', { class: 'error' }, errorText(err)));
    }
  });
  return form;
}

/** People whose name or phone contains the text; a click looks the person up. */
export function nameSearch(onPick) {
  const results = h('div', { 'data-testid': 'people-found' });
  const form = h('form', { class: 'card row' },
    field(L('Họ tên hoặc số điện thoại', 'Name or phone'), h('input', { name: 'q', minlength: 2, maxlength: 100, required: true })),
    h('button', { type: 'submit' }, L('Tìm', 'Search')), results);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await api('GET', `/api/v1/people${query({ q: formValues(form).q, limit: 50 })}`);
      fill(results, table([
        [term('word', 'name'), (p) => h('a', { href: '#', on: { click: (ev) => { ev.preventDefault(); void onPick(p.citizenId); } } }, p.name)],
        [term('word', 'citizenId'), (p) => p.citizenId],
        [term('word', 'phone'), (p) => p.phone ?? '—'],
        [term('word', 'healthStatus'), (p) => term('healthStatus', p.status)],
      ], r.items, { empty: L('Không tìm thấy ai.', 'Nobody found.') }));
    } catch (err) {
      fill(results, h('div', { class: 'error' }, errorText(err)));
    }
  });
  return form;
}
