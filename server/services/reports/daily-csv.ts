import { REASONS, type ReasonCode } from '../../../shared/rules/reasons.js';
import { formatVnDate, formatVnDateTime } from '../../../shared/time/vietnam-time.js';
import { csvLine } from '../audit/csv.js';
import { CSV_BOM } from '../audit/crossings-csv.js';
import type { DailyReport } from './daily.js';

export const reasonWords = (code: string): string => REASONS[code as ReasonCode]?.vi ?? code;

/** One line per checkpoint; refusals as "reason in words (CODE): n". BOM, Vietnamese, Vietnam time. */
export function dailyReportCsv(r: DailyReport): string {
  let out = CSV_BOM + csvLine([`Báo cáo ngày ${formatVnDate(r.from)} (giờ Việt Nam), lập lúc ${formatVnDateTime(r.generatedAt)}`]);
  out += csvLine(['Chốt', 'Tên trạm', 'Tổng lượt qua chốt', 'Vào: cho qua', 'Vào: không cho qua', 'Vào: cần kiểm tra', 'Ra: cho qua', 'Ra: không cho qua',
    'Ra: cần kiểm tra', 'Không cho qua theo lý do', 'F0/F1 bị chặn (người)', 'Xe quá hạn (hiện tại)', 'Số giờ có lượt quét', 'Thời gian hoạt động (%)', 'Liên lạc cuối của trạm']);
  for (const c of r.checkpoints) {
    out += csvLine([c.checkpointId, c.names.join('; '), c.crossings.total, c.crossings.entry.ALLOW, c.crossings.entry.DENY, c.crossings.entry.REVIEW,
      c.crossings.exit.ALLOW, c.crossings.exit.DENY, c.crossings.exit.REVIEW, c.refusals.map((x) => `${reasonWords(x.reason)} (${x.reason}): ${x.count}`).join('; '),
      c.f0f1TurnedBack, c.overdueNow, c.activeHours, c.uptimePercent, c.lastHeartbeatAt === null ? '' : formatVnDateTime(c.lastHeartbeatAt)]);
  }
  out += csvLine(['Tổng', '', r.totals.crossings, '', '', '', '', '', '', `Không cho qua: ${r.totals.denied}`, r.totals.f0f1TurnedBack, r.totals.overdueNow, '', '', '']);
  return out;
}
