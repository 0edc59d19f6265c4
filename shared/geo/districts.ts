/**
 * District-level units (official three-digit codes) of the provinces where the demo and the fixtures
 * set zone levels: zones are written "79-760" (province-district). Codes as of 2021 (Thủ Đức became a
 * city in January 2021 under code 769). Other provinces' districts can be added as they set zones;
 * until then a zone "PP-DDD" is shown as "district DDD" of its province's name.
 */
export interface District {
  readonly province: string;
  readonly code: string;
  /** Full name with its kind, as written: "Quận 1", "Huyện Cần Giờ", "Thành phố Tân An". */
  readonly name: string;
}

const list = (province: string, entries: [string, string][]): District[] => entries.map(([code, name]) => ({ province, code, name }));

export const DISTRICTS: readonly District[] = [
  ...list('79', [
    ['760', 'Quận 1'], ['761', 'Quận 12'], ['764', 'Quận Gò Vấp'], ['765', 'Quận Bình Thạnh'], ['766', 'Quận Tân Bình'],
    ['767', 'Quận Tân Phú'], ['768', 'Quận Phú Nhuận'], ['769', 'Thành phố Thủ Đức'], ['770', 'Quận 3'], ['771', 'Quận 10'],
    ['772', 'Quận 11'], ['773', 'Quận 4'], ['774', 'Quận 5'], ['775', 'Quận 6'], ['776', 'Quận 8'], ['777', 'Quận Bình Tân'],
    ['778', 'Quận 7'], ['783', 'Huyện Củ Chi'], ['784', 'Huyện Hóc Môn'], ['785', 'Huyện Bình Chánh'], ['786', 'Huyện Nhà Bè'],
    ['787', 'Huyện Cần Giờ'],
  ]),
  ...list('80', [
    ['794', 'Thành phố Tân An'], ['795', 'Thị xã Kiến Tường'], ['796', 'Huyện Tân Hưng'], ['797', 'Huyện Vĩnh Hưng'],
    ['798', 'Huyện Mộc Hóa'], ['799', 'Huyện Tân Thạnh'], ['800', 'Huyện Thạnh Hóa'], ['801', 'Huyện Đức Huệ'],
    ['802', 'Huyện Đức Hòa'], ['803', 'Huyện Bến Lức'], ['804', 'Huyện Thủ Thừa'], ['805', 'Huyện Tân Trụ'],
    ['806', 'Huyện Cần Đước'], ['807', 'Huyện Cần Giuộc'], ['808', 'Huyện Châu Thành'],
  ]),
];

const BY_KEY = new Map(DISTRICTS.map((d) => [`${d.province}-${d.code}`, d]));

export function districtByZone(zone: string): District | null {
  return BY_KEY.get(zone) ?? null;
}

/** The listed districts of a province (two-digit code); empty when the list has none for it yet. */
export function districtsOf(province: number | string): readonly District[] {
  const code = String(province).padStart(2, '0');
  return DISTRICTS.filter((d) => d.province === code);
}

/**
 * Whether a district code may be used for a province: one of its listed districts, or, for a province
 * whose districts are not listed yet, any three-digit code (an area cannot wait for the list to grow).
 */
export function districtKnown(province: number | string, district: string): boolean {
  if (!/^[0-9]{3}$/.test(district)) return false;
  const listed = districtsOf(province);
  return listed.length === 0 || listed.some((d) => d.code === district);
}
