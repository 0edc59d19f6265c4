import { GOODS } from '../../../shared/codes/pass-code.js';
import { provinceByCode, provinceFullName } from '../../../shared/geo/provinces.js';
import { zoneName } from '../../../shared/geo/zone-name.js';
import type { PassView } from './model.js';

/** Escape text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);
}

const DIRECTION_LABEL: Record<PassView['direction'], string> = {
  both: 'Vào và ra / Entry and exit',
  entry: 'Chỉ chiều vào / Entry only',
  exit: 'Chỉ chiều ra / Exit only',
};

const STATUS_LABEL: Record<PassView['status'], string> = {
  ACTIVE: 'Còn hiệu lực / Active',
  SUSPENDED: 'Tạm dừng / Suspended',
  REVOKED: 'Đã thu hồi / Revoked',
};

const mask = (text: string): string => `${'•'.repeat(Math.max(0, text.length - 4))}${text.slice(-4)}`;

function provinceWords(code: number): string {
  const p = provinceByCode(code);
  return p ? provinceFullName(p) : `tỉnh ${code}`;
}

/** Dates as printed in Vietnam (dd/mm/yyyy hh:mm, UTC+7), independent of the server's time zone. */
function vnDate(ms: number): string {
  const d = new Date(ms + 7 * 3_600_000);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())} (giờ VN, UTC+7)`;
}

/**
 * The printable A4 sheet stuck on both sides of the vehicle: Vietnamese first, the QR 10 cm wide
 * (scannable from a lane), the pass id and version. Every piece of stored text is escaped; `qrSvg`
 * comes from the QR library, not from user input.
 */
function sheetBody(p: PassView, qrSvg: string): string {
  const e = escapeHtml;
  const row = (vi: string, en: string, value: string) =>
    `<tr><th>${e(vi)}<br><small>${e(en)}</small></th><td>${value}</td></tr>`;
  // the sheet hangs behind a windscreen: ids and phones are masked (the officer checks the ID card
  // against the name; the full id is in the signed code and the station's data)
  const crew = p.crew
    .map((c) => `${e(c.role === 'driver' ? 'Lái xe' : 'Phụ xe')}: <b>${e(c.name)}</b> — CCCD ${e(mask(c.citizenId))}${c.phone ? ` — ĐT ${e(mask(c.phone))}` : ''}`)
    .join('<br>');
  const route = [
    p.routeCheckpoints.length ? `Chốt / Checkpoints: ${e(p.routeCheckpoints.join(', '))}` : '',
    p.routeProvinces.length ? `Tỉnh, thành phố / Provinces: ${e(p.routeProvinces.map(provinceWords).join(', '))}` : '',
  ].filter(Boolean).join('<br>');
  const valid = p.status === 'ACTIVE';
  const expiry = p.validTo === null ? 'Đến khi có thông báo mới' : `Hết hạn ${vnDate(p.validTo)}`;
  const issuer = provinceWords(p.issuingProvince);
  const goods = GOODS[p.goods];
  const validity = `${e(vnDate(p.validFrom))} → ${p.validTo === null ? 'đến khi có thông báo mới / until further notice' : e(vnDate(p.validTo))}`;
  return `<section class="sheet">
<h1>THẺ NHẬN DIỆN PHƯƠNG TIỆN VẬN CHUYỂN HÀNG HÓA</h1>
<div class="sub">Goods vehicle pass — Sở Giao thông vận tải ${e(issuer)}</div>
<div class="plate">${e(p.plate)}</div>
<div class="expiry">${e(expiry)}</div>
${valid ? `<div class="qr">${qrSvg}</div>` : `<div class="void">${e(STATUS_LABEL[p.status].toUpperCase())}<br>KHÔNG CÓ GIÁ TRỊ / NOT VALID</div>`}
<div class="id">Mã thẻ / Pass: <b>#${e(String(p.passId))}</b> — Phiên bản / Version: <b>${e(String(p.version))}</b></div>
<table>
${row('Đơn vị vận tải', 'Company', e(p.company ?? '—'))}
${row('Tổ lái', 'Crew', crew)}
${row('Hàng hóa', 'Goods', goods ? `${e(goods.vi)} / ${e(goods.en)}` : e(String(p.goods)))}
${row('Nơi đi → nơi đến', 'Origin → destination', `${e(zoneName(p.originZone))} → ${e(zoneName(p.destinationZone))}`)}
${row('Lộ trình', 'Route', route)}
${row('Điểm dừng, bốc dỡ được phép', 'Permitted stops', e(p.permittedStops ?? '—'))}
${row('Chiều', 'Direction', e(DIRECTION_LABEL[p.direction]))}
${row('Thời hạn', 'Validity', validity)}
${row('Thời gian lưu trú tối đa', 'Maximum stay', `${e(String(p.maxStayHours))} giờ / hours`)}
${row('Trạng thái', 'Status', `<span class="status">${e(STATUS_LABEL[p.status])}</span>${p.statusReason ? ` — ${e(p.statusReason)}` : ''}`)}
</table>
<p style="font-size:9pt">Cấp lúc / Issued: ${e(vnDate(p.issuedAt))}. Hiệu lực theo dữ liệu trung tâm / Central status prevails over printed dates.</p>
</section>`;
}

const SHEET_STYLE = `<style>
@page { size: A4; margin: 12mm; }
body { font-family: "Noto Sans", Arial, sans-serif; margin: 0; color: #000; }
h1 { font-size: 20pt; margin: 0 0 2mm; text-align: center; }
.sub { text-align: center; font-size: 10pt; margin-bottom: 4mm; }
.plate { font-size: 40pt; font-weight: bold; text-align: center; letter-spacing: 2px; margin: 2mm 0; }
.qr { text-align: center; }
.qr svg { width: 10cm; height: 10cm; }
.id { text-align: center; font-size: 12pt; margin: 2mm 0 4mm; }
table { width: 100%; border-collapse: collapse; font-size: 11pt; }
th, td { border: 1px solid #000; padding: 1.5mm 2mm; vertical-align: top; text-align: left; }
th { width: 32%; font-weight: 600; }
th small { font-weight: normal; color: #333; }
.status { font-weight: bold; }
.expiry { font-size: 22pt; font-weight: bold; text-align: center; margin: 0 0 3mm; }
.void { font-size: 30pt; font-weight: bold; text-align: center; color: #b00; border: 3mm solid #b00; padding: 20mm 5mm; margin: 4mm 0; }
.sheet + .sheet { page-break-before: always; break-before: page; }
</style>`;

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8">
<title>${escapeHtml(title)}</title>
${SHEET_STYLE}</head>
<body>
${body}</body></html>
`;
}

export function passSheetHtml(p: PassView, qrSvg: string): string {
  return page(`Giấy phép phương tiện ${p.plate} — #${p.passId} v${p.version}`, sheetBody(p, qrSvg));
}

/** Several sheets in one document, one A4 page each, for a print run of the selected passes. */
export function passSheetsHtml(sheets: { pass: PassView; qrSvg: string }[]): string {
  return page(`Giấy phép phương tiện (${sheets.length} tờ)`, sheets.map((s) => sheetBody(s.pass, s.qrSvg)).join('\n'));
}
