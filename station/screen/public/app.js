// The officer's screen: live state from the station over server-sent events; one verdict panel per
// lane, details of the selected crossing, banners, sign-in, overrides, plate lookup and the shift
// summary (forms.js). Vietnamese first; the language and the pinned lane are remembered on this device.
import { $, fill, h } from './dom.js';
import { t, timeText, VERDICT_WORDS } from './i18n.js';
import { renderBanners } from './banners.js';
import { agedKey, laneAged, renderLanes } from './lanes.js';
import { renderDetails, renderRecent, renderStatus } from './render.js';
import { Sound } from './sound.js';
import { api, setupForms } from './forms.js';

const S = {
  lang: localStorage.getItem('lang') === 'en' ? 'en' : 'vi',
  /** '' shows every lane; a lane id pins this screen to that lane (a lane-side tablet) */
  laneFilter: localStorage.getItem('lane') ?? '',
  meta: null,
  station: null,
  officer: null,
  status: null,
  decisions: [],
  crossings: new Map(),
  /** when each lane last changed (a scan, a crossing closing, an override): verdicts age from it */
  touched: new Map(),
  /** a decision the officer clicked; null follows the newest */
  selected: null,
  unreachableSince: null,
  /** seqs whose technical details the officer opened: kept open when the panels are redrawn */
  openDetails: new Set(),
  /** bumped on every change; the panels are rebuilt only when it or a lane's age changes (keeps focus and open toggles) */
  version: 0,
  skew: 0,
  now: () => Date.now() + S.skew,
  crossingOf: (d) => (d?.crossing ? (S.crossings.get(d.crossing.id) ?? d.crossing) : null),
};
const sound = new Sound();
let events = null;

function visible() {
  return S.decisions.filter((d) => !S.laneFilter || d.lane === S.laneFilter);
}

/** The decision the details column shows: the one selected, else the newest on a shown lane. */
function current() {
  const list = visible();
  return (S.selected !== null && list.find((d) => d.seq === S.selected)) || list.find((d) => !d.misread) || list[0] || null;
}

function select(seq) {
  S.selected = seq === visible()[0]?.seq ? null : seq;
  changed();
}

let drawn = '';

function render() {
  const key = `${S.version}|${agedKey(S)}`;
  renderStatus(S);
  renderBanners(S);
  if (key === drawn) return;
  drawn = key;
  const d = current();
  renderLanes(S, select);
  const c = S.crossingOf(d);
  renderDetails(S, d, c);
  document.querySelector('.details').dataset.aged = String(Boolean(d && S.selected === null && laneAged(S, d.lane)));
  renderRecent(S, visible(), d?.seq ?? null, select);
}

function changed() {
  S.version += 1;
  render();
}

function applyLanguage() {
  document.documentElement.lang = S.lang;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t, S.lang);
  for (const el of document.querySelectorAll('[data-verdict-word]')) el.textContent = VERDICT_WORDS[el.dataset.verdictWord][S.lang];
  $('sound-toggle').textContent = t(sound.enabled ? 'soundOn' : 'soundOff', S.lang);
  fill('officer-name', S.officer ? `${S.officer.name} (${S.officer.id})` : '');
  $('sign-in-btn').hidden = Boolean(S.officer);
  $('sign-out-btn').hidden = !S.officer;
  $('shift-btn').hidden = !S.officer;
  if (S.station) fill('station-name', `${t('station', S.lang)} ${S.station.stationId} · ${t('checkpoint', S.lang)} ${S.station.checkpointId}${S.station.name ? ` · ${S.station.name}` : ''}`);
  $('station-name').title = $('station-name').textContent;
  $('lookup-plate').setAttribute('aria-label', t('plate', S.lang));
  $('lane-filter').setAttribute('aria-label', t('lane', S.lang));
  renderLaneChoice();
  changed();
}

function renderLaneChoice() {
  const lanes = [...new Map((S.status?.scanners ?? []).map((s) => [s.lane, s.direction])).entries()];
  // A pinned lane the station no longer reports stays offered, so a reload never silently unpins.
  if (S.laneFilter && !lanes.some(([l]) => l === S.laneFilter)) lanes.push([S.laneFilter, 'entry']);
  const select = $('lane-filter');
  fill(select, h('option', { value: '' }, t('allLanes', S.lang)), lanes.map(([lane, dir]) => h('option', { value: lane }, `${lane} (${t(dir, S.lang)})`)));
  select.value = S.laneFilter;
  fill('override-lane', lanes.map(([lane, dir]) => h('option', { value: lane }, `${lane} (${t(dir, S.lang)})`)));
}

function scannerKey() {
  return (S.status?.scanners ?? []).map((s) => `${s.id}:${s.lane}:${s.state}`).join('|');
}

function upsertCrossings(list) {
  for (const c of list) S.crossings.set(c.id, c);
  // Keep the map to what the decisions on screen mention.
  if (S.crossings.size > 300) for (const id of [...S.crossings.keys()].slice(0, S.crossings.size - 300)) S.crossings.delete(id);
}

function connect() {
  events?.close();
  events = new EventSource('/events');
  events.addEventListener('hello', (e) => {
    const m = JSON.parse(e.data);
    $('conn-banner').hidden = true;
    S.station = m.station;
    S.officer = m.officer;
    S.skew = m.serverNow - Date.now();
    S.status = m.status;
    S.decisions = m.decisions;
    S.crossings = new Map();
    upsertCrossings([...m.decisions.flatMap((d) => (d.crossing ? [d.crossing] : [])), ...m.crossings]);
    document.body.dataset.ready = 'true';
    document.body.dataset.personal = String(Boolean(m.officer));
    applyLanguage();
  });
  events.addEventListener('decision', (e) => {
    const d = JSON.parse(e.data);
    S.decisions.unshift(d);
    S.decisions.length = Math.min(S.decisions.length, 80);
    if (d.crossing) upsertCrossings([d.crossing]);
    S.touched.set(d.lane, S.now());
    S.selected = null;
    if (!S.laneFilter || d.lane === S.laneFilter) sound.cue(d.misread ? 'MISREAD' : (S.crossingOf(d)?.verdict ?? d.verdict));
    changed();
  });
  events.addEventListener('crossing', (e) => {
    const c = JSON.parse(e.data);
    const before = S.crossings.get(c.id);
    upsertCrossings([c]);
    S.touched.set(c.lane, S.now());
    // An override changes what the officer must do: sound it too.
    if (c.override && before?.override?.seq !== c.override.seq) sound.cue(c.verdict);
    changed();
  });
  events.addEventListener('status', (e) => {
    const before = scannerKey();
    S.status = JSON.parse(e.data);
    // The backlog and cache age change with every scan: only a scanner's change redraws the panels.
    if (scannerKey() === before) return render();
    renderLaneChoice();
    changed();
  });
  events.addEventListener('fault', (e) => {
    const f = JSON.parse(e.data);
    const banner = $('fault-banner');
    fill(banner, `⚠ ${t('fault', S.lang)} (${timeText(f.at, S.lang)}${f.scannerId ? ` · ${f.scannerId}` : ''})`);
    banner.hidden = false;
    sound.cue('DENY');
  });
  events.addEventListener('signedout', () => {
    S.officer = null;
    connect();
  });
  events.onerror = () => {
    $('conn-banner').hidden = false;
  };
}

setupForms(S, {
  current,
  onSignedIn(officer) {
    S.officer = officer;
    connect(); // reconnect: the stream now carries names and ids
  },
  onSignedOut() {
    S.officer = null;
    connect();
  },
});

$('lang-toggle').addEventListener('click', () => {
  S.lang = S.lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('lang', S.lang);
  applyLanguage();
});
$('sound-toggle').addEventListener('click', () => {
  sound.toggle();
  applyLanguage();
});
$('lane-filter').addEventListener('change', (e) => {
  S.laneFilter = e.target.value;
  localStorage.setItem('lane', S.laneFilter);
  S.selected = null;
  changed();
});
// Audio may only start after a gesture: the first touch, click or key anywhere unlocks it.
document.addEventListener('pointerdown', () => sound.unlock(), { once: true });
document.addEventListener('keydown', () => sound.unlock(), { once: true });
setInterval(() => {
  fill('clock', timeText(S.now(), S.lang));
  render(); // verdicts age and the cache grows older between pushes
}, 1000);

const meta = await api('GET', '/api/meta');
if (meta.ok) S.meta = meta.data;
applyLanguage();
connect();
