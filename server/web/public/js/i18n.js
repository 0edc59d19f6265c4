// Vietnamese first, English on request. Texts sit beside their use as L('vi', 'en'); the choice is
// remembered in this browser.
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

const locale = () => (lang === 'en' ? 'en-GB' : 'vi-VN');

export function fmtTime(ms) {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toLocaleString(locale(), { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

export function fmtDate(ms) {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toLocaleDateString(locale(), { year: 'numeric', month: '2-digit', day: '2-digit' });
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

export const ROLE_LABEL = {
  admin: ['Quản trị', 'Administrator'],
  transport: ['Sở Giao thông vận tải', 'Transport department'],
  health: ['Y tế', 'Health'],
  command: ['Trung tâm chỉ huy', 'Command center'],
  officer: ['Cán bộ chốt', 'Checkpoint officer'],
};

export function roleLabel(role) {
  const r = ROLE_LABEL[role];
  return r ? L(r[0], r[1]) : role;
}
