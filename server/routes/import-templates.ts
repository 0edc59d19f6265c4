import type { FastifyPluginAsync } from 'fastify';
import { Type, type TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { importTemplateCsv } from '../services/csv-import/template.js';
import { HEALTH_IMPORT_COLUMNS, HEALTH_IMPORT_KINDS } from '../services/health/updates.js';
import { PASS_IMPORT_COLUMNS } from '../services/passes/import.js';

const PASS_EXAMPLE = {
  plate: '51C-123.45', goods: 'Hàng thiết yếu, lương thực, thực phẩm', driverId: '079123456789', driverName: 'Nguyễn Văn An',
  driverPhone: '0901234567', company: 'Công ty TNHH Vận tải Sài Gòn', originZone: '79-760', destinationZone: '80',
  routeCheckpoints: '1;2', validFrom: '30/11/2026 08:00', validTo: '07/12/2026 18:00', direction: 'Cả hai chiều', maxStayHours: '24',
};
const HEALTH_EXAMPLE = {
  citizenId: '079123456789', name: 'Nguyễn Văn An', phone: '0901234567', declaredAt: '30/11/2026 07:30', originZone: '79-760', doses: '2',
  testType: 'Xét nghiệm RT-PCR', result: 'Âm tính', sampledAt: '29/11/2026 09:00', status: 'F1', statusAsOf: '30/11/2026 06:00',
};

/** Import templates with Vietnamese headers and an example row: what the import screens offer to download. */
const routes: FastifyPluginAsync = async (base) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const csv = (name: string) => ({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });

  app.get('/api/v1/passes/import/template.csv', { config: { access: { roles: ['transport'], minScope: 'province' } }, schema: { tags: ['passes'] } }, async (_request, reply) =>
    reply.headers(csv('mau-nhap-giay-phep.csv')).send(importTemplateCsv(PASS_IMPORT_COLUMNS, PASS_EXAMPLE)));

  app.get('/api/v1/health/import/:kind/template.csv', {
    config: { access: { roles: ['health'], minScope: 'province' } },
    schema: { tags: ['health'], params: Type.Object({ kind: Type.Union(HEALTH_IMPORT_KINDS.map((k) => Type.Literal(k))) }) },
  }, async (request, reply) =>
    reply.headers(csv(`mau-nhap-${request.params.kind}.csv`)).send(importTemplateCsv(HEALTH_IMPORT_COLUMNS[request.params.kind], HEALTH_EXAMPLE)));
};
export default routes;
