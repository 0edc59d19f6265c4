// Charts for the command center: crossings per hour per checkpoint, and why scans were denied.
import { api, errorText, loadMeta, query, reasonLabel } from '../api.js';
import { field, fill, h } from '../dom.js';
import { L } from '../i18n.js';
import { term } from '../words.js';
import { DATETIME } from '../validation.js';
import { vnHourLabel } from '../vn-time.js';
import { horizontalBars, stackedBars } from '../svg-charts.js';
import { fromLocalInput, toLocalInput } from './pass-form.js';

const STATS = '/api/v1/stats/crossings';
export const VERDICTS = ['ALLOW', 'REVIEW', 'DENY'];
export const VERDICT_COLOR = { ALLOW: '#1e7b34', REVIEW: '#e69138', DENY: '#b3261e' };
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const hourLabel = vnHourLabel;

/** Every hour of the range is on the axis, so quiet hours show as gaps in time, not as missing columns. */
function everyHour(range) {
  const first = Math.floor((range.from ?? Date.now() - DAY) / HOUR) * HOUR;
  const last = Math.floor((range.to ?? Date.now()) / HOUR) * HOUR;
  const xs = [];
  for (let t = first; t <= last && xs.length < 24 * 93; t += HOUR) xs.push(hourLabel(t));
  return xs;
}

export async function renderCharts(main) {
  await loadMeta();
  const hourlyBox = h('div', { 'data-testid': 'chart-hourly' });
  const reasonsBox = h('div', { 'data-testid': 'chart-reasons' });
  const verdictBox = h('div', { 'data-testid': 'chart-verdicts' });
  const from = h('input', { ...DATETIME, name: 'from', value: toLocalInput(Date.now() - 24 * 3_600_000) });
  const to = h('input', { ...DATETIME, name: 'to', value: toLocalInput(Date.now() + 60_000) });
  const form = h('form', { class: 'card row' }, field(L('Từ', 'From'), from), field(L('Đến', 'To'), to), h('button', { type: 'submit' }, L('Xem', 'Show')));
  const load = async () => {
    const range = { from: fromLocalInput(from.value), to: fromLocalInput(to.value) };
    try {
      // all crossings per hour; the reasons of denied scans only
      const [all, denied] = await Promise.all([api('GET', `${STATS}${query(range)}`), api('GET', `${STATS}${query({ ...range, verdict: 'DENY' })}`)]);
      fill(hourlyBox, stackedBars(all.perCheckpointHour.map((r) => ({ x: hourLabel(r.hour), series: r.checkpointId, value: r.total })), {
        xs: everyHour(range),
        seriesLabel: (k) => `${L('Chốt', 'Checkpoint')} ${k}`, title: L('Lượt qua chốt theo giờ', 'Crossings per hour'),
      }));
      // the same hours split by verdict: how many were let through, turned back, or held for a look
      fill(verdictBox, stackedBars(all.perCheckpointHour.flatMap((r) => VERDICTS.map((v) => ({ x: hourLabel(r.hour), series: v, value: r[v.toLowerCase()] }))), {
        xs: everyHour(range), series: VERDICTS, colorOf: (v) => VERDICT_COLOR[v],
        seriesLabel: (v) => term('verdict', v), title: L('Lượt qua chốt theo giờ, theo kết quả', 'Crossings per hour by verdict'),
      }));
      fill(reasonsBox, horizontalBars(denied.perReason.map((r) => ({ label: reasonLabel(r.reason), value: r.count })), { title: L('Lý do từ chối', 'Deny reasons') }));
    } catch (err) {
      fill(hourlyBox, h('div', { class: 'error' }, errorText(err)));
      fill(reasonsBox);
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void load(); });
  fill(main, h('h1', {}, L('Biểu đồ', 'Charts')), form,
    h('div', { class: 'charts' },
      h('div', { class: 'card' }, h('h2', {}, L('Lượt qua chốt theo giờ, theo chốt', 'Crossings per hour per checkpoint')), hourlyBox),
      h('div', { class: 'card' }, h('h2', {}, L('Lượt qua chốt theo giờ, theo kết quả', 'Crossings per hour by verdict')), verdictBox),
      h('div', { class: 'card' }, h('h2', {}, L('Lý do từ chối', 'Deny reasons')), reasonsBox)));
  await load();
}
