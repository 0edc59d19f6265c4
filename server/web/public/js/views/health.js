// Health authority: import declarations, tests and F0/F1 flags; look a person up; issue a health code.
import { api, errorText } from '../api.js';
import { badge, field, filePicker, fill, h, kvTable, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';
import { term, zoneName } from '../words.js';
import { rowErrors } from './row-errors.js';
import { editForm, historyCard, nameSearch } from './health-record.js';

const HEALTH = ['health'];

const KINDS = {
  declarations: { vi: 'Khai báo y tế', en: 'Health declarations', sample: 'Số CCCD,Họ và tên,Ngày khai báo,Vùng đi,Số điện thoại,Số mũi tiêm\n079123456789,Nguyễn Văn An,30/11/2026 07:30,79-760,0901234567,2' },
  tests: { vi: 'Kết quả xét nghiệm', en: 'Test results', sample: 'Số CCCD,Loại xét nghiệm,Kết quả,Ngày lấy mẫu\n079123456789,Xét nghiệm RT-PCR,Âm tính,29/11/2026 09:00' },
  flags: { vi: 'Phân loại F0/F1', en: 'F0/F1 flags', sample: 'Số CCCD,Phân loại,Ngày phân loại\n079123456789,F1,30/11/2026 06:00' },
  // where arriving people are going: the communes' arrival lists (views/arrivals.js)
  destinations: {
    vi: 'Khai báo nơi đến (người về địa phương)', en: 'Declared destinations (arrivals)', url: '/api/v1/arrivals/declarations/import', template: '/api/v1/arrivals/declarations/template.csv',
    sample: 'Số CCCD,Họ và tên,Vùng đi,Mã quận/huyện đến,Mã xã/phường đến,Địa chỉ nơi đến,Ngày khai báo,Số điện thoại\n079123456789,Nguyễn Văn An,01-001,760,26734,12 Lê Lợi,30/11/2026 07:30,0901234567',
  },
};
const importUrl = (k) => KINDS[k].url ?? `/api/v1/health/import/${k}`;

async function renderImport(main) {
  const out = h('div', { 'data-testid': 'import-result' });
  const kind = h('select', { name: 'kind' }, Object.entries(KINDS).map(([k, v]) => h('option', { value: k }, L(v.vi, v.en))));
  const format = h('select', { name: 'format' }, h('option', { value: 'csv' }, 'CSV'), h('option', { value: 'json' }, L('JSON (mảng các dòng)', 'JSON (array of rows)')));
  const text = h('textarea', { name: 'data', rows: 9 });
  const sample = h('p', { class: 'sample' });
  const template = h('a', {}, L('Tải tệp mẫu', 'Download the template'));
  const showSample = () => {
    sample.textContent = KINDS[kind.value].sample.split('\n')[0];
    text.placeholder = KINDS[kind.value].sample;
    template.href = KINDS[kind.value].template ?? `${importUrl(kind.value)}/template.csv`;
    template.setAttribute('download', `mau-nhap-${kind.value}.csv`);
  };
  kind.addEventListener('change', showSample);
  showSample();
  const file = filePicker(L('Chọn tệp', 'Choose a file'), '.csv,.json,text/csv,application/json', async (f) => {
    text.value = await f.text();
    format.value = f.name.toLowerCase().endsWith('.json') ? 'json' : 'csv';
  });
  const form = h('form', { class: 'card' },
    h('div', { class: 'row' }, field(L('Loại dữ liệu', 'Kind of data'), kind), field(L('Định dạng', 'Format'), format), file),
    h('p', { class: 'muted' }, L('Các cột:', 'Columns:')), sample, h('p', {}, template),
    h('p', { class: 'muted' }, L('Ngày viết dd/mm/yyyy hoặc dd/mm/yyyy HH:mm (giờ Việt Nam); loại xét nghiệm và kết quả viết bằng chữ như trong mẫu.',
      'Dates as dd/mm/yyyy or dd/mm/yyyy HH:mm (Vietnam time); test type and result in words as in the template.')),
    field(L('hoặc dán nội dung', 'or paste the content'), text),
    h('p', { class: 'muted' }, L('Chỉ cần một dòng sai thì không dòng nào được nhập.', 'One bad row and nothing is imported.')),
    h('button', { type: 'submit' }, L('Nhập', 'Import')), out);
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const url = importUrl(kind.value);
    try {
      let r;
      if (format.value === 'json') {
        let parsed;
        try {
          parsed = JSON.parse(text.value);
        } catch (err) {
          fill(out, h('div', { class: 'error' }, L(`JSON không hợp lệ: ${err.message}`, `Invalid JSON: ${err.message}`)));
          return;
        }
        r = await api('POST', url, { json: parsed });
      } else {
        r = await api('POST', url, { text: text.value, contentType: 'text/csv; charset=utf-8' });
      }
      fill(out, h('div', { class: 'notice' }, L(`Đã nhập ${r.imported} dòng, ${r.changed} người có thay đổi.`, `Imported ${r.imported} rows; ${r.changed} people changed.`)));
    } catch (err) {
      fill(out, rowErrors(err));
    }
  });
  fill(main, h('h1', {}, L('Nhập dữ liệu y tế', 'Import health data')), form);
}

const statusKind = (s) => (s === 'F0' ? 'bad' : s === 'F1' ? 'warn' : 'ok');

function personCard(p, onCode) {
  const t = p.test;
  return h('div', { class: 'card', 'data-testid': 'person' },
    h('h2', {}, `${p.name} · ${p.citizenId} `, badge(term('healthStatus', p.status), statusKind(p.status))),
    kvTable([
      [L('Điện thoại', 'Phone'), p.phone ?? '—'],
      [L('Khai báo y tế', 'Declaration'), p.declaredAt ? `${fmtTime(p.declaredAt)} · ${L('từ', 'from')} ${zoneName(p.originZone)}` : L('Chưa khai báo', 'None')],
      [L('Xét nghiệm', 'Test'), t ? `${term('testType', t.type)} · ${term('testResult', t.result)} · ${L('lấy mẫu', 'sampled')} ${fmtTime(t.sampledAt)}` : L('Chưa có', 'None')],
      [L('Số mũi tiêm', 'Vaccine doses'), String(p.doses)],
      [L('Phân loại từ', 'Status as of'), p.statusAsOf ? fmtTime(p.statusAsOf) : '—'],
      [L('Cập nhật', 'Updated'), `${fmtTime(p.updatedAt)} · ${p.updatedBy}`],
    ]),
    h('button', { type: 'button', on: { click: onCode } }, L('Cấp mã y tế', 'Issue health code')));
}

async function renderPerson(main) {
  const out = h('div');
  const codeBox = h('div');
  const below = h('div');
  const id = h('input', { name: 'citizenId', required: true, pattern: '\\d{9}|\\d{12}', 'data-hint': 'citizenId', inputmode: 'numeric' });
  const form = h('form', { class: 'card row' }, field(L('Số CCCD/CMND', 'Citizen ID'), id), h('button', { type: 'submit' }, L('Tra cứu', 'Look up')));
  const issue = async (citizenId) => {
    try {
      const { code } = await api('GET', `/api/v1/people/${citizenId}/health-code`);
      fill(codeBox, h('div', { class: 'card qr', 'data-testid': 'health-code' },
        h('h2', {}, L('Mã y tế', 'Health code')),
        h('img', { src: `/api/v1/people/${citizenId}/health-code.png?t=${Date.now()}`, alt: L('Mã QR y tế', 'Health QR code') }),
        h('p', { class: 'mono' }, code)));
    } catch (err) {
      fill(codeBox, h('div', { class: 'error' }, errorText(err)));
    }
  };
  const lookUp = async (citizenId) => {
    fill(codeBox);
    fill(below);
    try {
      const p = await api('GET', `/api/v1/people/${citizenId}`);
      fill(out, personCard(p, () => issue(p.citizenId)),
        h('p', {}, h('a', { href: `/api/v1/people/${p.citizenId}/health-code/sheet`, target: '_blank', rel: 'noopener', 'data-testid': 'print-health-code' },
          L('In mã y tế (có thời hạn giá trị)', 'Print the health code (with its validity)'))));
      // the edit and the history take the page's width below the record and its code
      fill(below, editForm(p, () => lookUp(p.citizenId)), await historyCard(p.citizenId));
    } catch (err) {
      fill(out, h('div', { class: 'error' }, errorText(err)));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void lookUp(id.value.trim()); });
  fill(main, h('h1', {}, L('Tra cứu người', 'Look up a person')),
    h('p', { class: 'muted' }, L('Mỗi lần tra cứu được ghi vào nhật ký truy cập.', 'Every lookup is written to the access log.')),
    form, nameSearch((citizenId) => { id.value = citizenId; return lookUp(citizenId); }), h('div', { class: 'split' }, out, codeBox), below);
  id.focus();
}

export default [
  { path: 'health/import', roles: HEALTH, nav: true, title: () => L('Nhập dữ liệu y tế', 'Import health data'), render: renderImport },
  { path: 'health/person', roles: HEALTH, nav: true, title: () => L('Tra cứu người', 'Look up a person'), render: renderPerson },
];
