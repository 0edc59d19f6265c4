// Trips across provinces: a vehicle's journey as its stays in each province, in order ("vào Long An tại
// chốt 8001 lúc …, ra lúc …, vào Thành phố Hồ Chí Minh tại chốt 7901 lúc …"). Found by pass
// (79-17: issuing province and number) or by plate. Checkpoints of other provinces are not shown,
// only which province and when.
import { api, errorText, query } from '../api.js';
import { badge, field, fill, h } from '../dom.js';
import { L, fmtAge, fmtTime } from '../i18n.js';
import { setFieldError } from '../validation.js';
import { provinceName, term, word } from '../words.js';

const PASS_REF = /^\d{2}-[1-9]\d{0,12}$/;
// a plate with its punctuation, as printed: 51C-123.45
const PLATE = /^[0-9]{2}[A-Z]{1,2}[0-9]?-[0-9]{3}\.?[0-9]{1,2}$/;

function where(point, detailed) {
  if (!point) return null;
  const at = `${L('lúc', 'at')} ${fmtTime(point.at)}`;
  return detailed && point.checkpointId !== null ? `${L('tại chốt', 'at checkpoint')} ${point.checkpointId} ${at}` : at;
}

/** One sentence per leg: "Vào Tỉnh Long An tại chốt 8001 lúc …; ra tại chốt 8002 lúc …". */
function legSentence(leg) {
  const place = provinceName(leg.province);
  const parts = [];
  if (leg.entry) parts.push(`${L('Vào', 'Entered')} ${place} ${where(leg.entry, leg.detailed)}`);
  if (leg.exit) parts.push(`${leg.entry ? L('ra', 'left') : `${L('Ra khỏi', 'Left')} ${place}`} ${where(leg.exit, leg.detailed)}`);
  return parts.join('; ');
}

function legCard(leg, i) {
  const kind = leg.overdue ? 'DENY' : leg.state === 'left' ? 'ALLOW' : 'REVIEW';
  const stayed = leg.entry && leg.exit ? h('span', { class: 'muted' }, ` · ${L('ở lại', 'stayed')} ${fmtAge(leg.exit.at - leg.entry.at)}`) : null;
  return h('li', { class: `card${leg.overdue ? ' bad' : ''}`, 'data-testid': 'trip-leg', 'data-province': String(leg.province) },
    h('div', { class: 'row', style: 'justify-content:space-between' },
      h('strong', {}, `${i + 1}. ${provinceName(leg.province)}`),
      badge(leg.overdue ? L('Quá hạn chưa rời tỉnh', 'Overdue to leave') : term('tripLeg', leg.state), kind)),
    h('div', {}, legSentence(leg), stayed),
    leg.overdue && leg.dueAt ? h('div', { class: 'error' }, L(`Phải rời tỉnh trước ${fmtTime(leg.dueAt)}`, `Due to leave by ${fmtTime(leg.dueAt)}`)) : null,
    leg.detailed ? null : h('div', { class: 'muted' }, L('Chốt của tỉnh khác không hiển thị; chỉ hiện tỉnh và thời điểm.', 'Another province\'s checkpoints are not shown; only the province and the time.')));
}

export async function renderTrips(main) {
  const input = h('input', { name: 'q', maxlength: 16, placeholder: '79-17 / 51C-123.45', 'aria-label': L('Giấy phép hoặc biển số', 'Pass or plate') });
  const out = h('div', { 'data-testid': 'trip', 'aria-live': 'polite' });
  const form = h('form', { class: 'card row' },
    field(L(`${word('pass')} (ví dụ 79-17) hoặc ${word('plate').toLowerCase()}`, `${word('pass')} (e.g. 79-17) or ${word('plate').toLowerCase()}`), input),
    h('button', { type: 'submit' }, L('Xem hành trình', 'Show the trip')));
  const run = async () => {
    const text = input.value.trim().toUpperCase();
    const params = PASS_REF.test(text) ? { passRef: text } : PLATE.test(text) ? { plate: text } : null;
    setFieldError(input, params ? '' : L('Nhập mã giấy phép dạng 79-17 hoặc biển số dạng 51C-123.45', 'Enter a pass as 79-17 or a plate as 51C-123.45'));
    if (!params) return;
    try {
      const trip = await api('GET', `/api/v1/trips${query(params)}`);
      if (trip.legs.length === 0) {
        fill(out, h('p', { class: 'muted' }, L('Không có lượt qua chốt nào của tỉnh mình trong khoảng thời gian này.', 'No crossing at your province\'s checkpoints in this period.')));
        return;
      }
      fill(out,
        h('p', {}, L(`Qua ${trip.provinces.length} tỉnh/thành phố: `, `Through ${trip.provinces.length} provinces: `), h('strong', {}, trip.provinces.map(provinceName).join(' → '))),
        h('p', { class: 'muted' }, `${word('pass')}: ${trip.passes.join(', ') || '—'} · ${word('plate')}: ${trip.plates.join(', ') || '—'} · ${L('giờ Việt Nam', 'Vietnam time')}, ${fmtTime(trip.from)} – ${fmtTime(trip.to)}`),
        trip.truncated ? h('div', { class: 'error' }, L('Hành trình quá dài: chỉ hiện các lượt gần nhất.', 'Trip too long: only the latest crossings are shown.')) : null,
        h('ol', { class: 'trip-legs', style: 'list-style:none;padding:0' }, trip.legs.map(legCard)));
    } catch (err) {
      fill(out, h('div', { class: 'error' }, errorText(err)));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void run(); });
  fill(main, h('h1', {}, L('Hành trình qua các tỉnh', 'Trips across provinces')), form, out);
}
