import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { StationId } from '../../shared/contracts/common.js';
import { requireUser } from '../auth/access.js';
import { IdParams, PageQuery } from './schemas.js';

const Kind = Type.Union([Type.Literal('CHAIN_BREAK'), Type.Literal('SEQ_CONFLICT'), Type.Literal('CLONE'), Type.Literal('INVALID_RECORD')]);

/** Alerts for the command center: chain breaks, seq conflicts, cloned passes. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const watchers = { roles: ['admin', 'command'] as const };

  app.get('/api/v1/alerts', {
    config: { access: watchers },
    schema: {
      tags: ['audit'],
      querystring: Type.Object({ kind: Type.Optional(Kind), stationId: Type.Optional(StationId), open: Type.Optional(Type.Boolean()), ...PageQuery }, { additionalProperties: false }),
    },
  }, async (request) => {
    const alerts = await app.alerts.list(requireUser(request), request.query);
    // clone alerts name a pass: that is personal data read by a person, logged per pass
    const passIds = alerts.flatMap((a) => (a.passId === null ? [] : [a.passId]));
    if (passIds.length > 0) await app.accessLog.recordMany(request, { action: 'alerts.list', subjectType: 'pass' }, passIds);
    return alerts;
  });

  app.post('/api/v1/alerts/:id/acknowledge', { config: { access: watchers }, schema: { tags: ['audit'], params: IdParams } }, async (request) =>
    app.alerts.acknowledge(requireUser(request), request.params.id));
};
export default routes;
