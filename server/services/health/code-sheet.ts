import type { HealthCodeBody } from '../../../shared/codes/health-code.js';
import { TERMS } from '../../../shared/glossary/terms.js';
import { formatVnDateTime } from '../../../shared/time/vietnam-time.js';
import { escapeHtml } from '../passes/sheet.js';

export interface HealthCodeValidity {
  /** the negative test counts until then (null: no negative test) */
  testValidUntil: number | null;
  /** the declaration counts until then (null: none) */
  declarationValidUntil: number | null;
}

/** How long the code's facts hold under the policy: a negative test for its type's hours, a declaration for its age limit. */
export function healthCodeValidity(body: HealthCodeBody, policy: { testValidityHours: Record<string, number>; maxDeclarationAgeHours: number }): HealthCodeValidity {
  const t = body.test;
  const testHours = t && t.result === 'NEGATIVE' ? policy.testValidityHours[t.type] : undefined;
  return {
    testValidUntil: t && testHours !== undefined ? t.sampledAt + testHours * 3_600_000 : null,
    declarationValidUntil: body.declaredAt === null ? null : body.declaredAt + policy.maxDeclarationAgeHours * 3_600_000,
  };
}

const mask = (text: string): string => `${'•'.repeat(Math.max(0, text.length - 4))}${text.slice(-4)}`;
const vn = (ms: number) => `${formatVnDateTime(ms)} (giờ VN)`;

/** A printable page for the person to carry: the QR, their name, a masked id, the facts and until when they hold. */
export function healthCodeSheetHtml(name: string, body: HealthCodeBody, validity: HealthCodeValidity, qrSvg: string): string {
  const e = escapeHtml;
  const t = body.test;
  const row = (vi: string, en: string, value: string) => `<tr><th>${e(vi)}<br><small>${e(en)}</small></th><td>${e(value)}</td></tr>`;
  const test = t ? `${TERMS.testType[t.type].vi} · ${TERMS.testResult[t.result].vi} · lấy mẫu ${vn(t.sampledAt)}` : 'Chưa có';
  const until = validity.testValidUntil === null ? 'Không có xét nghiệm âm tính còn giá trị' : `Xét nghiệm có giá trị đến ${vn(validity.testValidUntil)}`;
  return `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>${e(`Mã y tế — ${name}`)}</title>
<style>
@page { size: A5; margin: 10mm; }
body { font-family: "Noto Sans", Arial, sans-serif; margin: 0; color: #000; }
h1 { font-size: 16pt; text-align: center; margin: 0 0 2mm; }
.name { font-size: 20pt; font-weight: bold; text-align: center; }
.until { font-size: 15pt; font-weight: bold; text-align: center; margin: 2mm 0; }
.qr { text-align: center; } .qr svg { width: 7cm; height: 7cm; }
table { width: 100%; border-collapse: collapse; font-size: 10pt; }
th, td { border: 1px solid #000; padding: 1.5mm; text-align: left; vertical-align: top; } th { width: 35%; }
</style></head><body>
<h1>MÃ Y TẾ / HEALTH CODE</h1>
<div class="name">${e(name)}</div>
<div class="until" data-testid="valid-until">${e(until)}</div>
<div class="qr">${qrSvg}</div>
<table>
${row('Số CCCD', 'Citizen ID', mask(body.citizenId))}
${row('Phân loại', 'Status', TERMS.healthStatus[body.status].vi)}
${row('Xét nghiệm', 'Test', test)}
${row('Số mũi tiêm', 'Vaccine doses', String(body.doses))}
${row('Khai báo y tế', 'Declaration', body.declaredAt === null ? 'Chưa khai báo' : `${vn(body.declaredAt)}; có giá trị đến ${vn(validity.declarationValidUntil!)}`)}
${row('Cấp lúc', 'Issued', vn(body.issuedAt))}
</table>
<p style="font-size:8pt">Trạm kiểm soát đọc mã và áp dụng quy định hiện hành / Checkpoints read the code and apply the current policy.</p>
</body></html>
`;
}
