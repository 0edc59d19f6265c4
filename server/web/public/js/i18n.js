// Vietnamese first, English on request. Texts sit beside their use as L('vi', 'en'); the choice is
// remembered in this browser.
import { vnDate, vnDateTime } from './vn-time.js';

const KEY = 'cc.lang';
let lang = localStorage.getItem(KEY) === 'en' ? 'en' : 'vi';

export function currentLang() {
  return lang;
}

export function setLang(next) {
  lang = next === 'en' ? 'en' : 'vi';
  localStorage.setItem(KEY, lang);
  document.documentElement.lang = lang;
}

export function L(vi, en) {
  return lang === 'en' ? en : vi;
}

// Times are Vietnam time written dd/mm/yyyy HH:mm whatever the browser's zone or language (vn-time.js).
export function fmtTime(ms) {
  return vnDateTime(ms);
}

export function fmtDate(ms) {
  return vnDate(ms);
}

/** A duration for people: 45 s, 12 min, 3 h 5 min, 2 d 4 h. */
export function fmtAge(ms) {
  if (ms === null || ms === undefined) return '—';
  const s = Math.round(Math.abs(ms) / 1000);
  const sign = ms < 0 ? '-' : '';
  if (s < 90) return `${sign}${s} s`;
  const m = Math.round(s / 60);
  if (m < 90) return `${sign}${m} ${L('phút', 'min')}`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${sign}${hours} ${L('giờ', 'h')} ${m % 60} ${L('phút', 'min')}`;
  return `${sign}${Math.floor(hours / 24)} ${L('ngày', 'd')} ${hours % 24} ${L('giờ', 'h')}`;
}
