import { REASON_CODES, type ReasonCode, type Severity } from './reasons.js';
import { severityOf, type Policy } from './policy.js';

/**
 * Layered policy, as the 2021 directives had it: a national baseline, and a province may be stricter
 * than the centre ("trước một bước và cao hơn một bước") but never looser. The rules a policy sets
 * (not its version or time) are compared field by field.
 */
export type PolicyRules = Omit<Policy, 'version' | 'issuedAt'>;

export interface Loosening {
  /** the field, as the policy form and API name it, e.g. "testValidityHours.RT_PCR" */
  field: string;
  en: string;
  vi: string;
}

const PASSBACK = { off: 0, soft: 1, hard: 2 } as const;
const STRICTNESS: Record<Severity, number> = { INFO: 0, ALLOW: 0, REVIEW: 1, DENY: 2 };
const asPolicy = (r: PolicyRules): Policy => ({ ...r, version: 1, issuedAt: 0 });

/** Where `candidate` is looser than `baseline` (empty when it is as strict or stricter everywhere). */
export function looserThanBaseline(baseline: PolicyRules, candidate: PolicyRules): Loosening[] {
  const out: Loosening[] = [];
  const atMost = (field: string, b: number, c: number, vi: string) => {
    if (c > b) out.push({ field, en: `${field} ${c} is looser than the national baseline's ${b}`, vi: `${vi}: ${c} lỏng hơn mức chung của Trung ương (${b})` });
  };
  atMost('testValidityHours.RT_PCR', baseline.testValidityHours.RT_PCR, candidate.testValidityHours.RT_PCR, 'Hiệu lực xét nghiệm RT-PCR (giờ)');
  atMost('testValidityHours.RAPID_ANTIGEN', baseline.testValidityHours.RAPID_ANTIGEN, candidate.testValidityHours.RAPID_ANTIGEN, 'Hiệu lực xét nghiệm nhanh (giờ)');
  atMost('maxDeclarationAgeHours', baseline.maxDeclarationAgeHours, candidate.maxDeclarationAgeHours, 'Tuổi tối đa của tờ khai y tế (giờ)');
  atMost('maxCacheStaleHours', baseline.maxCacheStaleHours, candidate.maxCacheStaleHours, 'Thời gian tối đa dữ liệu trạm chưa đồng bộ (giờ)');
  if (baseline.testRequiredForCrew && !candidate.testRequiredForCrew) {
    out.push({ field: 'testRequiredForCrew', en: 'testRequiredForCrew: the national baseline requires a test for crews', vi: 'Bắt buộc xét nghiệm với lái xe, phụ xe: Trung ương đã bắt buộc' });
  }
  for (const field of ['testRequiredZoneLevels', 'blockedZoneLevels'] as const) {
    const missing = baseline[field].filter((l) => !candidate[field].includes(l));
    if (missing.length > 0) {
      out.push({ field, en: `${field} leaves out level ${missing.join(', ')} of the national baseline`, vi: `${field === 'blockedZoneLevels' ? 'Cấp độ dịch bị cấm vào' : 'Cấp độ dịch phải xét nghiệm'}: thiếu cấp ${missing.join(', ')} mà Trung ương đã quy định` });
    }
  }
  if (candidate.vaccinationReplacesTest && (!baseline.vaccinationReplacesTest || candidate.minDosesToReplaceTest < baseline.minDosesToReplaceTest)) {
    const field = baseline.vaccinationReplacesTest ? 'minDosesToReplaceTest' : 'vaccinationReplacesTest';
    out.push({ field, en: `${field}: vaccination may not replace a test more easily than the national baseline allows`, vi: 'Tiêm vắc-xin thay xét nghiệm: dễ hơn mức chung của Trung ương' });
  }
  if (PASSBACK[candidate.antiPassback] < PASSBACK[baseline.antiPassback]) {
    out.push({ field: 'antiPassback', en: `antiPassback ${candidate.antiPassback} is looser than the national baseline's ${baseline.antiPassback}`, vi: `Chống quay vòng: "${candidate.antiPassback}" lỏng hơn mức chung "${baseline.antiPassback}"` });
  }
  for (const code of REASON_CODES) {
    const b = severityOf(code, asPolicy(baseline));
    const c = severityOf(code, asPolicy(candidate));
    if (STRICTNESS[c] < STRICTNESS[b]) {
      out.push({ field: `severity.${code}`, en: `severity.${code} ${c} is softer than the national baseline's ${b}`, vi: `Mức xử lý lý do ${code}: ${c} nhẹ hơn mức chung ${b}` });
    }
  }
  return out;
}

const stricterSeverity = (a: Severity, b: Severity): Severity => (STRICTNESS[a] >= STRICTNESS[b] ? a : b);

/**
 * The policy a station applies: its province's policy, held to the baseline field by field. A province
 * policy that loosened anything (refused at publication, so only by a fault) is tightened back here.
 */
export function layeredPolicy(baseline: PolicyRules, province: Policy): Policy {
  const severity: Partial<Record<ReasonCode, Severity>> = { ...province.severity };
  for (const code of REASON_CODES) {
    const b = severityOf(code, asPolicy(baseline));
    const p = severityOf(code, province);
    if (STRICTNESS[p] < STRICTNESS[b]) severity[code] = stricterSeverity(b, p);
  }
  const union = (a: number[], b: number[]) => [...new Set([...a, ...b])].sort();
  const vaccination = province.vaccinationReplacesTest && baseline.vaccinationReplacesTest;
  return {
    ...province,
    testValidityHours: {
      RT_PCR: Math.min(baseline.testValidityHours.RT_PCR, province.testValidityHours.RT_PCR),
      RAPID_ANTIGEN: Math.min(baseline.testValidityHours.RAPID_ANTIGEN, province.testValidityHours.RAPID_ANTIGEN),
    },
    maxDeclarationAgeHours: Math.min(baseline.maxDeclarationAgeHours, province.maxDeclarationAgeHours),
    maxCacheStaleHours: Math.min(baseline.maxCacheStaleHours, province.maxCacheStaleHours),
    testRequiredForCrew: baseline.testRequiredForCrew || province.testRequiredForCrew,
    testRequiredZoneLevels: union(baseline.testRequiredZoneLevels, province.testRequiredZoneLevels),
    blockedZoneLevels: union(baseline.blockedZoneLevels, province.blockedZoneLevels),
    vaccinationReplacesTest: vaccination,
    minDosesToReplaceTest: Math.max(baseline.minDosesToReplaceTest, province.minDosesToReplaceTest),
    antiPassback: PASSBACK[province.antiPassback] >= PASSBACK[baseline.antiPassback] ? province.antiPassback : baseline.antiPassback,
    severity,
  };
}
