import fc from 'fast-check';

/**
 * fast-check arbitraries from the JSON schemas the server publishes in its OpenAPI document, so the
 * fuzz reaches the services instead of stopping at validation: mostly valid values, with a hostile
 * leaf now and then (wrong type, text at and over its limit, odd Unicode, SQL and HTML).
 */
export interface JsonSchema {
  type?: string | string[];
  nullable?: boolean;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
}

/** Text that has broken servers before: SQL, markup, bidi and zero-width marks, NUL, astral emoji, lone surrogates. */
export const HOSTILE_TEXT = [
  "'; DROP TABLE passes;--",
  "' OR '1'='1",
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  '\u202eRTL\u202c \u200f\u200e',
  'zero\u200bwidth\u2060\ufeff',
  'a\u0301\u0302\u0303\u0304 combining',
  '🚚🧪👨‍👩‍👧 emoji',
  'nul\u0000byte',
  '\ud800 lone surrogate',
  '../../etc/passwd',
  '%00%27',
  '=HYPERLINK("http://x")',
  'Nguyễn Thị Ánh Tuyết',
];

const hostileLeaf = (s: JsonSchema): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(...HOSTILE_TEXT),
    fc.constantFrom(null, true, -1, 0, 1e308, -1e308, 2 ** 53 + 1, 1.5, [], {}, [null], { __proto__x: 1 }),
    // text at the limit and just over it
    fc.constant('Ậ'.repeat(s.maxLength ?? 300)),
    fc.constant('x'.repeat((s.maxLength ?? 300) + 1)),
    fc.string({ unit: 'binary', maxLength: 24 }),
  );

/**
 * `^[class]+$` with a length range becomes `^[class]{min,max}$`, so that the generator makes strings of
 * an acceptable length instead of the filter below throwing away nearly all of them (a 43-character
 * key matched by `^[A-Za-z0-9_-]+$` came up so rarely that the fuzz ran for many minutes).
 */
function withLength(pattern: string, minLength?: number, maxLength?: number): string {
  const m = /^\^(\[[^\]]+\])[+*]\$$/.exec(pattern);
  if (!m || (minLength === undefined && maxLength === undefined)) return pattern;
  return `^${m[1]}{${minLength ?? 0},${maxLength ?? ''}}$`;
}

function stringArb(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = Math.min(s.maxLength ?? 40, 60);
  if (s.pattern) {
    const re = new RegExp(withLength(s.pattern, s.minLength, s.maxLength));
    return fc.stringMatching(re).filter((v) => v.length >= min && v.length <= (s.maxLength ?? Infinity));
  }
  return fc.oneof(fc.string({ minLength: min, maxLength: Math.max(min, max) }), fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, max) }));
}

function typed(s: JsonSchema, type: string, depth: number): fc.Arbitrary<unknown> {
  switch (type) {
    case 'string':
      return stringArb(s);
    case 'integer':
      return fc.integer({ min: Math.max(s.minimum ?? -1000, -(2 ** 31)), max: Math.min(s.maximum ?? 1_000_000, 2 ** 31) });
    case 'number':
      return fc.double({ min: s.minimum ?? -1e6, max: s.maximum ?? 1e6, noNaN: true, noDefaultInfinity: true });
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = s.minItems ?? 0;
      return fc.array(schemaArbitrary(s.items ?? {}, depth + 1), { minLength, maxLength: Math.max(minLength, Math.min(s.maxItems ?? 3, 3)) });
    }
    case 'object': {
      if (!s.properties) return fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 });
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, v] of Object.entries(s.properties)) model[k] = schemaArbitrary(v, depth + 1);
      return fc.record(model, { requiredKeys: s.required ?? [] });
    }
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

/** A value for `s`; `hostility` is the weight of a hostile leaf against 10 for a valid one. */
export function schemaArbitrary(s: JsonSchema, depth = 0, hostility = 1): fc.Arbitrary<unknown> {
  let valid: fc.Arbitrary<unknown>;
  if (s.const !== undefined) valid = fc.constant(s.const);
  else if (s.enum) valid = fc.constantFrom(...s.enum);
  else if (s.anyOf || s.oneOf) valid = fc.oneof(...(s.anyOf ?? s.oneOf)!.map((x) => schemaArbitrary(x, depth + 1, hostility)));
  else if (s.allOf?.length) valid = schemaArbitrary(s.allOf[0]!, depth + 1, hostility);
  else if (Array.isArray(s.type)) valid = fc.oneof(...s.type.map((t) => typed(s, t, depth)));
  else if (s.type) valid = typed(s, s.type, depth);
  else valid = fc.jsonValue({ maxDepth: 2 });
  if (s.nullable) valid = fc.oneof({ weight: 4, arbitrary: valid }, { weight: 1, arbitrary: fc.constant(null) });
  if (depth > 4 || hostility === 0) return valid;
  return fc.oneof({ weight: 10, arbitrary: valid }, { weight: hostility, arbitrary: hostileLeaf(s) });
}
