// Arrivals for the communes: people who entered the province from a zone of a level the policy names,
// on the list of the commune they declared (a district sees its communes, a province all); the commune
// confirms contact and marks each one monitored or not found; the province and district see per commune
// how many are still unconfirmed, and how many past N hours. Every list read is in the access log.
import { api, errorText, query } from '../api.js';
import { badge, field, fill, h, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';
import { term, word, zoneName } from '../words.js';

const READERS = ['health', 'command'];

const communeName = (province, district, commune) => `${L('Xã/phường', 'Commune')} ${commune} · ${zoneName(`${String(province).padStart(2, '0')}-${district}`).split(',')[0]}`;

function testText(a) {
  const flag = a.healthStatus === 'F0' || a.healthStatus === 'F1' ? badge(term('healthStatus', a.healthStatus), a.healthStatus === 'F0' ? 'bad' : 'warn') : null;
  if (!a.test) return [L('Chưa có kết quả', 'No result'), flag ? ' ' : null, flag];
  const t = a.test;
  return [badge(term('testResult', t.result), t.result === 'NEGATIVE' ? 'ok' : 'bad'), ` ${term('testType', t.type)} · ${L('lấy mẫu', 'sampled')} ${fmtTime(t.sampledAt)}`, flag ? ' ' : null, flag];
}

const outcomeKind = (o) => (o === 'monitored' ? 'ok' : o === 'not-found' ? 'bad' : 'warn');

function arrivalTable(items, onOutcome) {
  return table([
    [word('name'), (a) => [h('strong', {}, a.name), h('div', { class: 'muted mono' }, a.citizenId)]],
    [word('phone'), (a) => (a.phone ? h('a', { href: `tel:${a.phone.replace(/[^0-9+]/g, '')}` }, a.phone) : '—')],
    [word('origin'), (a) => [zoneName(a.originZone), h('div', {}, badge(term('zoneLevel', a.originLevel), a.originLevel >= 4 ? 'bad' : 'warn'))]],
    [word('test'), testText],
    [word('checkpoint'), (a) => a.checkpointName ?? String(a.checkpointId)],
    [L('Vào tỉnh lúc', 'Entered at'), (a) => fmtTime(a.enteredAt)],
    [word('destination'), (a) => [a.address, h('div', { class: 'muted' }, communeName(a.province, a.district, a.commune))]],
    [L('Theo dõi', 'Follow-up'), (a) => [
      badge(term('arrivalOutcome', a.outcome ?? 'pending'), outcomeKind(a.outcome)),
      a.outcomeBy ? h('div', { class: 'muted' }, `${a.outcomeBy} · ${fmtTime(a.outcomeAt)}`) : null,
      a.outcomeNote ? h('div', { class: 'muted' }, a.outcomeNote) : null,
      h('div', { class: 'row' },
        h('button', { type: 'button', 'data-outcome': 'monitored', on: { click: () => onOutcome(a, 'monitored') } }, L('Đã liên hệ, theo dõi', 'Contacted, monitor')),
        h('button', { type: 'button', class: 'secondary', 'data-outcome': 'not-found', on: { click: () => onOutcome(a, 'not-found') } }, term('arrivalOutcome', 'not-found'))),
    ]],
  ], items, { wide: true, empty: L('Không có người về cần theo dõi.', 'No arrivals to follow up.'), rowClass: (a) => (a.outcome ? null : 'warn') });
}

function summaryTable(s) {
  const total = s.communes.reduce((n, c) => n + c.unconfirmed, 0);
  return [
    h('p', { 'data-testid': 'unconfirmed-total' }, L(`Chưa xác nhận: ${total} người`, `Not confirmed: ${total}`)),
    table([
      [word('commune'), (c) => communeName(c.province, c.district, c.commune)],
      [L('Người về', 'Arrivals'), (c) => String(c.arrivals)],
      [term('arrivalOutcome', 'pending'), (c) => String(c.unconfirmed)],
      [L(`Quá ${s.hours} giờ chưa xác nhận`, `Not confirmed after ${s.hours} h`), (c) => (c.overdue > 0 ? badge(String(c.overdue), 'bad') : '0')],
    ], s.communes, { empty: L('Chưa có người về.', 'No arrivals yet.'), rowClass: (c) => (c.overdue > 0 ? 'warn' : null) }),
  ];
}

async function renderArrivals(main, ctx) {
  const sees = ctx.user.scopeLevel !== 'commune';
  const hours = h('input', { type: 'number', name: 'hours', min: 0, max: 720, value: 24, inputmode: 'numeric', required: true });
  const show = h('select', { name: 'show' },
    h('option', { value: 'unconfirmed' }, term('arrivalOutcome', 'pending')), h('option', { value: 'all' }, word('all')));
  const summaryBox = h('div', { 'data-testid': 'arrivals-summary' });
  const listBox = h('div', { 'data-testid': 'arrivals-list' });
  const load = async () => {
    try {
      if (sees) fill(summaryBox, summaryTable(await api('GET', `/api/v1/arrivals/summary${query({ hours: hours.value })}`)));
      const { items } = await api('GET', `/api/v1/arrivals${query({ show: show.value })}`);
      fill(listBox, arrivalTable(items, setOutcome));
    } catch (err) {
      fill(listBox, h('div', { class: 'error' }, errorText(err)));
    }
  };
  const setOutcome = async (a, outcome) => {
    try {
      await api('POST', `/api/v1/arrivals/${a.id}/outcome`, { json: { outcome } });
      ctx.toast(`${a.name}: ${term('arrivalOutcome', outcome)}`);
      await load();
    } catch (err) {
      ctx.toast(errorText(err), 'error');
    }
  };
  const form = h('form', { class: 'card row' },
    sees ? field(L('Số giờ chờ xác nhận', 'Hours allowed to confirm'), hours) : null,
    field(L('Hiển thị', 'Show'), show),
    h('button', { type: 'submit' }, L('Xem', 'Show')));
  form.addEventListener('submit', (e) => { e.preventDefault(); void load(); });
  show.addEventListener('change', () => void load());
  fill(main, h('h1', {}, word('arrivals')),
    h('p', { class: 'muted' }, L('Người vào tỉnh từ vùng có cấp độ dịch theo quy định, theo nơi đến đã khai báo. Mỗi lần xem được ghi vào nhật ký truy cập.',
      'People who entered from zones of the levels the policy names, by the destination they declared. Every view is written to the access log.')),
    form, sees ? h('section', { class: 'card' }, h('h2', {}, L('Theo xã/phường', 'By commune')), summaryBox) : null, listBox);
  await load();
}

export default [
  { path: 'arrivals', roles: READERS, nav: true, title: () => word('arrivals'), render: renderArrivals },
];
