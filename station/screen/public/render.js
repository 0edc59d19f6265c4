// Rendering of the station's pushed state. Pure DOM building from plain data; no markup strings.
import { $, fill, h } from './dom.js';
import { ageText, dateText, other, t, timeText, VERDICT_WORDS } from './i18n.js';

const MARK = { ALLOW: '✓', DENY: '✗', REVIEW: '!', PENDING: '…', MISSING: '–' };

export function reasonItem(code, meta, lang) {
  const r = meta?.reasons?.[code];
  if (!r) return h('li', {}, code);
  return h('li', { dataset: { reason: code } }, r[lang], h('small', {}, r[other(lang)]));
}

/** The big verdict panel: the crossing's verdict (an officer's override wins), or the scan's. */
export function renderVerdict(S, d, crossing) {
  const lang = S.lang;
  const panel = $('verdict');
  if (!d) {
    panel.dataset.verdict = 'NONE';
    $('verdict-override').hidden = true;
    fill('verdict-word', VERDICT_WORDS.NONE[lang]);
    fill('verdict-alt', VERDICT_WORDS.NONE[other(lang)]);
    fill('verdict-meta');
    fill('reasons');
    fill('verdict-extra');
    return;
  }
  const verdict = crossing ? crossing.verdict : d.verdict;
  panel.dataset.verdict = verdict;
  panel.dataset.seq = String(d.seq);
  fill('verdict-word', VERDICT_WORDS[verdict][lang]);
  fill('verdict-alt', VERDICT_WORDS[verdict][other(lang)]);
  const dir = t(d.direction, lang);
  fill('verdict-meta', `${t('lane', lang)} ${d.lane} · ${dir} · ${timeText(d.at, lang)}${d.scannerId ? '' : ` · ${t('manual', lang)}`}`);
  const reasons = (crossing ? crossing.reasons : d.reasons).filter((r) => r !== 'OFFICER_OVERRIDE');
  const o = crossing?.override ?? null;
  // An override comes first: the officer's word is the verdict; the checks' findings follow, labelled as such.
  const overrideBox = $('verdict-override');
  overrideBox.hidden = !o;
  if (o) fill(overrideBox, `${t('overriddenBy', lang)} ${o.officer} · ${timeText(o.at, lang)}`, o.note ? ` — ${o.note}` : '');
  const items = reasons.length ? reasons.map((r) => reasonItem(r, S.meta, lang)) : [h('li', {}, t('noReasons', lang))];
  fill('reasons', o ? [h('li', { class: 'findings-label' }, t('findings', lang)), ...items] : items);

  const extra = [];
  if (crossing?.state === 'open') {
    const waiting = crossing.people.filter((p) => p.status === 'PENDING').map((p) => t(p.role, lang));
    if (waiting.length) extra.push(h('div', {}, `${t('waitingFor', lang)}: ${waiting.join(', ')}`));
  }
  if (d.person || d.detail) {
    const p = d.person;
    const who = p ? [t(p.role, lang), p.name ?? t('hidden', lang), p.idMasked].filter(Boolean).join(' · ') : d.detail;
    extra.push(h('div', {}, `${t('thisScan', lang)}: ${who} → ${VERDICT_WORDS[d.verdict][lang]}`));
  }
  fill('verdict-extra', extra);
}

function fact(label, value, cls) {
  return [h('dt', {}, label), h('dd', cls ? { class: cls } : {}, value)];
}

export function passFacts(S, pass) {
  const lang = S.lang;
  const rows = [];
  rows.push(fact(t('passNo', lang), `${pass.ref} v${pass.version}`));
  rows.push(fact(t('passStatus', lang), pass.status ? t(pass.status, lang) + (pass.statusReason ? ` — ${pass.statusReason}` : '') : t('notCached', lang), pass.status && pass.status !== 'ACTIVE' ? 'bad' : null));
  const from = pass.validFrom !== null ? `${t('from', lang)} ${dateText(pass.validFrom, lang)} ` : '';
  const to = pass.validTo === null ? t('untilNotice', lang) : `${t('to', lang)} ${dateText(pass.validTo, lang)}`;
  const expired = pass.validTo !== null && pass.validTo < S.now();
  rows.push(fact(t('validity', lang), from + to, expired ? 'bad' : null));
  const here = S.station?.checkpointId;
  const cps = pass.routeCheckpoints.length
    ? pass.routeCheckpoints.map((c, i) => [i ? ', ' : '', h('span', c === here ? { class: 'here' } : {}, String(c))])
    : t('anyCheckpoint', lang);
  const route = [t('checkpoints', lang), ': ', cps];
  if (pass.routeProvinces.length) route.push(` · ${t('provinces', lang)}: ${pass.routeProvinces.join(', ')}`);
  if (pass.originZone) route.push(` · ${t('origin', lang)}: ${pass.originZone}`);
  rows.push(fact(t('route', lang), route));
  if (pass.direction && pass.direction !== 'both') rows.push(fact(t('passDirection', lang), t(pass.direction, lang)));
  if (pass.goods !== null && S.meta?.goods?.[pass.goods]) rows.push(fact(t('goods', lang), S.meta.goods[pass.goods][lang]));
  if (pass.company) rows.push(fact(t('company', lang), pass.company));
  return h('dl', { class: 'facts' }, rows);
}

export function crewList(S, people) {
  const lang = S.lang;
  return h(
    'ul',
    { class: 'crew' },
    people.map((p) =>
      h(
        'li',
        { dataset: { status: p.status, role: p.role } },
        h('span', { class: 'mark', 'aria-hidden': 'true' }, MARK[p.status] ?? '?'),
        h('span', { class: 'who' }, `${t(p.role, lang)}: ${p.name ?? t('hidden', lang)}`, p.idMasked ? h('small', {}, p.idMasked) : null),
        h('span', { class: 'state' }, p.status === 'PENDING' || p.status === 'MISSING' ? t(p.status, lang) : VERDICT_WORDS[p.status][lang]),
      ),
    ),
  );
}

export function renderDetails(S, d, crossing) {
  const lang = S.lang;
  fill('plate', d?.plate ?? crossing?.plate ?? '');
  const passCard = $('pass-card');
  passCard.hidden = !d?.pass;
  if (d?.pass) fill(passCard, h('h3', {}, t('pass', lang)), passFacts(S, d.pass));
  const crossingCard = $('crossing-card');
  crossingCard.hidden = !crossing || crossing.people.length === 0;
  if (crossing) {
    fill(crossingCard, h('h3', {}, `${t('crossing', lang)} (${t(crossing.state, lang)})`), crewList(S, crossing.people));
  }
  $('override-btn').disabled = !d;
  $('privacy-note').hidden = Boolean(S.officer);
}

export function renderRecent(S, decisions, selectedSeq, onSelect) {
  const lang = S.lang;
  // One row per crossing (its latest scan), so a vehicle and its crew take one line.
  const seen = new Set();
  const rows = decisions.filter((d) => {
    if (!d.crossing) return true;
    if (seen.has(d.crossing.id)) return false;
    seen.add(d.crossing.id);
    return true;
  });
  fill(
    'recent',
    rows.slice(0, 12).map((d) => {
      const c = d.crossing ? (S.crossings.get(d.crossing.id) ?? d.crossing) : null;
      const verdict = c ? c.verdict : d.verdict;
      const reasons = (c ? c.reasons : d.reasons).map((r) => S.meta?.reasons?.[r]?.[lang] ?? r).join('; ');
      return h(
        'tr',
        { 'aria-selected': d.seq === selectedSeq ? 'true' : 'false', dataset: { seq: String(d.seq) }, onclick: () => onSelect(d.seq) },
        h('td', {}, timeText(d.at, lang)),
        h('td', {}, d.lane),
        h('td', {}, d.plate ?? (d.person?.idMasked ?? '—')),
        h('td', {}, h('span', { class: 'pill', dataset: { verdict } }, VERDICT_WORDS[verdict][lang])),
        h('td', { title: reasons }, reasons || '—'),
      );
    }),
  );
}

export function renderStatus(S) {
  const lang = S.lang;
  const st = S.status;
  if (!st) return fill('status-bar');
  const chips = st.scanners.map((s) =>
    h('span', { class: `chip ${s.state === 'connected' ? '' : s.state === 'opening' ? 'warn' : 'bad'}`, dataset: { scanner: s.id, state: s.state } },
      `${t('scanner', lang)} ${s.id} (${t('lane', lang)} ${s.lane}, ${t(s.direction, lang)}): ${t(s.state, lang)}`),
  );
  if (!st.scanners.length) chips.push(h('span', { class: 'chip bad' }, t('noScanners', lang)));
  const age = st.cacheSyncedAt === null ? null : S.now() - st.cacheSyncedAt;
  const stale = age === null || age > 24 * 3_600_000;
  chips.push(h('span', { class: `chip ${stale ? 'warn' : ''}`, dataset: { cache: '' } }, `${t('cache', lang)}: ${age === null ? t('never', lang) : `${ageText(age, lang)} ${t('ago', lang)}`}`));
  chips.push(h('span', { class: `chip ${st.outboxBacklog > 1000 ? 'warn' : 'info'}`, dataset: { outbox: String(st.outboxBacklog) } }, `${t('outbox', lang)}: ${st.outboxBacklog}`));
  const srv = st.server.state;
  chips.push(h('span', { class: `chip ${srv === 'reachable' ? '' : srv === 'not-configured' ? 'info' : 'bad'}`, dataset: { server: srv }, title: st.server.detail ?? '' }, `${t('server', lang)}: ${t(srv, lang)}`));
  fill('status-bar', chips);
}
