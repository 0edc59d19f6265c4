import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';

/** OpenAPI from the routes' schemas; the UI at /docs (public: it documents, it holds no data). */
export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        info: { title: 'Checkpoint control — central server', version: '0.1.0' },
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: 'sid' },
            bearer: { type: 'http', scheme: 'bearer' },
            station: { type: 'apiKey', in: 'header', name: 'Authorization', description: 'Station <stationId>:<secret>' },
          },
        },
      },
    });
    await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  },
  { name: 'swagger', fastify: '5.x', dependencies: ['auth'] },
);
