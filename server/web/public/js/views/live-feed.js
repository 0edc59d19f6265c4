// The command center's live feed: one row per crossing (a vehicle with its crew, or a walk-in; an
// override or a lone scan on its own row) with the crossing's verdict, filters by checkpoint and
// verdict, and today's totals per checkpoint. Polls the server; stops when the view is left.
import { api, errorText, loadMeta, query, reasonLabel } from '../api.js';
import { badge, field, fill, formValues, h, table } from '../dom.js';
import { L, fmtTime } from '../i18n.js';
import { term } from '../words.js';
import { verdictLabel } from './crossing-table.js';
import { schematic } from './schematic.js';

const FEED_POLL_MS = 3000;
const LIVE = '/api/v1/crossings/live';
const opt = (v, text) => h('option', { value: v }, text);
const rowClass = (c) => (c.verdict === 'DENY' ? 'bad' : c.verdict === 'REVIEW' ? 'warn' : '');

function crewCell(c) {
  if (c.crew.length === 0) return '—';
  return h('div', {}, c.crew.map((p) => h('div', { class: 'crew-line' }, p.citizenId, ' ', badge(verdictLabel(p.verdict), p.verdict))));
}

function whatCell(c) {
  if (c.kind === 'override') return [term('crossingKind', 'override'), c.officer ? ` · ${c.officer}` : '', c.note ? ` · ${c.note}` : ''];
  if (c.plate) return h('b', { style: 'white-space:nowrap' }, c.plate);
  return c.kind === 'scan' ? L('Lượt quét lẻ', 'Lone scan') : L('Người đi bộ', 'Walk-in');
}

function totalsTable(today) {
  return table([
    [term('word', 'checkpoint'), (t) => String(t.checkpointId)],
    [term('verdict', 'ALLOW'), (t) => String(t.allow)],
    [term('verdict', 'DENY'), (t) => String(t.deny)],
    [term('verdict', 'REVIEW'), (t) => String(t.review)],
    [L('Tổng', 'Total'), (t) => h('b', {}, String(t.total))],
  ], today, { empty: L('Hôm nay chưa có lượt nào.', 'No crossings today yet.') });
}

export async function renderFeed(main, ctx) {
  await loadMeta();
  const list = h('div', { 'data-testid': 'feed' });
  const totals = h('div', { 'data-testid': 'feed-today' });
  const map = h('div');
  const stamp = h('span', { class: 'muted' });
  const checkpoint = h('input', { name: 'checkpointId', type: 'number', min: 1, max: 99999999 });
  const form = h('form', { class: 'card row' },
    field(term('word', 'checkpoint'), checkpoint),
    field(term('word', 'verdict'), h('select', { name: 'verdict' }, opt('', term('word', 'all')), ['ALLOW', 'DENY', 'REVIEW'].map((v) => opt(v, verdictLabel(v))))),
    h('button', { type: 'submit' }, L('Lọc', 'Filter')));
  let stopped = false;
  let timer = null;
  const tick = async () => {
    clearTimeout(timer);
    const v = formValues(form);
    try {
      const r = await api('GET', `${LIVE}${query({ checkpointId: v.checkpointId, verdict: v.verdict, limit: 50 })}`);
      if (stopped) return;
      fill(totals, totalsTable(r.today));
      // the fleet is read with the feed so the schematic's states are as fresh as its rows
      const fleet = await api('GET', '/api/v1/stations');
      if (stopped) return;
      fill(map, schematic(fleet, r.today));
      fill(list, table([
        [term('word', 'time'), (c) => fmtTime(c.at)],
        [L('Chốt · làn', 'Checkpoint · lane'), (c) => `${c.checkpointId} · ${c.lane} (${term('direction', c.direction)})`],
        [term('word', 'verdict'), (c) => badge(verdictLabel(c.verdict), c.verdict)],
        [L('Phương tiện', 'Vehicle'), whatCell],
        [term('word', 'crew'), crewCell],
        [term('word', 'reasons'), (c) => c.reasons.map(reasonLabel).join('; ') || '—'],
      ], r.items, { empty: L('Không có lượt nào.', 'No crossings.'), rowClass }));
      stamp.textContent = L(`Cập nhật lúc ${fmtTime(Date.now())}`, `Updated ${fmtTime(Date.now())}`);
    } catch (err) {
      if (!stopped) fill(list, h('div', { class: 'error' }, errorText(err)));
    }
    if (!stopped) timer = setTimeout(tick, FEED_POLL_MS);
  };
  form.addEventListener('submit', (e) => { e.preventDefault(); void tick(); });
  ctx.onLeave(() => { stopped = true; clearTimeout(timer); });
  fill(main, h('div', { class: 'row', style: 'justify-content:space-between' }, h('h1', {}, L('Lượt qua chốt trực tiếp', 'Live crossings')), stamp),
    form,
    h('div', { class: 'split' },
      h('div', { class: 'card' }, h('h2', {}, L('Hôm nay, theo chốt', 'Today, per checkpoint')), totals),
      h('div', { class: 'card' }, h('h2', {}, L('Sơ đồ các chốt', 'Checkpoint schematic')), map)),
    list);
  await tick();
}
