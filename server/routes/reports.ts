import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { requireUser, scopeOf, type AuthUser } from '../auth/access.js';
import { assertProvinceWide } from '../auth/scope.js';
import { dailyReportCsv } from '../services/reports/daily-csv.js';

const DayQuery = Type.Object({
  day: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'Vietnam calendar day; default today' })),
  province: Type.Optional(Type.Integer({ minimum: 1, maximum: 99, description: 'national readers: the province reported on (default: their own)' })),
}, { additionalProperties: false });

/** A province's report, for a reader whose area covers the whole province (the nation, or that province). */
function reportProvince(user: AuthUser, asked: number | undefined): number {
  const province = asked ?? user.province;
  assertProvinceWide(scopeOf(user), province);
  return province;
}

/** The daily report per checkpoint, on demand (JSON for the printable page, CSV). Counts only: no personal data. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const readers = { roles: ['command', 'admin'] as const, minScope: 'province' as const };
  app.get('/api/v1/reports/daily', { config: { access: readers }, schema: { tags: ['audit'], querystring: DayQuery } }, async (request) =>
    app.reports.daily(reportProvince(requireUser(request), request.query.province), request.query.day));
  app.get('/api/v1/reports/daily.csv', { config: { access: readers }, schema: { tags: ['audit'], querystring: DayQuery } }, async (request, reply) => {
    const r = await app.reports.daily(reportProvince(requireUser(request), request.query.province), request.query.day);
    return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="bao-cao-${r.day}.csv"`).send(dailyReportCsv(r));
  });
};
export default routes;
