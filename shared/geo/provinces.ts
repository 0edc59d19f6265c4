/**
 * The 63 provinces and centrally-run cities of Viet Nam (as in 2021, before the 2025 mergers) with
 * their official two-digit codes (Decision 124/2004/QĐ-TTg, as amended) and their proper names:
 * a "thành phố trực thuộc trung ương" is "Thành phố …", the others "Tỉnh …". Screens show these
 * names instead of bare codes ("79" is "Thành phố Hồ Chí Minh").
 */
export interface Province {
  /** Two-digit code as text, "01" … "96". */
  readonly code: string;
  /** Name without its kind: "Hồ Chí Minh". */
  readonly name: string;
  readonly kind: 'city' | 'province';
}

const P = (code: string, name: string, kind: Province['kind'] = 'province'): Province => ({ code, name, kind });

export const PROVINCES: readonly Province[] = [
  P('01', 'Hà Nội', 'city'), P('02', 'Hà Giang'), P('04', 'Cao Bằng'), P('06', 'Bắc Kạn'), P('08', 'Tuyên Quang'),
  P('10', 'Lào Cai'), P('11', 'Điện Biên'), P('12', 'Lai Châu'), P('14', 'Sơn La'), P('15', 'Yên Bái'),
  P('17', 'Hòa Bình'), P('19', 'Thái Nguyên'), P('20', 'Lạng Sơn'), P('22', 'Quảng Ninh'), P('24', 'Bắc Giang'),
  P('25', 'Phú Thọ'), P('26', 'Vĩnh Phúc'), P('27', 'Bắc Ninh'), P('30', 'Hải Dương'), P('31', 'Hải Phòng', 'city'),
  P('33', 'Hưng Yên'), P('34', 'Thái Bình'), P('35', 'Hà Nam'), P('36', 'Nam Định'), P('37', 'Ninh Bình'),
  P('38', 'Thanh Hóa'), P('40', 'Nghệ An'), P('42', 'Hà Tĩnh'), P('44', 'Quảng Bình'), P('45', 'Quảng Trị'),
  P('46', 'Thừa Thiên Huế'), P('48', 'Đà Nẵng', 'city'), P('49', 'Quảng Nam'), P('51', 'Quảng Ngãi'), P('52', 'Bình Định'),
  P('54', 'Phú Yên'), P('56', 'Khánh Hòa'), P('58', 'Ninh Thuận'), P('60', 'Bình Thuận'), P('62', 'Kon Tum'),
  P('64', 'Gia Lai'), P('66', 'Đắk Lắk'), P('67', 'Đắk Nông'), P('68', 'Lâm Đồng'), P('70', 'Bình Phước'),
  P('72', 'Tây Ninh'), P('74', 'Bình Dương'), P('75', 'Đồng Nai'), P('77', 'Bà Rịa - Vũng Tàu'), P('79', 'Hồ Chí Minh', 'city'),
  P('80', 'Long An'), P('82', 'Tiền Giang'), P('83', 'Bến Tre'), P('84', 'Trà Vinh'), P('86', 'Vĩnh Long'),
  P('87', 'Đồng Tháp'), P('89', 'An Giang'), P('91', 'Kiên Giang'), P('92', 'Cần Thơ', 'city'), P('93', 'Hậu Giang'),
  P('94', 'Sóc Trăng'), P('95', 'Bạc Liêu'), P('96', 'Cà Mau'),
];

const BY_CODE = new Map(PROVINCES.map((p) => [p.code, p]));

/** "01" or 1 → the province, or null for a code that is not one. */
export function provinceByCode(code: string | number): Province | null {
  const key = typeof code === 'number' ? String(code).padStart(2, '0') : code;
  return BY_CODE.get(key) ?? null;
}

/** "Thành phố Hồ Chí Minh" / "Ho Chi Minh City"; "Tỉnh Long An" / "Long An province". */
export function provinceFullName(p: Province, lang: 'vi' | 'en' = 'vi'): string {
  if (lang === 'vi') return `${p.kind === 'city' ? 'Thành phố' : 'Tỉnh'} ${p.name}`;
  const plain = p.name.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
  return p.kind === 'city' ? `${plain} City` : `${plain} province`;
}
