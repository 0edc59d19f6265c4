import type { FastifyInstance } from 'fastify';
import { Type } from '@sinclair/typebox';
import { ROLES } from '../auth/access.js';
import { COMMUNE_PATTERN, DISTRICT_PATTERN, SCOPE_LEVELS } from '../auth/scope.js';

/** Schemas shared by several route files. */
export const RoleSchema = Type.Union(ROLES.map((r) => Type.Literal(r)));
export const ScopeLevelSchema = Type.Union(SCOPE_LEVELS.map((l) => Type.Literal(l)));
/** Official codes: a district has three digits ("760"), a commune five ("26734"). */
export const DistrictCode = Type.String({ minLength: 3, maxLength: 3, pattern: DISTRICT_PATTERN });
export const CommuneCode = Type.String({ minLength: 5, maxLength: 5, pattern: COMMUNE_PATTERN });
export const Username = Type.String({ minLength: 3, maxLength: 64, pattern: '^[A-Za-z0-9_.@-]+$' });
/**
 * An import's body: CSV text or a JSON array of rows. One schema per content type: a union of string and
 * array lets ajv's coerceTypes "array" unwrap a one-row JSON import into a string, or wrap a CSV text into an array.
 */
export const ImportBody = {
  content: {
    'text/csv': { schema: Type.String({ minLength: 1 }) },
    'application/json': { schema: Type.Array(Type.Unknown()) },
  },
};
export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 40 }) }, { additionalProperties: false });

export const PublicUserSchema = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  province: Type.Integer(),
  scopeLevel: ScopeLevelSchema,
  district: Type.Union([Type.Null(), Type.String()]),
  commune: Type.Union([Type.Null(), Type.String()]),
  disabled: Type.Boolean(),
  createdAt: Type.Integer(),
});

export const ErrorSchema = Type.Object(
  { statusCode: Type.Integer(), code: Type.String(), message: Type.String(), messageVi: Type.String() },
  { additionalProperties: true },
);

/** Paging for list routes: bounded so no request can ask for the whole table at once. */
export const PageQuery = {
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 }),
  offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
};

/** Let this route file's plugin take CSV bodies as text (an import's `ImportBody`); other plugins keep refusing them. */
export function acceptCsvText(app: FastifyInstance): void {
  app.addContentTypeParser('text/csv', { parseAs: 'string' }, (_request, body, done) => done(null, body));
}
