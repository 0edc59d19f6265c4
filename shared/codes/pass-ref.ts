/**
 * One identity for a pass across the country: the issuing province and the pass id that province's
 * server gave it. Pass ids are allocated per issuing server, so an id alone is ambiguous as soon as a
 * station trusts more than one province: pass 17 of 79 and pass 17 of 80 are different vehicles.
 * The canonical text form is `<province, 2 digits>-<passId>`, e.g. "79-17" (URLs, exports, presence keys).
 */
export interface PassIdentity {
  issuingProvince: number;
  passId: number;
}

export function passRef(issuingProvince: number, passId: number): string {
  return `${String(issuingProvince).padStart(2, '0')}-${passId}`;
}

export const PASS_REF_PATTERN = '^\\d{2}-[1-9]\\d{0,12}$';
const REF = new RegExp(PASS_REF_PATTERN);

/** Parses "79-17"; null when the text is not a pass ref. */
export function parsePassRef(ref: string): PassIdentity | null {
  if (!REF.test(ref)) return null;
  const [p, id] = ref.split('-') as [string, string];
  const issuingProvince = Number(p);
  const passId = Number(id);
  if (issuingProvince < 1 || !Number.isSafeInteger(passId) || passId > 2 ** 40) return null;
  return { issuingProvince, passId };
}

export function samePass(a: PassIdentity, b: PassIdentity): boolean {
  return a.passId === b.passId && a.issuingProvince === b.issuingProvince;
}
