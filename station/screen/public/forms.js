// The officer's forms: sign-in, override (with its own Vietnamese validation, never the browser's
// English), plate lookup by part of a plate, and the shift summary.
import { $, fill, h } from './dom.js';
import { t, timeText, VERDICT_WORDS } from './i18n.js';
import { crewList, passFacts } from './render.js';

export async function api(method, path, body) {
  let res;
  try {
    res = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined, credentials: 'same-origin' });
  } catch {
    return { ok: false, error: 'networkError' };
  }
  const data = await res.json().catch(() => ({}));
  return res.ok ? { ok: true, data } : { ok: false, error: data.error ?? 'networkError', status: res.status };
}

/** Show a form's error in words and put the focus where the officer must act. */
function formError(id, key, S, focus) {
  fill(id, t(key, S.lang));
  focus?.focus();
  return false;
}

export function setupForms(S, hooks) {
  /** what the override dialog acts on: { crossingId } or { passId } (manual) */
  let overrideTarget = null;

  function openSignIn() {
    fill('sign-in-error');
    $('sign-in-form').reset();
    $('sign-in-dialog').showModal();
    $('sign-in-id').focus();
  }

  $('sign-in-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const id = $('sign-in-id').value.trim();
    const pin = $('sign-in-pin').value;
    if (!id) return formError('sign-in-error', 'fillOfficerId', S, $('sign-in-id'));
    if (!pin) return formError('sign-in-error', 'fillPin', S, $('sign-in-pin'));
    const r = await api('POST', '/api/session', { id, pin });
    if (!r.ok) return fill('sign-in-error', t(r.error, S.lang));
    $('sign-in-dialog').close();
    hooks.onSignedIn(r.data.officer);
  });

  $('sign-out-btn').addEventListener('click', async () => {
    await api('DELETE', '/api/session');
    $('lookup-results').replaceChildren();
    hooks.onSignedOut();
  });

  function openOverride(target, summary) {
    if (!S.officer) return openSignIn();
    overrideTarget = target;
    $('override-form').reset();
    fill('override-error');
    fill('override-summary', summary);
    $('override-lane-row').hidden = !('passId' in target);
    $('override-dialog').showModal();
    $('override-form').querySelector('input[name=verdict]').focus();
  }

  $('override-btn').addEventListener('click', () => {
    const d = hooks.current();
    if (!d) return;
    const c = S.crossingOf(d);
    if (!c) return fill('action-hint', t('noCrossing', S.lang));
    const what = [c.plate ?? d.person?.name ?? t(d.person?.role ?? 'walk-in', S.lang), `${t('lane', S.lang)} ${c.lane}`, VERDICT_WORDS[c.verdict][S.lang]].filter(Boolean).join(' · ');
    openOverride({ crossingId: c.id }, what);
  });

  $('override-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = new FormData($('override-form'));
    const verdict = form.get('verdict');
    const note = String(form.get('note') ?? '').trim();
    if (!verdict) return formError('override-error', 'chooseVerdict', S, $('override-form').querySelector('input[name=verdict]'));
    if (note.length < 3) return formError('override-error', 'NOTE_REQUIRED', S, $('override-note'));
    const r = 'passId' in overrideTarget
      ? await api('POST', '/api/manual', { verdict, note, passId: overrideTarget.passId, issuingProvince: overrideTarget.issuingProvince, lane: $('override-lane').value })
      : await api('POST', '/api/override', { verdict, note, crossingId: overrideTarget.crossingId });
    if (!r.ok) {
      if (r.status === 401) {
        $('override-dialog').close();
        return openSignIn();
      }
      return fill('override-error', t(r.error, S.lang));
    }
    $('override-dialog').close();
  });

  $('lookup-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    if (!S.officer) return openSignIn();
    const plate = $('lookup-plate').value.trim();
    if (!plate) return fill('lookup-results', h('p', { class: 'form-error', role: 'alert' }, t('fillPlate', S.lang)));
    const r = await api('GET', `/api/lookup?plate=${encodeURIComponent(plate)}`);
    if (!r.ok) return fill('lookup-results', h('p', { class: 'form-error', role: 'alert' }, t(r.error, S.lang)));
    if (!r.data.passes.length) return fill('lookup-results', h('p', { class: 'hint' }, t('noMatch', S.lang)));
    // Several passes match part of a plate: a list to pick from, each opening into its facts.
    fill('lookup-results',
      h('p', { class: 'hint' }, `${r.data.passes.length} ${t('matches', S.lang)} · ${t('lookupPick', S.lang)}`),
      r.data.passes.map((p, i) =>
        h('details', { class: 'card lookup-item', dataset: { passId: String(p.passId) }, open: r.data.passes.length === 1 || i === 0 ? true : null },
          h('summary', {}, h('strong', {}, p.plate), ` · ${p.ref} · ${p.status ? t(p.status, S.lang) : ''}`),
          passFacts(S, p),
          crewList(S, p.crew.map((c) => ({ ...c, status: 'PENDING' }))),
          h('button', { type: 'button', onclick: () => openOverride({ passId: p.passId, issuingProvince: p.issuingProvince }, `${p.plate} · ${p.ref}`) }, t('manualDecision', S.lang)),
        )));
  });

  $('shift-btn').addEventListener('click', async () => {
    const r = await api('GET', '/api/shift');
    if (!r.ok) return r.status === 401 ? openSignIn() : fill('action-hint', t(r.error, S.lang));
    const s = r.data;
    const lang = S.lang;
    fill('shift-summary',
      h('p', {}, `${s.officer.name} (${s.officer.id}) · ${t('shiftSince', lang)} ${timeText(s.since, lang)}`),
      h('dl', { class: 'facts shift' },
        ['ALLOW', 'DENY', 'REVIEW'].map((v) => [h('dt', {}, VERDICT_WORDS[v][lang]), h('dd', { dataset: { count: v } }, String(s.crossings[v]))]),
        h('dt', {}, t('misreads', lang)), h('dd', { dataset: { count: 'misreads' } }, String(s.misreads)),
        h('dt', {}, t('overridesMade', lang)), h('dd', { dataset: { count: 'overrides' } }, String(s.overrides.length)),
      ),
      s.overrides.length
        ? h('ul', { class: 'shift-overrides' }, s.overrides.map((o) => h('li', {}, `${timeText(o.at, lang)} · ${t('lane', lang)} ${o.lane} · ${o.plate ?? ''} → ${VERDICT_WORDS[o.verdict][lang]} — ${o.note ?? ''}`)))
        : null);
    $('shift-dialog').showModal();
  });

  for (const b of document.querySelectorAll('dialog [data-close]')) b.addEventListener('click', () => b.closest('dialog').close());
  $('sign-in-btn').addEventListener('click', openSignIn);
}
