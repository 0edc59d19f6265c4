import type { FastifyInstance } from 'fastify';
import { registerStation, userWithRole, type TestCaller, type TestStation } from './helpers.js';

export interface ProvincePair {
  admin79: TestCaller;
  admin80: TestCaller;
  cmd79: TestCaller;
  cmd80: TestCaller;
  /** checkpoint 7901 of Ho Chi Minh City */
  hcm: TestStation;
  /** checkpoint 8001 of Long An */
  la: TestStation;
}

/** Two neighbouring provinces on one server (79 Hồ Chí Minh, 80 Long An): an admin, a command user and a station each. */
export async function provincePair(app: FastifyInstance): Promise<ProvincePair> {
  const admin79 = await userWithRole(app, 'admin', 79);
  const admin80 = await userWithRole(app, 'admin', 80);
  return {
    admin79,
    admin80,
    cmd79: await userWithRole(app, 'command', 79),
    cmd80: await userWithRole(app, 'command', 80),
    hcm: await registerStation(app, admin79, { stationId: 'chot-7901', checkpointId: 7901 }),
    la: await registerStation(app, admin80, { stationId: 'chot-8001', checkpointId: 8001 }),
  };
}
