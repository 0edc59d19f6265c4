import { TERMS, type Lang, type Term } from './terms.js';

export { TERMS, type Lang, type Term } from './terms.js';
export { glossaryModuleSource } from './browser-module.js';

type Groups = typeof TERMS;

/** term('verdict', 'DENY') → "KHÔNG CHO QUA"; typed, so a misspelt key fails the type check. */
export function term<G extends keyof Groups>(group: G, key: keyof Groups[G], lang: Lang = 'vi'): string {
  return (TERMS[group][key] as Term)[lang];
}
