import { districtByZone } from './districts.js';
import { provinceByCode, provinceFullName } from './provinces.js';

/**
 * A zone code in words: "79" → "Thành phố Hồ Chí Minh", "79-760" → "Quận 1, Thành phố Hồ Chí Minh",
 * "80-999" (a district not in the list) → "Quận/huyện 999, Tỉnh Long An". An unknown province keeps its code.
 */
export function zoneName(zone: string, lang: 'vi' | 'en' = 'vi'): string {
  const [prov, dist] = zone.split('-');
  const p = provinceByCode(prov ?? '');
  const provName = p ? provinceFullName(p, lang) : `${lang === 'vi' ? 'Tỉnh/thành' : 'Province'} ${prov}`;
  if (!dist) return provName;
  const d = districtByZone(zone);
  const distName = d ? d.name : `${lang === 'vi' ? 'Quận/huyện' : 'District'} ${dist}`;
  return `${distName}, ${provName}`;
}
