// Checkpoint officers of the admin's province: badge id, name and PIN (kept on the server and sent to
// the province's stations only as a hash). A new officer can sign in at any checkpoint after its next sync.
import { api, errorText } from '../api.js';
import { badge, field, fill, formValues, h, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';

const err = (e) => h('div', { class: 'error', role: 'alert' }, errorText(e));

async function renderOfficers(main) {
  const list = h('div', { 'data-testid': 'officers' });
  const out = h('div');
  const load = async () => {
    const officers = await api('GET', '/api/v1/officers');
    fill(list, table([
      [L('Mã cán bộ', 'Officer id'), (o) => o.officerId],
      [L('Họ tên', 'Name'), (o) => o.name],
      [L('Trạng thái', 'State'), (o) => (o.disabled ? badge(L('Đã khóa', 'Disabled'), 'bad') : badge(L('Hoạt động', 'Active'), 'ok'))],
      [L('Cập nhật', 'Updated'), (o) => fmtTime(o.updatedAt)],
      ['', (o) => h('div', { class: 'row' },
        h('button', { type: 'button', class: 'secondary', on: { click: async () => {
          const pin = prompt(L(`Mã PIN mới cho ${o.officerId} (4–12 chữ số):`, `New PIN for ${o.officerId} (4–12 digits):`));
          if (!pin) return;
          try {
            await api('PATCH', `/api/v1/officers/${encodeURIComponent(o.officerId)}`, { json: { pin } });
            fill(out, h('div', { class: 'notice' }, L(`Đã đặt lại mã PIN của ${o.officerId}`, `PIN of ${o.officerId} reset`)));
            await load();
          } catch (e) { fill(out, err(e)); }
        } } }, L('Đặt lại mã PIN', 'Reset PIN')),
        h('button', { type: 'button', class: 'secondary', on: { click: async () => {
          if (!o.disabled && !confirm(L(`Khóa cán bộ ${o.officerId}? Cán bộ này sẽ không đăng nhập được ở chốt.`, `Disable officer ${o.officerId}? They will not be able to sign in at a checkpoint.`))) return;
          try { await api('PATCH', `/api/v1/officers/${encodeURIComponent(o.officerId)}`, { json: { disabled: !o.disabled } }); await load(); } catch (e) { fill(out, err(e)); }
        } } }, o.disabled ? L('Mở khóa', 'Enable') : L('Khóa', 'Disable')))],
    ], officers));
  };
  const form = h('form', { class: 'card', novalidate: true },
    h('h2', {}, L('Thêm cán bộ chốt', 'Add a checkpoint officer')),
    h('p', { class: 'hint' }, L('Cán bộ đăng nhập màn hình chốt bằng mã cán bộ và mã PIN; các trạm trong tỉnh nhận danh sách ở lần đồng bộ kế tiếp.',
      'Officers sign in at the lane screen with their id and PIN; the province’s stations receive the list at their next sync.')),
    h('div', { class: 'grid' },
      field(L('Mã cán bộ', 'Officer id'), h('input', { name: 'officerId', maxlength: 40, autocomplete: 'off' })),
      field(L('Họ tên', 'Name'), h('input', { name: 'name', maxlength: 100 })),
      field(L('Mã PIN (4–12 chữ số)', 'PIN (4–12 digits)'), h('input', { name: 'pin', type: 'password', inputmode: 'numeric', maxlength: 12, autocomplete: 'new-password' }))),
    h('div', { class: 'row', style: 'margin-top:10px' }, h('button', { type: 'submit' }, L('Thêm', 'Add'))), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const v = formValues(form);
    if (!/^[A-Za-z0-9_.-]{1,40}$/.test(v.officerId ?? '')) return fill(out, h('div', { class: 'error', role: 'alert' }, L('Mã cán bộ chỉ gồm chữ, số, dấu chấm, gạch', 'An officer id has letters, digits, dots and dashes only')));
    if (!String(v.name ?? '').trim()) return fill(out, h('div', { class: 'error', role: 'alert' }, L('Hãy nhập họ tên', 'Enter the name')));
    if (!/^\d{4,12}$/.test(v.pin ?? '')) return fill(out, h('div', { class: 'error', role: 'alert' }, L('Mã PIN gồm 4 đến 12 chữ số', 'A PIN is 4 to 12 digits')));
    try {
      await api('POST', '/api/v1/officers', { json: { officerId: v.officerId, name: v.name.trim(), pin: v.pin } });
      form.reset();
      fill(out, h('div', { class: 'notice' }, L(`Đã thêm cán bộ ${v.officerId}`, `Officer ${v.officerId} added`)));
      await load();
    } catch (e) {
      fill(out, err(e));
    }
  });
  fill(main, h('h1', {}, L('Cán bộ chốt', 'Checkpoint officers')), form, list);
  await load();
}

export default [
  { path: 'admin/officers', roles: ['admin'], nav: true, title: () => L('Cán bộ chốt', 'Checkpoint officers'), render: renderOfficers },
];
