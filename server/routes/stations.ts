import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CheckpointId, Direction, LaneId, Province, StationId } from '../../shared/contracts/common.js';
import { HeartbeatAckSchema, HeartbeatSchema } from '../../shared/contracts/heartbeat.js';
import { requireStation, requireUser } from '../auth/access.js';
import { CommuneCode, DistrictCode } from './schemas.js';

const LaneSchema = Type.Object({ id: LaneId, direction: Direction }, { additionalProperties: false });
const PublicStationSchema = Type.Object({
  stationId: Type.String(), checkpointId: Type.Integer(), name: Type.String(), province: Type.Integer(),
  district: Type.Union([Type.Null(), Type.String()]), commune: Type.Union([Type.Null(), Type.String()]),
  latitude: Type.Union([Type.Null(), Type.Number()]), longitude: Type.Union([Type.Null(), Type.Number()]),
  lanes: Type.Array(LaneSchema), disabled: Type.Boolean(), createdAt: Type.Integer(), ackedSeq: Type.Integer(),
  lastHeartbeatAt: Type.Union([Type.Integer(), Type.Null()]), clockSkewMs: Type.Union([Type.Integer(), Type.Null()]),
});
const Credential = Type.Object({
  station: PublicStationSchema,
  secret: Type.String({ description: 'shown once; send as `Authorization: Station <stationId>:<secret>`' }),
});
const StationParams = Type.Object({ stationId: StationId }, { additionalProperties: false });

/** Station registration (admin), the fleet view (command, admin), and the stations' own calls. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const admin = { roles: ['admin'] as const };
  const watchers = { roles: ['admin', 'command'] as const };

  app.post('/api/v1/stations', {
    config: { access: admin },
    schema: {
      tags: ['stations'],
      body: Type.Object({
        stationId: StationId, checkpointId: CheckpointId, name: Type.String({ minLength: 1, maxLength: 120 }), province: Province,
        district: Type.Optional(DistrictCode), commune: Type.Optional(CommuneCode),
        latitude: Type.Optional(Type.Number({ minimum: -90, maximum: 90 })), longitude: Type.Optional(Type.Number({ minimum: -180, maximum: 180 })),
        lanes: Type.Array(LaneSchema, { minItems: 1, maxItems: 16 }),
      }, { additionalProperties: false }),
      response: { 201: Credential },
    },
  }, async (request, reply) => reply.status(201).send(await app.stations.register(requireUser(request), request.body)));

  app.post('/api/v1/stations/:stationId/secret', {
    config: { access: admin },
    schema: { tags: ['stations'], params: StationParams, response: { 200: Credential } },
  }, async (request) => app.stations.rotateSecret(requireUser(request), request.params.stationId));

  app.patch('/api/v1/stations/:stationId', {
    config: { access: admin },
    schema: { tags: ['stations'], params: StationParams, body: Type.Object({ disabled: Type.Boolean() }, { additionalProperties: false }), response: { 200: PublicStationSchema } },
  }, async (request) => app.stations.setDisabled(requireUser(request), request.params.stationId, request.body.disabled));

  app.get('/api/v1/stations', { config: { access: watchers }, schema: { tags: ['stations'] } }, async (request) =>
    app.stations.fleet(requireUser(request)));

  app.get('/api/v1/stations/:stationId', { config: { access: watchers }, schema: { tags: ['stations'], params: StationParams } }, async (request) =>
    app.stations.get(requireUser(request), request.params.stationId));

  app.post('/api/v1/stations/heartbeat', {
    config: { access: 'station' },
    schema: { tags: ['station API'], body: HeartbeatSchema, response: { 200: HeartbeatAckSchema } },
  }, async (request) => app.stations.heartbeat(requireStation(request), request.body));
};
export default routes;
