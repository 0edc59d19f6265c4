// Rendering of the station's pushed state. Pure DOM building from plain data; no markup strings.
import { $, fill, h } from './dom.js';
import { ageText, dateText, PERSON_RESULT_WORDS, SHORT_WORDS, t, timeText, VERDICT_ICONS, VERDICT_WORDS } from './i18n.js';
import { healthCard } from './health.js';

const MARK = { ALLOW: '✓', DENY: '✗', REVIEW: '!', PENDING: '…', MISSING: '–' };

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

/** The crew with each person's own result (a tick or a cross); under an override, labelled as the automatic one. */
export function crewList(S, people, overridden = false) {
  const lang = S.lang;
  return h(
    'ul',
    { class: 'crew' },
    people.map((p) =>
      h(
        'li',
        { dataset: { status: p.status, role: p.role } },
        h('span', { class: 'mark', 'aria-hidden': 'true' }, MARK[p.status] ?? '?'),
        h('span', { class: 'who' }, `${t(p.role, lang)}: ${p.name ?? t(p.idMasked ? 'nameNotHeld' : 'hidden', lang)}`, p.idMasked ? h('small', {}, p.idMasked) : null),
        h('span', { class: 'state' }, p.status === 'PENDING' || p.status === 'MISSING' ? t(p.status, lang) : `${overridden ? `${t('autoResult', lang)}: ` : ''}${PERSON_RESULT_WORDS[p.status][lang]}`),
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
  const health = d?.person?.health ?? null;
  const hc = $('health-card');
  hc.hidden = !health;
  if (health) fill(hc, healthCard(S, d.person, health));
  const crossingCard = $('crossing-card');
  crossingCard.hidden = !crossing || crossing.people.length === 0;
  if (crossing) {
    const o = crossing.override;
    fill(crossingCard,
      h('h3', {}, `${t('crossing', lang)} (${t(crossing.state, lang)})`),
      o ? h('div', { class: 'override-mark', dataset: { override: 'true' } }, `✎ ${t('overrideMark', lang)}: ${VERDICT_WORDS[o.verdict][lang]} (${o.officer}) · ${t('autoResult', lang)}: ${VERDICT_WORDS[crossing.autoVerdict][lang]}`) : null,
      crewList(S, crossing.people, Boolean(o)));
  }
  $('override-btn').disabled = !d;
  $('privacy-note').hidden = Boolean(S.officer);
}

/** Who a row is about: the plate, or for a person on foot their role and (signed in) name, never a masked id. */
function subjectText(S, d, c) {
  const plate = c?.plate ?? d.plate;
  if (plate) return plate;
  if (d.misread) return '—';
  const p = d.person;
  if (!p) return '—';
  return p.name ? `${t(p.role, S.lang)}: ${p.name}` : t(p.role, S.lang);
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
      const verdict = d.misread ? 'MISREAD' : c ? c.verdict : d.verdict;
      const findings = c ? c.findings : d.findings;
      const reasons = findings.map((r) => S.meta?.reasons?.[r.code]?.[lang] ?? r.code).join('; ');
      const o = c?.override ?? null;
      return h(
        'tr',
        { 'aria-selected': d.seq === selectedSeq ? 'true' : 'false', tabindex: '0', dataset: { seq: String(d.seq), override: String(Boolean(o)) },
          onclick: () => onSelect(d.seq), onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect(d.seq); } } },
        h('td', {}, timeText(d.at, lang)),
        h('td', {}, d.lane),
        h('td', {}, subjectText(S, d, c)),
        h('td', { class: 'verdict-cell' },
          h('span', { class: 'pill', dataset: { verdict } }, `${VERDICT_ICONS[verdict]} ${SHORT_WORDS[verdict][lang]}`),
          o ? h('div', { class: 'override-mark small', title: `${t('autoResult', lang)}: ${VERDICT_WORDS[c.autoVerdict][lang]}` }, ` ✎ ${t('autoResult', lang)}: ${VERDICT_WORDS[c.autoVerdict][lang]}`) : null),
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
    h('span', { class: `chip ${s.state === 'connected' ? '' : s.state === 'opening' ? 'warn' : 'bad'}`, dataset: { scanner: s.id, state: s.state, kind: s.kind ?? 'serial' } },
      `${t('scanner', lang)} ${s.id} · ${t(`kind-${s.kind ?? 'serial'}`, lang)} (${t('lane', lang)} ${s.lane}, ${t(s.direction, lang)}): ${t(s.state, lang)}`),
  );
  if (!st.scanners.length) chips.push(h('span', { class: 'chip bad' }, t('noScanners', lang)));
  const age = st.cacheSyncedAt === null ? null : S.now() - st.cacheSyncedAt;
  const stale = age === null || age > (S.meta?.cacheStaleMs ?? 24 * 3_600_000);
  chips.push(h('span', { class: `chip ${stale ? 'warn' : ''}`, dataset: { cache: '' } }, `${t('cache', lang)}: ${age === null ? t('never', lang) : `${ageText(age, lang)} ${t('ago', lang)}`}`));
  chips.push(h('span', { class: `chip ${st.outboxBacklog > 1000 ? 'warn' : 'info'}`, dataset: { outbox: String(st.outboxBacklog) } }, `${t('outbox', lang)}: ${st.outboxBacklog}`));
  const srv = st.server.state;
  chips.push(h('span', { class: `chip ${srv === 'reachable' ? '' : srv === 'not-configured' ? 'info' : 'bad'}`, dataset: { server: srv }, title: st.server.detail ?? '' }, `${t('server', lang)}: ${t(srv, lang)}`));
  fill('status-bar', chips);
}
