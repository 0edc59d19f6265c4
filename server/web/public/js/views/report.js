// The steering committee's daily report per checkpoint, printable (the browser's print makes the PDF)
// and as CSV. Counts only: no personal data on it.
import { api, errorText, query } from '../api.js';
import { field, fill, h, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';
import { DATETIME, setFieldError } from '../validation.js';
import { fromVnInput, vnDate, vnDay } from '../vn-time.js';
import { reasonText } from '../words.js';

const tally = (t) => `${t.total} (${L('cho qua', 'allowed')} ${t.ALLOW}, ${L('không cho qua', 'denied')} ${t.DENY}, ${L('cần kiểm tra', 'review')} ${t.REVIEW})`;

export async function renderReport(main) {
  const out = h('div', { 'data-testid': 'daily-report' });
  const dayInput = h('input', { ...DATETIME, name: 'day', placeholder: 'dd/mm/yyyy', value: vnDate(Date.now()) });
  const csv = h('a', {}, L('Xuất CSV', 'Export CSV'));
  const form = h('form', { class: 'card row no-print' }, field(L('Ngày (giờ Việt Nam)', 'Day (Vietnam time)'), dayInput),
    h('button', { type: 'submit' }, L('Xem báo cáo', 'Show the report')),
    h('button', { type: 'button', class: 'secondary', on: { click: () => window.print() } }, L('In / lưu PDF', 'Print / save as PDF')), csv);
  const load = async () => {
    const at = fromVnInput(dayInput.value);
    if (at === undefined || Number.isNaN(at)) return setFieldError(dayInput, L('Ngày không hợp lệ, hãy viết dd/mm/yyyy', 'Not a valid day, write dd/mm/yyyy'));
    const day = vnDay(at);
    csv.href = `/api/v1/reports/daily.csv${query({ day })}`;
    csv.setAttribute('download', `bao-cao-${day}.csv`);
    try {
      const r = await api('GET', `/api/v1/reports/daily${query({ day })}`);
      fill(out,
        h('h2', {}, L(`Báo cáo ngày ${vnDate(r.from)}`, `Report of ${vnDate(r.from)}`)),
        h('p', { class: 'muted' }, L(`Lập lúc ${fmtTime(r.generatedAt)} (giờ Việt Nam). Tổng: ${r.totals.crossings} lượt qua chốt, ${r.totals.denied} không cho qua, ${r.totals.f0f1TurnedBack} F0/F1 bị chặn, ${r.totals.overdueNow} xe quá hạn.`,
          `Made ${fmtTime(r.generatedAt)} (Vietnam time). Totals: ${r.totals.crossings} crossings, ${r.totals.denied} denied, ${r.totals.f0f1TurnedBack} F0/F1 turned back, ${r.totals.overdueNow} vehicles overdue.`)),
        table([
          [L('Chốt', 'Checkpoint'), (c) => h('div', {}, h('strong', {}, String(c.checkpointId)), h('div', { class: 'muted' }, c.names.join('; ')))],
          [L('Lượt vào', 'Entries'), (c) => tally(c.crossings.entry)],
          [L('Lượt ra', 'Exits'), (c) => tally(c.crossings.exit)],
          [L('Không cho qua theo lý do', 'Denied by reason'), (c) => (c.refusals.length ? h('ul', {}, c.refusals.map((x) => h('li', {}, `${reasonText(x.reason)}: ${x.count}`))) : '—')],
          [L('F0/F1 bị chặn', 'F0/F1 turned back'), (c) => String(c.f0f1TurnedBack)],
          [L('Xe quá hạn (hiện tại)', 'Overdue now'), (c) => String(c.overdueNow)],
          [L('Số giờ có lượt quét', 'Hours with scans'), (c) => `${c.activeHours}/24`],
          [L('Thời gian hoạt động của trạm', 'Station uptime'), (c) => h('span', { 'data-testid': 'uptime' }, `${c.uptimePercent}% (${c.uptimeMinutes} ${L('phút', 'min')})`)],
          [L('Liên lạc cuối của trạm', 'Station last heard'), (c) => fmtTime(c.lastHeartbeatAt)],
        ], r.checkpoints, { empty: L('Không có chốt nào.', 'No checkpoints.'), wide: true }),
        h('p', { class: 'muted' }, L('Thời gian hoạt động: tỉ lệ số phút trong ngày (đến lúc lập, với hôm nay) máy chủ nhận được tín hiệu của trạm.',
          'Uptime: the share of the day\'s minutes (so far, for today) in which the server heard the station.')));
    } catch (err) {
      fill(out, h('div', { class: 'error' }, errorText(err)));
    }
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void load(); });
  fill(main, h('h1', {}, L('Báo cáo ngày theo chốt', 'Daily report by checkpoint')), form, out);
  await load();
}
