// One verdict panel per lane: a lane's verdict is never replaced by another lane's. A verdict ages to
// "waiting for the next vehicle" after the configured time, so the next vehicle is never waved through
// on the previous one's green. The panel shows the crossing's verdict, never a single scan's.
import { $, fill, h } from './dom.js';
import { MISREAD_CAUSES, other, t, timeText, VERDICT_ICONS, VERDICT_WORDS } from './i18n.js';
import { reasonList } from './reasons.js';

/** The lanes this screen shows: the station's scanners' lanes, and any lane decisions came from. */
export function laneList(S) {
  const lanes = new Map();
  for (const s of S.status?.scanners ?? []) if (!lanes.has(s.lane)) lanes.set(s.lane, { lane: s.lane, direction: s.direction, scanners: [] });
  for (const s of S.status?.scanners ?? []) lanes.get(s.lane).scanners.push(s);
  for (const d of S.decisions) if (!lanes.has(d.lane)) lanes.set(d.lane, { lane: d.lane, direction: d.direction, scanners: [] });
  const all = [...lanes.values()].sort((a, b) => a.lane.localeCompare(b.lane));
  return S.laneFilter ? all.filter((l) => l.lane === S.laneFilter) : all;
}

/**
 * What a lane's panel shows now: its latest decision and that decision's crossing; a misread while a
 * crossing is still open keeps the crossing and adds a re-scan line.
 */
export function laneView(S, lane) {
  const list = S.decisions.filter((d) => d.lane === lane);
  const latest = list[0] ?? null;
  if (!latest) return { kind: 'NONE', d: null, c: null, misread: null };
  if (latest.misread) {
    const open = list.find((d) => !d.misread && S.crossingOf(d)?.state === 'open');
    if (open) return { kind: 'CROSSING', d: open, c: S.crossingOf(open), misread: latest };
    return { kind: 'MISREAD', d: latest, c: null, misread: latest, touched: S.touched.get(lane) ?? latest.at };
  }
  return { kind: 'CROSSING', d: latest, c: S.crossingOf(latest), misread: null };
}

function isAged(S, lane, view) {
  if (view.kind === 'NONE') return false;
  if (view.c?.state === 'open') return false; // crew still being scanned: the verdict is in progress
  const touched = Math.max(S.touched.get(lane) ?? 0, view.d.at, view.c?.override?.at ?? 0);
  return S.now() - touched >= (S.meta?.verdictHoldMs ?? 20_000);
}

export function laneAged(S, lane) {
  return isAged(S, lane, laneView(S, lane));
}

/** Which shown lanes have aged: the 1-second tick redraws the panels only when this changes. */
export function agedKey(S) {
  return laneList(S).map((l) => (isAged(S, l.lane, laneView(S, l.lane)) ? '1' : '0')).join('');
}

function scannerDown(l) {
  return l.scanners.length > 0 && l.scanners.every((s) => s.state !== 'connected');
}

export function renderLanes(S, onSelect) {
  const lanes = laneList(S);
  const root = $('lanes');
  root.dataset.count = String(lanes.length);
  fill(root, lanes.length ? lanes.map((l) => lanePanel(S, l, onSelect)) : lanePanel(S, { lane: '', direction: 'entry', scanners: [] }, onSelect));
}

function lanePanel(S, l, onSelect) {
  const lang = S.lang;
  const view = laneView(S, l.lane);
  const aged = isAged(S, l.lane, view);
  const verdict = view.kind === 'CROSSING' ? (view.c ? view.c.verdict : view.d.verdict) : view.kind;
  const shown = aged ? 'AGED' : verdict;
  const head = h('div', { class: 'verdict-head' },
    l.lane ? h('span', { class: 'lane-name' }, `${t('lanePanel', lang)} ${l.lane} · ${t(l.direction, lang)}`) : null,
    view.d ? h('span', { class: 'verdict-time' }, timeText(view.d.at, lang)) : null,
  );
  const body = [
    head,
    scannerDown(l) ? h('div', { class: 'lane-down', role: 'alert' }, `⚠ ${t('scansCannotArrive', lang)}`) : null,
    h('div', { class: 'verdict-main' },
      h('span', { class: 'verdict-icon', 'aria-hidden': 'true' }, VERDICT_ICONS[shown]),
      h('div', {}, h('div', { class: 'verdict-word' }, VERDICT_WORDS[shown][lang]), h('div', { class: 'verdict-alt' }, VERDICT_WORDS[shown][other(lang)])),
    ),
  ];
  if (aged) {
    const prev = view.kind === 'MISREAD' ? VERDICT_WORDS.MISREAD[lang] : VERDICT_WORDS[verdict][lang];
    const plate = view.c?.plate ?? view.d?.plate;
    body.push(h('div', { class: 'verdict-meta' }, `${t('previousVehicle', lang)}: ${prev}${plate ? ` · ${plate}` : ''} · ${timeText(view.d.at, lang)}`));
  } else if (view.kind === 'MISREAD') {
    body.push(misreadBlock(S, view.misread));
  } else if (view.kind === 'CROSSING') {
    body.push(...crossingBlock(S, view));
  }
  return h('section', {
    class: 'verdict', tabindex: '0', 'aria-live': 'assertive', 'aria-label': `${t('lanePanel', lang)} ${l.lane}`,
    dataset: { lane: l.lane, verdict: shown === 'AGED' ? verdict : shown, aged: String(aged), seq: view.d ? String(view.d.seq) : '', down: String(scannerDown(l)) },
    // A click on the technical details opens them; anywhere else selects the lane's crossing.
    onclick: (e) => { if (view.d && !e.target.closest('details')) onSelect(view.d.seq); },
    onkeydown: (e) => { if (e.key === 'Enter' && view.d) onSelect(view.d.seq); },
  }, body);
}

function misreadBlock(S, d) {
  const lang = S.lang;
  const cause = MISREAD_CAUSES[d.misread] ?? MISREAD_CAUSES.UNREADABLE;
  return h('div', { class: 'misread' },
    h('div', { class: 'misread-cause' }, cause[lang], h('small', {}, cause[other(lang)])),
    h('div', { class: 'misread-hint' }, t('misreadHint', lang)),
    d.detail
      ? h('details', { class: 'tech', open: S.openDetails.has(d.seq) || null, ontoggle: (e) => (e.target.open ? S.openDetails.add(d.seq) : S.openDetails.delete(d.seq)) },
        h('summary', {}, t('technicalDetails', lang)), h('code', {}, d.detail))
      : null,
  );
}

function crossingBlock(S, view) {
  const lang = S.lang;
  const { d, c } = view;
  const out = [];
  const plate = c?.plate ?? d.plate;
  if (plate) out.push(h('div', { class: 'lane-plate' }, plate));
  const o = c?.override ?? null;
  if (o) {
    out.push(h('div', { class: 'override-line', dataset: { override: 'true' } },
      `✎ ${t('overriddenBy', lang)} ${o.officer} · ${timeText(o.at, lang)} · ${t('autoResult', lang)}: ${VERDICT_WORDS[c.autoVerdict][lang]}`,
      o.note ? ` — ${o.note}` : ''));
  }
  if (view.misread) out.push(h('div', { class: 'misread-line' }, `↻ ${t('misreadDuring', lang)}`));
  out.push(reasonList(S, c ? c.findings : d.findings, Boolean(o)));
  if (c?.state === 'open') {
    const waiting = c.people.filter((p) => p.status === 'PENDING').map((p) => (p.name ? `${t(p.role, lang)} ${p.name}` : t(p.role, lang)));
    if (waiting.length) out.push(h('div', { class: 'verdict-extra' }, `${t('waitingFor', lang)}: ${waiting.join(', ')}`));
  }
  return out;
}
