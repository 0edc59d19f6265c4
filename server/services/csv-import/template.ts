import { csvLine } from '../audit/csv.js';
import type { ImportColumns } from './importer.js';

/**
 * A downloadable import template: a UTF-8 BOM (so a spreadsheet reads the Vietnamese), the Vietnamese
 * headers of every column, required ones first, and one example row in the words and dates people use.
 */
export function importTemplateCsv(columns: ImportColumns, example: Readonly<Record<string, string>>): string {
  const keys = [...columns.required, ...columns.optional];
  return `\uFEFF${csvLine(keys.map((k) => columns.labels?.[k] ?? k))}${csvLine(keys.map((k) => example[k] ?? ''))}`;
}
