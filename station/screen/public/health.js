// A person's health facts in words, as officers read them in 2021: where they come from and how
// dangerous it is there, their latest test and how old it is, doses, F0/F1 and since when.
import { h } from './dom.js';
import { TERMS } from './glossary.js';
import { ageText, dateTimeText, t } from './i18n.js';

export function zoneText(S, hv) {
  const lang = S.lang;
  const where = `${hv.originZoneName?.[lang] ?? hv.originZone} (${hv.originZone})`;
  return `${where} — ${hv.zoneLevel ? TERMS.zoneLevel[hv.zoneLevel][lang] : t('zoneUnknown', lang)}`;
}

function row(label, value, bad, key) {
  return [h('dt', {}, label), h('dd', { class: bad ? 'bad' : null, dataset: { field: key } }, value)];
}

export function healthCard(S, person, hv) {
  const lang = S.lang;
  const now = S.now();
  const rows = [];
  rows.push(row(t('originZone', lang), hv.originZone ? zoneText(S, hv) : '—', hv.zoneLevel === 4, 'zone'));
  if (hv.test) {
    const hours = Math.max(0, Math.floor((now - hv.test.sampledAt) / 3_600_000));
    rows.push(row(t('latestTest', lang), `${TERMS.testType[hv.test.type][lang]}, ${TERMS.testResult[hv.test.result][lang].toLowerCase()} · ${t('sampledAt', lang)} ${dateTimeText(hv.test.sampledAt, lang)} (${t('hoursAgo', lang, { h: hours })})`, hv.test.result === 'POSITIVE', 'test'));
  } else rows.push(row(t('latestTest', lang), t('noTest', lang), false, 'test'));
  rows.push(row(TERMS.word.doses[lang], String(hv.doses), false, 'doses'));
  const status = hv.status === 'NONE' ? TERMS.healthStatus.NONE[lang] : `${TERMS.healthStatus[hv.status][lang]} ${t('since', lang)} ${dateTimeText(hv.statusAsOf, lang)}`;
  rows.push(row(t('caseStatus', lang), status, hv.status !== 'NONE', 'status'));
  rows.push(row(TERMS.word.declaration[lang], hv.declaredAt === null ? t('noDeclaration', lang) : `${dateTimeText(hv.declaredAt, lang)} (${ageText(now - hv.declaredAt, lang)} ${t('ago', lang)})`, hv.declaredAt === null, 'declaration'));
  const who = [t(person.role, lang), person.name ?? (person.idMasked ? `${person.idMasked}, ${t('nameNotHeld', lang)}` : null)].filter(Boolean).join(': ');
  return [h('h3', {}, `${t('health', lang)} — ${who}`), h('dl', { class: 'facts' }, rows)];
}
