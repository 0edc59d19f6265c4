import { severityOf, type Policy } from './policy.js';
import { worstVerdict, type ReasonCode, type Severity, type Verdict } from './reasons.js';

/** A reason with the severity it carries in this decision. */
export interface Finding {
  code: ReasonCode;
  severity: Severity;
}

export function finding(code: ReasonCode, policy: Policy, severity?: Severity): Finding {
  return { code, severity: severity ?? severityOf(code, policy) };
}

export function verdictOf(findings: readonly Finding[]): Verdict {
  return worstVerdict(...findings.flatMap((f) => (f.severity === 'INFO' ? [] : [f.severity])));
}

export function codesOf(findings: readonly Finding[]): ReasonCode[] {
  return [...new Set(findings.map((f) => f.code))];
}
