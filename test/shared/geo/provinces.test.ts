import { describe, expect, it } from 'vitest';
import { districtByZone } from '../../../shared/geo/districts.js';
import { PROVINCES, provinceByCode, provinceFullName } from '../../../shared/geo/provinces.js';
import { zoneName } from '../../../shared/geo/zone-name.js';

describe('provinces', () => {
  it('are the 63 provinces and cities with unique two-digit codes', () => {
    expect(PROVINCES).toHaveLength(63);
    expect(new Set(PROVINCES.map((p) => p.code)).size).toBe(63);
    for (const p of PROVINCES) expect(p.code).toMatch(/^\d{2}$/);
    expect(PROVINCES.filter((p) => p.kind === 'city').map((p) => p.code).sort()).toEqual(['01', '31', '48', '79', '92']);
  });

  it('have their proper names', () => {
    expect(provinceFullName(provinceByCode('79')!)).toBe('Thành phố Hồ Chí Minh');
    expect(provinceFullName(provinceByCode(80)!)).toBe('Tỉnh Long An');
    expect(provinceFullName(provinceByCode(1)!)).toBe('Thành phố Hà Nội');
    expect(provinceFullName(provinceByCode('96')!)).toBe('Tỉnh Cà Mau');
    expect(provinceFullName(provinceByCode('79')!, 'en')).toBe('Ho Chi Minh City');
    expect(provinceFullName(provinceByCode('66')!, 'en')).toBe('Dak Lak province');
    expect(provinceByCode('03')).toBeNull();
  });

  it('name zones with their district where it is known', () => {
    expect(zoneName('79')).toBe('Thành phố Hồ Chí Minh');
    expect(zoneName('79-760')).toBe('Quận 1, Thành phố Hồ Chí Minh');
    expect(zoneName('80-794')).toBe('Thành phố Tân An, Tỉnh Long An');
    expect(zoneName('75-731')).toBe('Quận/huyện 731, Tỉnh Đồng Nai');
    expect(zoneName('03')).toBe('Tỉnh/thành 03');
    expect(districtByZone('79-787')?.name).toBe('Huyện Cần Giờ');
  });
});
