// Transport department: search, issue, amend, extend, suspend/reinstate, revoke, print, bulk import.
import { api, errorText, goodsLabel, loadMeta, query } from '../api.js';
import { badge, field, filePicker, fill, h, kvTable, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';
import { provinceName, term, zoneName } from '../words.js';
import { DATETIME, fieldMessage, setFieldError, showServerFieldErrors } from '../validation.js';
import { fromLocalInput, passForm, toLocalInput } from './pass-form.js';
import { rowErrors } from './row-errors.js';
import { expiryCell, passList, statusLabel } from './pass-list.js';

export { statusLabel };

const TRANSPORT = ['transport'];

const validity = (p) => `${fmtTime(p.validFrom)} → ${p.validTo === null ? L('đến khi có thông báo mới', 'until further notice') : fmtTime(p.validTo)}`;

async function renderSearch(main, ctx) {
  await loadMeta();
  const list = passList(ctx);
  fill(main, h('div', { class: 'row', style: 'justify-content:space-between' }, h('h1', {}, L('Giấy phép phương tiện', 'Vehicle passes')), list.actions),
    list.form, list.out, list.results);
  await list.run();
}

/** Who did what to the pass, when and why: its whole history, oldest first. */
async function historyCard(p) {
  const events = await api('GET', `/api/v1/passes/${p.passId}/history`);
  return h('div', { class: 'card', 'data-testid': 'pass-history' }, h('h2', {}, L('Lịch sử thay đổi', 'History')),
    table([
      [term('word', 'time'), (e) => fmtTime(e.at)],
      [L('Thao tác', 'Action'), (e) => term('passAction', e.action)],
      [L('Phiên bản', 'Version'), (e) => String(e.version)],
      [L('Người thực hiện', 'By'), (e) => e.by],
      [term('word', 'reason'), (e) => e.reason ?? '—'],
    ], events, { empty: L('Chưa có thay đổi nào.', 'No changes yet.') }));
}

async function renderNew(main, ctx) {
  const form = await passForm({
    submitText: L('Cấp giấy phép', 'Issue pass'),
    onSubmit: async (input, out) => {
      try {
        const p = await api('POST', '/api/v1/passes', { json: input });
        ctx.toast(L(`Đã cấp giấy phép #${p.passId}`, `Pass #${p.passId} issued`));
        ctx.go(`passes/${p.passId}`);
      } catch (err) {
        fill(out, h('div', { class: 'error' }, errorText(err)));
      }
    },
  });
  fill(main, h('h1', {}, L('Cấp giấy phép mới', 'Issue a pass')), form);
}

async function renderAmend(main, ctx) {
  const pass = await api('GET', `/api/v1/passes/${ctx.params.id}`);
  const reason = h('input', { name: 'reason', maxlength: 500, minlength: 3, required: true });
  const form = await passForm({
    pass,
    submitText: L('Lưu phiên bản mới', 'Save a new version'),
    onSubmit: async (input, out) => {
      // every change says why: the reason sits above the form, so it is checked here
      const missing = fieldMessage(reason);
      setFieldError(reason, missing);
      if (missing) return reason.focus();
      try {
        const p = await api('POST', `/api/v1/passes/${pass.passId}/amend`, { json: { changes: input, reason: reason.value.trim() || null } });
        ctx.toast(L(`Đã sửa giấy phép #${p.passId}, phiên bản ${p.version}: cần in lại`, `Pass #${p.passId} amended to version ${p.version}: print it again`));
        ctx.go(`passes/${p.passId}`);
      } catch (err) {
        fill(out, h('div', { class: 'error' }, errorText(err)));
      }
    },
  });
  fill(main, h('h1', {}, L(`Sửa giấy phép #${pass.passId} (${pass.plate})`, `Amend pass #${pass.passId} (${pass.plate})`)),
    h('p', { class: 'muted' }, L('Sửa giấy phép tạo mã mới; tờ in cũ sẽ không còn hiệu lực.', 'An amendment makes a new code; the old printed sheet stops being valid.')),
    h('div', { class: 'card' }, field(L('Lý do sửa (bắt buộc)', 'Reason (required)'), reason)), form);
}

/** One action with a reason (and for extend a new end date), posted then re-rendered. */
function actionForm(pass, ctx, { action, title, danger, withDate }) {
  const needsReason = true; // every change to a pass says why, in its history
  const out = h('div');
  const until = h('input', { type: 'checkbox', name: 'until', checked: pass.validTo === null });
  const date = h('input', { ...DATETIME, name: 'validTo', value: toLocalInput(pass.validTo ?? Date.now() + 7 * 86_400_000) });
  const reason = h('input', { name: 'reason', maxlength: 500, minlength: 3, required: needsReason });
  const form = h('form', { class: 'card', 'data-action': action },
    h('h2', {}, title),
    h('div', { class: 'row' },
      withDate ? [field(L('Hạn mới', 'New end'), date), h('label', { class: 'check' }, until, L('Đến khi có thông báo mới', 'Until further notice'))] : null,
      field(needsReason ? L('Lý do (bắt buộc)', 'Reason (required)') : L('Lý do', 'Reason'), reason),
      h('button', { type: 'submit', class: danger ? 'danger' : '' }, title)),
    out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const body = { reason: reason.value.trim() || null };
    if (withDate) body.validTo = until.checked ? null : fromLocalInput(date.value) ?? null;
    if (action === 'revoke' && !confirm(L('Thu hồi giấy phép này? Không thể hoàn tác.', 'Revoke this pass? This cannot be undone.'))) return;
    try {
      await api('POST', `/api/v1/passes/${pass.passId}/${action}`, { json: body });
      ctx.toast(L('Đã lưu', 'Saved'));
      await renderDetail(ctx.main, ctx);
    } catch (err) {
      // a missing reason comes back naming its field: shown under it
      if (!showServerFieldErrors(form, err)) fill(out, h('div', { class: 'error' }, errorText(err)));
    }
  });
  return form;
}

async function renderDetail(main, ctx) {
  ctx.main = main;
  await loadMeta();
  const p = await api('GET', `/api/v1/passes/${ctx.params.id}`);
  const rows = [
    [L('Biển số', 'Plate'), p.plate],
    [L('Doanh nghiệp', 'Company'), p.company ?? '—'],
    [L('Hàng hóa', 'Goods'), goodsLabel(p.goods)],
    [L('Tổ lái', 'Crew'), h('div', {}, p.crew.map((c) => h('div', {}, `${c.role === 'driver' ? L('Lái xe', 'Driver') : L('Phụ xe', 'Assistant')}: ${c.name} · ${c.citizenId}${c.phone ? ` · ${c.phone}` : ''}`)))],
    [L('Lộ trình', 'Route'), `${zoneName(p.originZone)} → ${zoneName(p.destinationZone)}; ${L('chốt', 'checkpoints')} ${p.routeCheckpoints.join(', ') || '—'}; ${L('qua', 'through')} ${p.routeProvinces.map(provinceName).join(', ') || '—'}`],
    [L('Điểm xếp dỡ', 'Permitted stops'), p.permittedStops ?? '—'],
    [L('Thời hạn', 'Validity'), validity(p)],
    [term('word', 'validTo'), h('span', { class: 'big-expiry' }, expiryCell(p))],
    [L('Lưu lại tối đa', 'Maximum stay'), `${p.maxStayHours} ${L('giờ', 'h')}`],
    [L('Cập nhật', 'Updated'), `${fmtTime(p.updatedAt)} · ${p.updatedBy}`],
  ];
  const active = p.status === 'ACTIVE';
  fill(main,
    h('div', { class: 'row', style: 'justify-content:space-between' },
      h('h1', {}, L(`Giấy phép #${p.passId} · phiên bản ${p.version} `, `Pass #${p.passId} · version ${p.version} `), badge(statusLabel(p.status), p.status)),
      h('div', { class: 'row' },
        // a revoked or suspended pass is never printed as if valid (its sheet says so, and the screen offers no print)
        p.status === 'ACTIVE'
          ? h('a', { href: `/api/v1/passes/${p.passId}/sheet`, target: '_blank', rel: 'noopener', 'data-testid': 'print-sheet' }, h('button', { type: 'button' }, L('In tờ mã QR', 'Print QR sheet')))
          : h('span', { class: 'muted', 'data-testid': 'no-print' }, L('Giấy phép không còn hiệu lực: không in được', 'The pass is not valid: it cannot be printed')),
        p.status !== 'REVOKED' ? h('button', { type: 'button', class: 'secondary', on: { click: () => ctx.go(`passes/${p.passId}/amend`) } }, L('Sửa giấy phép', 'Amend')) : null)),
    p.statusReason ? h('div', { class: 'error' }, `${L('Lý do', 'Reason')}: ${p.statusReason}`) : null,
    h('div', { class: 'split' },
      h('div', { class: 'card' }, kvTable(rows)),
      h('div', { class: 'card qr' }, h('img', { src: `/api/v1/passes/${p.passId}/code.png?v=${p.version}`, alt: L('Mã QR của giấy phép', 'The pass QR code') }),
        h('p', { class: 'mono', 'data-testid': 'pass-code' }, p.code))),
    p.status !== 'REVOKED' ? actionForm(p, ctx, { action: 'extend', title: L('Gia hạn', 'Extend'), withDate: true }) : null,
    active ? actionForm(p, ctx, { action: 'suspend', title: L('Tạm dừng', 'Suspend') }) : null,
    p.status === 'SUSPENDED' ? actionForm(p, ctx, { action: 'reinstate', title: L('Khôi phục', 'Reinstate') }) : null,
    p.status !== 'REVOKED' ? actionForm(p, ctx, { action: 'revoke', title: L('Thu hồi', 'Revoke'), danger: true }) : null,
    await historyCard(p));
}

const PASS_CSV_SAMPLE = 'Biển số,Loại hàng hóa,Số CCCD lái xe,Họ tên lái xe,Vùng đi,Vùng đến,Các chốt trên lộ trình,Hiệu lực từ,Hiệu lực đến\n'
  + '51C-123.45,"Hàng thiết yếu, lương thực, thực phẩm",079123456789,Nguyễn Văn An,79-760,80,1;2,30/11/2026 08:00,07/12/2026 18:00\n';

async function renderImport(main) {
  const out = h('div', { 'data-testid': 'import-result' });
  const text = h('textarea', { name: 'csv', rows: 8, placeholder: PASS_CSV_SAMPLE });
  const file = filePicker(L('Chọn tệp', 'Choose a file'), '.csv,text/csv', async (f) => { text.value = await f.text(); });
  const form = h('form', { class: 'card' },
    h('p', {}, L('Tệp CSV (UTF-8) có dòng tiêu đề. Chỉ cần một dòng sai thì không dòng nào được nhập; các dòng sai được liệt kê bên dưới.',
      'A CSV file (UTF-8) with a header line. One bad row and nothing is imported; the bad rows are listed below.')),
    h('p', {}, h('a', { href: '/api/v1/passes/import/template.csv', download: 'mau-nhap-giay-phep.csv' }, L('Tải tệp mẫu (tiêu đề tiếng Việt, có một dòng ví dụ)', 'Download the template (Vietnamese headers, one example row)'))),
    h('p', { class: 'muted' }, L('Ngày viết dd/mm/yyyy hoặc dd/mm/yyyy HH:mm (giờ Việt Nam); loại hàng, chiều đi viết bằng chữ như trong mẫu.',
      'Dates as dd/mm/yyyy or dd/mm/yyyy HH:mm (Vietnam time); goods and direction in words as in the template.')),
    file,
    field(L('hoặc dán nội dung', 'or paste the content'), text),
    h('button', { type: 'submit' }, L('Nhập', 'Import')), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    try {
      const r = await api('POST', '/api/v1/passes/import', { text: text.value, contentType: 'text/csv; charset=utf-8' });
      fill(out, h('div', { class: 'notice' }, L(`Đã nhập ${r.imported} giấy phép: `, `Imported ${r.imported} passes: `),
        r.passIds.map((id) => [h('a', { href: `#/passes/${id}` }, `#${id}`), ' '])));
    } catch (err) {
      fill(out, rowErrors(err));
    }
  });
  fill(main, h('h1', {}, L('Nhập giấy phép hàng loạt', 'Bulk import of passes')), form);
}

export default [
  { path: 'passes', roles: TRANSPORT, nav: true, title: () => L('Giấy phép', 'Passes'), render: renderSearch },
  { path: 'passes/new', roles: TRANSPORT, nav: true, title: () => L('Cấp giấy phép', 'Issue'), render: renderNew },
  { path: 'passes/import', roles: TRANSPORT, nav: true, title: () => L('Nhập CSV', 'Import'), render: renderImport },
  { path: 'passes/:id', roles: TRANSPORT, title: () => L('Giấy phép', 'Pass'), render: renderDetail },
  { path: 'passes/:id/amend', roles: TRANSPORT, title: () => L('Sửa giấy phép', 'Amend pass'), render: renderAmend },
];
