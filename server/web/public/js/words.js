// The shared glossary (shared/glossary, shared/geo, reasons and goods) as served by /app/glossary.js,
// in the chosen language: term('verdict', 'DENY') → "KHÔNG CHO QUA", zoneName('79-760') →
// "Quận 1, Thành phố Hồ Chí Minh". Unknown keys show as they are rather than vanish.
import { DISTRICTS, GOODS, PROVINCES, REASONS, TERMS } from '../glossary.js';
import { L } from './i18n.js';

export function term(group, key) {
  const t = TERMS[group]?.[key];
  return t ? L(t.vi, t.en) : String(key ?? '—');
}

export const roleLabel = (role) => term('role', role);

/** A term of the `word` group: word('plate') → "Biển số". */
export const word = (key) => term('word', key);

export function reasonText(code) {
  const r = REASONS[code];
  return r ? L(r.vi, r.en) : code;
}

export function goodsText(i) {
  const g = GOODS[i];
  return g ? L(g.vi, g.en) : String(i);
}

const provinceOf = new Map(PROVINCES.map((p) => [p.code, p]));
const districtOf = new Map(DISTRICTS.map((d) => [`${d.province}-${d.code}`, d]));

const ascii = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');

/** 79 or "79" → "Thành phố Hồ Chí Minh" (English: "Ho Chi Minh City"). */
export function provinceName(code) {
  const key = String(code ?? '').padStart(2, '0');
  const p = provinceOf.get(key);
  if (!p) return L(`Tỉnh/thành ${code}`, `Province ${code}`);
  return L(`${p.kind === 'city' ? 'Thành phố' : 'Tỉnh'} ${p.name}`, p.kind === 'city' ? `${ascii(p.name)} City` : `${ascii(p.name)} province`);
}

export function zoneName(zone) {
  if (!zone) return '—';
  const [prov, dist] = String(zone).split('-');
  if (!dist) return provinceName(prov);
  const d = districtOf.get(zone);
  return `${d ? d.name : L(`Quận/huyện ${dist}`, `District ${dist}`)}, ${provinceName(prov)}`;
}

/** [{ code: "01", name: "Thành phố Hà Nội" }, …] sorted by name, for pickers. */
export function provinceOptions() {
  return PROVINCES.map((p) => ({ code: p.code, name: provinceName(p.code) })).sort((a, b) => a.name.localeCompare(b.name, 'vi'));
}

/** Districts known for a province, for pickers (empty when none are listed). */
export function districtOptions(province) {
  return DISTRICTS.filter((d) => d.province === province).map((d) => ({ code: `${d.province}-${d.code}`, name: d.name }));
}

/** A <datalist> of every province and the known districts: type a name or a code, get the code. */
export function zoneDatalist(id) {
  const list = document.createElement('datalist');
  list.id = id;
  const add = (code, name) => {
    const o = document.createElement('option');
    o.value = code;
    o.label = name;
    o.textContent = name;
    list.appendChild(o);
  };
  for (const p of provinceOptions()) {
    add(p.code, p.name);
    for (const d of districtOptions(p.code)) add(d.code, `${d.name}, ${p.name}`);
  }
  return list;
}
