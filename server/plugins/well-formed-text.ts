import fp from 'fastify-plugin';
import { ValidationError } from '../domain-errors.js';
import { labelOf } from './validation-text.js';

// String.prototype.isWellFormed is ES2024, beyond the project's lib: the same test as regexes, the
// cheap one first (any surrogate at all), so an ingest batch of 1000 records costs about 0.4 ms.
const ANY_SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
/** a lone surrogate, or a NUL (U+0000), which PostgreSQL's text cannot hold */
const malformed = (s: string) => (ANY_SURROGATE.test(s) && LONE_SURROGATE.test(s)) || s.includes('\u0000');

/** The first string in `value` (keys too) that is not well-formed UTF-16 or holds a NUL, as a JSON pointer. */
function malformedAt(value: unknown, path: string, depth: number): string | null {
  if (typeof value === 'string') return malformed(value) ? path || '/' : null;
  if (depth > 64 || value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = malformedAt(value[i], `${path}/${i}`, depth + 1);
      if (found) return found;
    }
    return null;
  }
  for (const k in value) {
    if (malformed(k)) return `${path}/${k}`;
    const found = malformedAt((value as Record<string, unknown>)[k], `${path}/${k}`, depth + 1);
    if (found) return found;
  }
  return null;
}

/**
 * Text with a lone surrogate (valid JSON, "\ud800") cannot be stored as UTF-8: SQLite would keep
 * replacement characters instead, so what was sent would not be what is read back; and PostgreSQL's
 * text cannot hold a NUL (U+0000) at all. Refuse either with a 400 naming the field, before any
 * service sees it, for bodies (JSON and CSV), queries and params on the routes for people, on both
 * engines alike.
 */
export default fp(
  async (app) => {
    app.addHook('preValidation', async (request) => {
      // Station routes validate record by record (a 400 for a whole batch would stall its uploader);
      // a record whose text changed in storage no longer matches its hash and is flagged there.
      if (request.routeOptions.config.access === 'station') return;
      for (const [where, value] of [['body', request.body], ['querystring', request.query], ['params', request.params]] as const) {
        const at = malformedAt(value, '', 0);
        if (at !== null) {
          throw new ValidationError(
            `${where}${at}: text is not well-formed Unicode (a lone surrogate) or holds a NUL character`,
            `${labelOf(at.replace(/^\//, ''))[0]}: chứa ký tự không lưu được (ký tự Unicode hỏng hoặc ký tự rỗng NUL)`,
            { field: at },
          );
        }
      }
    });
  },
  { name: 'well-formed-text', fastify: '5.x' },
);
