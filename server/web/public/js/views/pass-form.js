// The pass form: vehicle, crew rows (driver first), route, validity. Used to issue and to amend.
import { goodsLabel, loadMeta } from '../api.js';
import { field, h } from '../dom.js';
import { L } from '../i18n.js';
import { DATETIME } from '../validation.js';
import { zoneDatalist } from '../words.js';
import { fromVnInput, toVnInput } from '../vn-time.js';

const MAX_CREW = 4;

/** ms since epoch ↔ the text of a date-time box, both in Vietnam time whatever the browser's zone. */
export const toLocalInput = toVnInput;
export const fromLocalInput = fromVnInput;

const intList = (text) => text.split(/[,;\s]+/).filter(Boolean).map(Number);

function crewRow(member, onRemove) {
  const row = h('div', { class: 'crew-row', 'data-crew-row': '' },
    field(L('Họ và tên', 'Full name'), h('input', { 'data-k': 'name', required: true, maxlength: 120, value: member?.name ?? '' })),
    field(L('Số CCCD/CMND', 'Citizen ID'), h('input', { 'data-k': 'citizenId', required: true, pattern: '\\d{9}|\\d{12}', 'data-hint': 'citizenId', inputmode: 'numeric', value: member?.citizenId ?? '' })),
    field(L('Điện thoại', 'Phone'), h('input', { 'data-k': 'phone', type: 'tel', pattern: '\\+?[0-9 .\\-]{6,20}', 'data-hint': 'phone', value: member?.phone ?? '' })),
    h('button', { type: 'button', class: 'secondary', on: { click: () => onRemove(row) } }, L('Xóa', 'Remove')));
  return row;
}

/**
 * Build the form; `pass` pre-fills it (amend). onSubmit receives a PassInput-shaped object.
 * Returns the <form> element.
 */
export async function passForm({ pass, submitText, onSubmit }) {
  const meta = await loadMeta();
  const crewBox = h('div', {});
  const addCrew = (m) => {
    if (crewBox.children.length >= MAX_CREW) return;
    crewBox.appendChild(crewRow(m, (row) => crewBox.children.length > 1 && row.remove()));
  };
  for (const m of pass?.crew ?? [null]) addCrew(m);

  const untilNotice = h('input', { type: 'checkbox', name: 'untilNotice', checked: pass ? pass.validTo === null : false });
  const validTo = h('input', { ...DATETIME, name: 'validTo', value: toLocalInput(pass?.validTo ?? Date.now() + 7 * 86_400_000) });
  const syncValidTo = () => { validTo.disabled = untilNotice.checked; };
  untilNotice.addEventListener('change', syncValidTo);
  syncValidTo();

  const form = h('form', { class: 'card', 'data-testid': 'pass-form' },
    h('h2', {}, L('Phương tiện', 'Vehicle')),
    h('div', { class: 'grid' },
      field(L('Biển số', 'Plate'), h('input', { name: 'plate', required: true, placeholder: '51C-123.45', pattern: '[0-9]{2}[A-Za-z]{1,2}[0-9]?-[0-9]{3}\\.?[0-9]{1,2}', 'data-hint': 'plate', value: pass?.plate ?? '' })),
      field(L('Doanh nghiệp vận tải', 'Company'), h('input', { name: 'company', maxlength: 200, value: pass?.company ?? '' })),
      field(L('Loại hàng hóa', 'Goods'), h('select', { name: 'goods' },
        (meta.goods ?? []).map((_, i) => h('option', { value: String(i), selected: pass?.goods === i }, goodsLabel(i))))),
      field(L('Chiều được phép', 'Direction'), h('select', { name: 'direction' },
        [['both', L('Vào và ra', 'Entry and exit')], ['entry', L('Chỉ vào', 'Entry only')], ['exit', L('Chỉ ra', 'Exit only')]]
          .map(([v, text]) => h('option', { value: v, selected: (pass?.direction ?? 'both') === v }, text))))),
    h('h2', {}, L('Tổ lái (người đầu tiên là lái xe, tiếp theo là phụ xe)', 'Crew (first the driver, then assistant drivers)')),
    crewBox,
    h('button', { type: 'button', class: 'secondary', on: { click: () => addCrew(null) } }, L('+ Thêm phụ xe', '+ Add assistant driver')),
    h('h2', {}, L('Lộ trình', 'Route')),
    h('div', { class: 'grid' },
      field(L('Vùng xuất phát (mã tỉnh hoặc tỉnh-huyện)', 'Origin zone (province or province-district)'), h('input', { name: 'originZone', required: true, placeholder: '79', pattern: '\\d{2}(-\\d{3})?', 'data-hint': 'zone', list: 'pass-zones', value: pass?.originZone ?? '' })),
      field(L('Vùng đến', 'Destination zone'), h('input', { name: 'destinationZone', required: true, placeholder: '75-731', pattern: '\\d{2}(-\\d{3})?', 'data-hint': 'zone', list: 'pass-zones', value: pass?.destinationZone ?? '' })),
      field(L('Các chốt trên lộ trình (mã, cách nhau bởi dấu phẩy)', 'Route checkpoints (ids, comma separated)'), h('input', { name: 'routeCheckpoints', placeholder: '1, 2', value: (pass?.routeCheckpoints ?? []).join(', ') })),
      field(L('Các tỉnh trên lộ trình', 'Route provinces'), h('input', { name: 'routeProvinces', placeholder: '79, 75', value: (pass?.routeProvinces ?? []).join(', ') }))),
    field(L('Điểm xếp dỡ hàng được phép', 'Permitted loading and unloading places'), h('textarea', { name: 'permittedStops', maxlength: 1000, rows: 2, value: pass?.permittedStops ?? '' })),
    zoneDatalist('pass-zones'),
    h('h2', {}, L('Thời hạn', 'Validity')),
    h('div', { class: 'grid' },
      field(L('Có hiệu lực từ', 'Valid from'), h('input', { ...DATETIME, name: 'validFrom', value: toLocalInput(pass?.validFrom ?? Date.now()) })),
      field(L('Đến', 'Valid to'), validTo),
      h('label', { class: 'check' }, untilNotice, L('Đến khi có thông báo mới', 'Until further notice')),
      field(L('Thời gian lưu lại tối đa (giờ)', 'Maximum stay (hours)'), h('input', { type: 'number', name: 'maxStayHours', min: 1, max: 8760, value: pass?.maxStayHours ?? '' }))),
    h('div', { class: 'row', style: 'margin-top:12px' }, h('button', { type: 'submit' }, submitText)),
    h('div', { 'data-testid': 'form-result' }));

  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const v = Object.fromEntries([...new FormData(form).entries()].map(([k, x]) => [k, String(x).trim()]));
    const crew = [...crewBox.querySelectorAll('[data-crew-row]')].map((row) => {
      const get = (k) => row.querySelector(`[data-k="${k}"]`).value.trim();
      return { name: get('name'), citizenId: get('citizenId'), phone: get('phone') || null };
    });
    const input = {
      plate: v.plate.toUpperCase(),
      company: v.company || null,
      goods: Number(v.goods),
      crew,
      originZone: v.originZone,
      destinationZone: v.destinationZone,
      routeCheckpoints: intList(v.routeCheckpoints ?? ''),
      routeProvinces: intList(v.routeProvinces ?? ''),
      permittedStops: v.permittedStops || null,
      validTo: untilNotice.checked ? null : fromLocalInput(v.validTo),
      direction: v.direction,
    };
    const from = fromLocalInput(v.validFrom);
    if (from !== undefined) input.validFrom = from;
    if (v.maxStayHours) input.maxStayHours = Number(v.maxStayHours);
    const out = form.querySelector('[data-testid="form-result"]');
    if (input.validTo === undefined) {
      out.replaceChildren(h('div', { class: 'error' }, L('Nhập ngày hết hạn hoặc chọn "Đến khi có thông báo mới".', 'Enter an end date or tick "Until further notice".')));
      return;
    }
    void onSubmit(input, out);
  });
  return form;
}
