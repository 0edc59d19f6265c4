import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CheckpointId, Direction, LaneId } from '../../shared/contracts/common.js';
import { ReasonCodeSchema } from '../../shared/contracts/journal.js';
import { VerdictSchema } from '../../shared/contracts/common.js';
import { requireStation } from '../auth/access.js';
import onlineCheckService from '../services/online-check/service.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);

/**
 * `POST /api/v1/online/check`: one HTTP call per scan, decided at the centre (the 2021 way). Kept
 * for the benchmark that compares it with the station's offline decision; stations do not use it.
 * Registers its own service so that app.ts needs one line.
 */
const routes: FastifyPluginAsync = async (base) => {
  await base.register(onlineCheckService);
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  app.post('/api/v1/online/check', {
    config: { access: 'station' },
    schema: {
      tags: ['station API'],
      body: Type.Object({
        code: Type.String({ minLength: 1, maxLength: 4096 }),
        checkpointId: CheckpointId,
        lane: LaneId,
        direction: Direction,
      }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          verdict: VerdictSchema,
          reasons: Type.Array(ReasonCodeSchema),
          subject: Type.Object({
            plate: Nullable(Type.String()), passId: Nullable(Type.Integer()), passVersion: Nullable(Type.Integer()),
            citizenId: Nullable(Type.String()), names: Type.Array(Type.String()),
          }),
          crossingId: Nullable(Type.String()),
          policyVersion: Type.Integer(),
          decidedAt: Type.Integer(),
        }),
      },
    },
  }, async (request) => app.onlineCheck.check(requireStation(request), request.body));
};
export default routes;
