// The officer's screen: live state from the station over server-sent events, sign-in, overrides and
// the plate lookup. Vietnamese first; the language toggle is remembered on this device.
import { $, fill, h } from './dom.js';
import { t, timeText, VERDICT_WORDS } from './i18n.js';
import { crewList, passFacts, renderDetails, renderRecent, renderStatus, renderVerdict } from './render.js';
import { Sound } from './sound.js';

const S = {
  lang: localStorage.getItem('lang') === 'en' ? 'en' : 'vi',
  laneFilter: localStorage.getItem('lane') ?? '',
  meta: null,
  station: null,
  officer: null,
  status: null,
  decisions: [],
  crossings: new Map(),
  /** a decision the officer clicked in the list; null follows the newest */
  pinned: null,
  skew: 0,
  now: () => Date.now() + S.skew,
};
const sound = new Sound();
let events = null;
/** what the override dialog acts on: { crossingId } or { passId } (manual) */
let overrideTarget = null;

async function api(method, path, body) {
  let res;
  try {
    res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined, credentials: 'same-origin' });
  } catch {
    return { ok: false, error: 'networkError' };
  }
  const data = await res.json().catch(() => ({}));
  return res.ok ? { ok: true, data } : { ok: false, error: data.error ?? 'networkError', status: res.status };
}

function visible() {
  return S.decisions.filter((d) => !S.laneFilter || d.lane === S.laneFilter);
}

function current() {
  const list = visible();
  return (S.pinned !== null && list.find((d) => d.seq === S.pinned)) || list[0] || null;
}

function crossingOf(d) {
  return d?.crossing ? (S.crossings.get(d.crossing.id) ?? d.crossing) : null;
}

function render() {
  const d = current();
  fill('action-hint');
  const c = crossingOf(d);
  renderVerdict(S, d, c);
  renderDetails(S, d, c);
  renderRecent(S, visible(), d?.seq ?? null, (seq) => {
    S.pinned = seq === visible()[0]?.seq ? null : seq;
    render();
  });
  renderStatus(S);
}

function applyLanguage() {
  document.documentElement.lang = S.lang;
  for (const el of document.querySelectorAll('[data-t]')) el.textContent = t(el.dataset.t, S.lang);
  for (const el of document.querySelectorAll('[data-verdict-word]')) el.textContent = VERDICT_WORDS[el.dataset.verdictWord][S.lang];
  $('sound-toggle').textContent = t(sound.enabled ? 'soundOn' : 'soundOff', S.lang);
  fill('officer-name', S.officer ? `${S.officer.name} (${S.officer.id})` : '');
  $('sign-in-btn').hidden = Boolean(S.officer);
  $('sign-out-btn').hidden = !S.officer;
  if (S.station) fill('station-name', `${t('station', S.lang)} ${S.station.stationId} · ${t('checkpoint', S.lang)} ${S.station.checkpointId}${S.station.name ? ` · ${S.station.name}` : ''}`);
  renderLanes();
  render();
}

function renderLanes() {
  const lanes = [...new Map((S.status?.scanners ?? []).map((s) => [s.lane, s.direction])).entries()];
  const select = $('lane-filter');
  fill(select, h('option', { value: '' }, t('allLanes', S.lang)), lanes.map(([lane, dir]) => h('option', { value: lane }, `${lane} (${t(dir, S.lang)})`)));
  select.value = lanes.some(([l]) => l === S.laneFilter) ? S.laneFilter : '';
  fill('override-lane', lanes.map(([lane, dir]) => h('option', { value: lane }, `${lane} (${t(dir, S.lang)})`)));
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
    S.decisions.length = Math.min(S.decisions.length, 50);
    if (d.crossing) upsertCrossings([d.crossing]);
    S.pinned = null;
    if (!S.laneFilter || d.lane === S.laneFilter) sound.cue(crossingOf(d)?.verdict ?? d.verdict);
    render();
  });
  events.addEventListener('crossing', (e) => {
    const c = JSON.parse(e.data);
    const before = S.crossings.get(c.id);
    upsertCrossings([c]);
    // An override changes what the officer must do: sound it too.
    if (c.override && before?.override?.seq !== c.override.seq) sound.cue(c.verdict);
    render();
  });
  events.addEventListener('status', (e) => {
    S.status = JSON.parse(e.data);
    renderLanes();
    renderStatus(S);
  });
  events.addEventListener('fault', (e) => {
    const f = JSON.parse(e.data);
    const banner = $('fault-banner');
    fill(banner, `${t('fault', S.lang)} (${timeText(f.at, S.lang)}${f.scannerId ? ` · ${f.scannerId}` : ''})`);
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

// Sign-in

function openSignIn() {
  fill('sign-in-error');
  $('sign-in-form').reset();
  $('sign-in-dialog').showModal();
  $('sign-in-id').focus();
}

$('sign-in-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const r = await api('POST', '/api/session', { id: $('sign-in-id').value, pin: $('sign-in-pin').value });
  if (!r.ok) return fill('sign-in-error', t(r.error, S.lang));
  $('sign-in-dialog').close();
  S.officer = r.data.officer;
  connect(); // reconnect: the stream now carries names and ids
});

$('sign-out-btn').addEventListener('click', async () => {
  await api('DELETE', '/api/session');
  S.officer = null;
  $('lookup-results').replaceChildren();
  connect();
});

// Overrides

function openOverride(target, summary) {
  if (!S.officer) return openSignIn();
  overrideTarget = target;
  $('override-form').reset();
  fill('override-error');
  fill('override-summary', summary);
  $('override-lane-row').hidden = !('passId' in target);
  $('override-dialog').showModal();
}

$('override-btn').addEventListener('click', () => {
  const d = current();
  if (!d) return;
  const c = crossingOf(d);
  if (!c) return fill('action-hint', t('noCrossing', S.lang));
  const what = [c.plate ?? d.person?.name ?? d.person?.idMasked ?? '', `${t('lane', S.lang)} ${c.lane}`, VERDICT_WORDS[c.verdict][S.lang]].filter(Boolean).join(' · ');
  openOverride({ crossingId: c.id }, what);
});

$('override-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const form = new FormData($('override-form'));
  const body = { verdict: form.get('verdict'), note: String(form.get('note') ?? '').trim() };
  if (body.note.length < 3) return fill('override-error', t('NOTE_REQUIRED', S.lang));
  const r = 'passId' in overrideTarget
    ? await api('POST', '/api/manual', { ...body, passId: overrideTarget.passId, issuingProvince: overrideTarget.issuingProvince, lane: $('override-lane').value })
    : await api('POST', '/api/override', { ...body, crossingId: overrideTarget.crossingId });
  if (!r.ok) {
    if (r.status === 401) {
      $('override-dialog').close();
      return openSignIn();
    }
    return fill('override-error', t(r.error, S.lang));
  }
  $('override-dialog').close();
});

// Plate lookup

$('lookup-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  if (!S.officer) return openSignIn();
  const plate = $('lookup-plate').value.trim();
  const r = await api('GET', `/api/lookup?plate=${encodeURIComponent(plate)}`);
  if (!r.ok) return fill('lookup-results', h('p', { class: 'form-error' }, t(r.error, S.lang)));
  if (!r.data.passes.length) return fill('lookup-results', h('p', { class: 'hint' }, t('noMatch', S.lang)));
  fill(
    'lookup-results',
    r.data.passes.map((p) =>
      h('div', { class: 'card', dataset: { passId: String(p.passId) } },
        h('h3', {}, p.plate),
        passFacts(S, p),
        crewList(S, p.crew.map((c) => ({ ...c, status: 'PENDING' }))),
        h('button', { type: 'button', onclick: () => openOverride({ passId: p.passId, issuingProvince: p.issuingProvince }, `${p.plate} · ${p.ref}`) }, t('manualDecision', S.lang)),
      ),
    ),
  );
});

// Top bar

for (const b of document.querySelectorAll('dialog [data-close]')) b.addEventListener('click', () => b.closest('dialog').close());
$('sign-in-btn').addEventListener('click', openSignIn);
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
  S.pinned = null;
  render();
});
// Audio may only start after a gesture: the first touch or click anywhere unlocks it.
document.addEventListener('pointerdown', () => sound.unlock(), { once: true });
setInterval(() => {
  fill('clock', timeText(S.now(), S.lang));
  renderStatus(S); // the cache age keeps growing between pushes
}, 1000);

const meta = await api('GET', '/api/meta');
if (meta.ok) S.meta = meta.data;
applyLanguage();
connect();
