// Reasons worst first, each naming whom it concerns and what the officer does, Vietnamese and English.
import { h } from './dom.js';
import { other, t } from './i18n.js';

/** Whom a reason concerns: the crew member by role and (signed in) name; the vehicle's own reasons need no name. */
function whoText(S, who, lang) {
  return who.filter((w) => w.role !== 'vehicle').map((w) => `${t(w.role === 'stranger' ? 'strangerWho' : w.role, lang)}${w.name ? ` ${w.name}` : ''}`).join(', ');
}

export function reasonItem(S, r) {
  const lang = S.lang;
  const text = S.meta?.reasons?.[r.code];
  const action = S.meta?.actions?.[r.code];
  const who = whoText(S, r.who, lang);
  return h('li', { dataset: { reason: r.code, severity: r.severity } },
    h('span', { class: 'sev', 'aria-hidden': 'true' }, r.severity === 'DENY' ? '✗' : r.severity === 'REVIEW' ? '!' : 'i'),
    h('div', {},
      h('div', { class: 'reason-text' }, text ? text[lang] : r.code, who ? h('span', { class: 'who' }, ` — ${who}`) : null),
      text ? h('small', {}, text[other(lang)]) : null,
      action ? h('div', { class: 'action' }, `→ ${action[lang]}`, h('small', {}, action[other(lang)])) : null,
    ),
  );
}

export function reasonList(S, findings, overridden) {
  const lang = S.lang;
  const items = findings.length ? findings.map((r) => reasonItem(S, r)) : [h('li', { class: 'ok' }, t('noReasons', lang))];
  return h('ul', { class: 'reasons' }, overridden ? [h('li', { class: 'findings-label' }, t('findings', lang)), ...items] : items);
}
