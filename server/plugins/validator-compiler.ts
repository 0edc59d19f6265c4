import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifyServerOptions } from 'fastify';

const COMMON = { removeAdditional: false, useDefaults: true, allErrors: false } as const;
/** Canonical decimal integers only: no sign, point, exponent, spaces or leading zeros ("53", not "53.0" or "053"). */
const CANONICAL_INTEGER = /^(0|[1-9][0-9]*)$/;

type Validate = ((data: unknown) => boolean | PromiseLike<unknown>) & { errors?: unknown[] | null };
type RouteSchema = { schema: { properties?: Record<string, { type?: unknown }> }; httpPart?: string };
type BuildValidator = NonNullable<NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>['buildValidator']>;

/**
 * Two validators: JSON bodies are checked as sent (a number is a number: `"79"` is not 79), while
 * path parameters and query strings, which are text by nature, are coerced, but only from the one
 * canonical way of writing an integer, so `/passes/53.0` and `/passes/53%20` do not answer as pass 53.
 */
export function validatorCompilers(): BuildValidator {
  const pool = AjvCompiler();
  type PoolOptions = Parameters<typeof pool>[1];
  const build = (externalSchemas: Parameters<BuildValidator>[0], options: Parameters<BuildValidator>[1]) => {
    const compiler = (coerceTypes: false | 'array') =>
      pool(externalSchemas, { ...options, mode: undefined, customOptions: { ...COMMON, coerceTypes } } as PoolOptions) as unknown as (r: RouteSchema) => Validate;
    const strict = compiler(false);
    const coercing = compiler('array');
    return (route: RouteSchema) => (route.httpPart === 'body' ? strict(route) : canonicalIntegers(route.schema, coercing(route)));
  };
  // Fastify's declared type for a compiler factory does not match what it passes at run time ({ schema, httpPart, ... }).
  return build as unknown as BuildValidator;
}

function canonicalIntegers(schema: RouteSchema['schema'], validate: Validate): Validate {
  const integers = Object.entries(schema.properties ?? {}).filter(([, s]) => s.type === 'integer').map(([k]) => k);
  if (integers.length === 0) return validate;
  const wrapped: Validate = (data: unknown) => {
    for (const key of integers) {
      const v = (data as Record<string, unknown> | null | undefined)?.[key];
      if (typeof v === 'string' && !CANONICAL_INTEGER.test(v)) {
        wrapped.errors = [{ instancePath: `/${key}`, schemaPath: `#/properties/${key}/type`, keyword: 'type', params: { type: 'integer' }, message: 'must be an integer written in plain digits' }];
        return false;
      }
    }
    const ok = validate(data);
    wrapped.errors = validate.errors ?? null;
    return ok;
  };
  return wrapped;
}
