import { readFileSync } from 'node:fs';

/** The shipped list (common-passwords.txt), read once when first needed. */
let list: Set<string> | null = null;

function commonPasswords(): Set<string> {
  if (list) return list;
  const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
  list = new Set(text.split('\n').map((l) => l.trim().toLowerCase()).filter((l) => l !== '' && !l.startsWith('#')));
  return list;
}

/** A listed password, or one character repeated (aaaaaaaaaa). */
export function isCommonPassword(password: string): boolean {
  const lower = password.toLowerCase();
  return commonPasswords().has(lower) || new Set(lower).size === 1;
}
