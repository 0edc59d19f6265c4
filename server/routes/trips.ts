import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PASS_REF_PATTERN, parsePassRef } from '../../shared/codes/pass-ref.js';
import { Millis, Plate } from '../../shared/contracts/common.js';
import { requireUser } from '../auth/access.js';
import { ValidationError } from '../domain-errors.js';
import { readerProvinces } from '../services/audit/filters.js';

const TripQuery = Type.Object({
  passRef: Type.Optional(Type.String({ pattern: PASS_REF_PATTERN, maxLength: 16, description: 'the pass as "<issuing province>-<id>", e.g. 79-17' })),
  plate: Type.Optional(Plate),
  from: Type.Optional(Millis),
  to: Type.Optional(Millis),
}, { additionalProperties: false });

const Nullable = <T extends ReturnType<typeof Type.Integer> | ReturnType<typeof Type.String>>(t: T) => Type.Union([Type.Null(), t]);
const TripPoint = Type.Object({
  at: Type.Integer(),
  checkpointId: Nullable(Type.Integer()),
  stationId: Nullable(Type.String()),
  passRef: Nullable(Type.String()),
  plate: Nullable(Type.String()),
});
const TripView = Type.Object({
  passes: Type.Array(Type.String()),
  plates: Type.Array(Type.String()),
  provinces: Type.Array(Type.Integer()),
  legs: Type.Array(Type.Object({
    province: Type.Integer(),
    state: Type.Union(['left', 'inside', 'exit-not-recorded', 'entry-not-recorded'].map((s) => Type.Literal(s))),
    detailed: Type.Boolean(),
    entry: Type.Union([Type.Null(), TripPoint]),
    exit: Type.Union([Type.Null(), TripPoint]),
    overdue: Type.Boolean(),
    dueAt: Nullable(Type.Integer()),
  })),
  truncated: Type.Boolean(),
  from: Type.Integer(),
  to: Type.Integer(),
});

/** Trips across provinces for the command center; the read is access-logged in the service. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.get('/api/v1/trips', {
    config: { access: { roles: ['command'] as const } },
    schema: {
      tags: ['audit'],
      summary: 'A vehicle\'s journey across provinces, by pass ref or plate: entered A at X, left at Y, entered B at Z …',
      querystring: TripQuery,
      response: { 200: TripView },
    },
  }, async (request) => {
    const { passRef, plate, from, to } = request.query;
    if ((passRef === undefined) === (plate === undefined)) {
      throw new ValidationError('give exactly one of passRef, plate', 'Cần đúng một trong: mã giấy phép (ví dụ 79-17), biển số');
    }
    const pass = passRef === undefined ? null : parsePassRef(passRef);
    if (passRef !== undefined && !pass) throw new ValidationError(`passRef ${passRef} is not a pass`, `Mã giấy phép ${passRef} không hợp lệ`);
    const subject = pass ? { pass } : { plate: plate! };
    return app.trips.trip(request, subject, readerProvinces(requireUser(request)), { from, to });
  });
};
export default routes;
