import { DISTRICTS } from '../geo/districts.js';
import { PROVINCES } from '../geo/provinces.js';
import { GOODS } from '../codes/pass-code.js';
import { REASONS } from '../rules/reasons.js';
import { TERMS } from './terms.js';

/**
 * The glossary, reason texts, goods and place names as one plain ES module for the browser pages,
 * which cannot import TypeScript: `import { TERMS, PROVINCES } from '/app/glossary.js'`. Built once
 * from the same definitions the server uses, so the screens cannot drift from them.
 */
export function glossaryModuleSource(): string {
  const data = { TERMS, REASONS, GOODS, PROVINCES, DISTRICTS };
  return `// generated from shared/glossary and shared/geo: do not edit\n${Object.entries(data)
    .map(([name, value]) => `export const ${name} = Object.freeze(${JSON.stringify(value)});`)
    .join('\n')}\n`;
}
