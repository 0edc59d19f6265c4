import type { FastifyInstance } from 'fastify';
import type { AuthUser, Role } from '../server/auth/access.js';
import type { PersonSample, VehicleSample, WalkInSample } from '../hardware-sim/fixtures/population.js';
import { makePopulation } from '../hardware-sim/fixtures/population.js';

/**
 * Seeds a demo province through the server's own services (the same rules as the API): a user per
 * role, two checkpoints, zone levels, ~50 passes and ~200 people covering every case, and the
 * station of checkpoint A with an entry and an exit lane.
 */
export const DEMO_PROVINCE = 79;
export const NEIGHBOUR = 80;
export const CHECKPOINT_A = 7901;
export const CHECKPOINT_B = 7902;

export interface DemoLogin {
  role: Role;
  username: string;
  password: string;
}

export interface SeededVehicle {
  sample: VehicleSample;
  passId: number;
  issuingProvince: number;
  passCode: string;
  crewCodes: string[];
  strangerCode: string | null;
}

export interface SeededWalkIn {
  sample: WalkInSample;
  code: string;
}

export interface DemoSeed {
  logins: DemoLogin[];
  station: { stationId: string; secret: string; checkpointId: number };
  vehicles: SeededVehicle[];
  walkIns: SeededWalkIn[];
  /** a vehicle issued by the neighbouring province (80 Long An) whose route enters 79 */
  neighbour: TripVehicle | null;
  /** a vehicle issued by 79 whose route goes on into Long An (80) */
  intoNeighbour: TripVehicle | null;
  /** the neighbouring province's checkpoint station (8001), run by the demo as its own process */
  neighbourStation: { stationId: string; secret: string; checkpointId: number; province: number } | null;
  rootPublicKey: string;
}

export interface TripVehicle {
  passId: number;
  issuingProvince: number;
  plate: string;
  passCode: string;
  crewCodes: string[];
}

const ROLES: Role[] = ['admin', 'transport', 'health', 'command', 'officer'];

export async function seedDemo(app: FastifyInstance, opts: { now: number; vehicles?: number; walkIns?: number }): Promise<DemoSeed> {
  const logins: DemoLogin[] = ROLES.map((role) => ({ role, username: `${role}.demo`, password: `${role}-demo-2021` }));
  const users = new Map<Role, AuthUser>();
  for (const l of logins) {
    const u = await app.users.create(null, { username: l.username, password: l.password, role: l.role, province: DEMO_PROVINCE, displayName: `Demo ${l.role}` });
    users.set(l.role, { id: u.id, username: u.username, role: u.role, province: u.province });
  }
  const admin = users.get('admin')!;
  // The province's transport key, made the one way a key is made (the key-management act, logged).
  if (!app.trust.hasTransportKey(DEMO_PROVINCE)) {
    await app.trust.createKey('transport', DEMO_PROVINCE, { system: 'demo seed' }, { method: 'CLI', url: `keys create --role transport --province ${DEMO_PROVINCE}` });
  }
  const transport = users.get('transport')!;
  const health = users.get('health')!;

  const registered = await app.stations.register(admin, {
    stationId: 'chot-7901-suoi-tien',
    checkpointId: CHECKPOINT_A,
    name: 'Chốt Suối Tiên (QL1A)',
    province: DEMO_PROVINCE,
    latitude: 10.8707, longitude: 106.8031,
    lanes: [{ id: 'L1-vao', direction: 'entry' }, { id: 'L2-ra', direction: 'exit' }],
  } as Parameters<typeof app.stations.register>[1]);
  await app.stations.register(admin, {
    stationId: 'chot-7902-dau-giay',
    checkpointId: CHECKPOINT_B,
    name: 'Chốt Dầu Giây (QL20)',
    province: DEMO_PROVINCE,
    latitude: 10.9425, longitude: 107.1403,
    lanes: [{ id: 'L1-vao', direction: 'entry' }],
  } as Parameters<typeof app.stations.register>[1]);

  const pop = makePopulation({ now: opts.now, checkpointA: CHECKPOINT_A, checkpointB: CHECKPOINT_B, vehicles: opts.vehicles ?? 50, walkIns: opts.walkIns ?? 100 });
  for (const z of pop.zones) await app.zones.set(health, z.zone, z.level);

  const people: PersonSample[] = [
    ...pop.vehicles.flatMap((v) => [...v.crew, ...(v.stranger ? [v.stranger] : [])]),
    ...pop.walkIns.map((w) => w.person),
  ];
  await app.healthData.apply(health, people.flatMap((p) => [
    ...(p.declaredAt === null ? [] : [{ kind: 'declaration' as const, citizenId: p.citizenId, name: p.name, phone: p.phone, declaredAt: p.declaredAt, originZone: p.originZone ?? '79', doses: p.doses }]),
    ...(p.test === null ? [] : [{ kind: 'test' as const, citizenId: p.citizenId, name: p.name, phone: p.phone, test: p.test }]),
    { kind: 'flag' as const, citizenId: p.citizenId, name: p.name, phone: p.phone, status: p.status, statusAsOf: p.statusAsOf },
  ]));
  const healthCode = async (p: PersonSample) => (await app.healthData.healthCode(p.citizenId)).code;

  const vehicles: SeededVehicle[] = [];
  for (const v of pop.vehicles) {
    const view = await app.passes.create(transport, {
      plate: v.plate,
      company: v.company,
      goods: v.goods,
      crew: v.crew.map((c) => ({ citizenId: c.citizenId, name: c.name, phone: c.phone })),
      originZone: v.originZone,
      destinationZone: v.destinationZone,
      routeCheckpoints: v.routeCheckpoints,
      routeProvinces: [],
      validFrom: v.validFrom,
      validTo: v.validTo,
      permittedStops: 'Kho hàng Bình Dương; Chợ đầu mối Thủ Đức',
    });
    if (v.after?.action === 'revoke') await app.passes.revoke(transport, view.passId, v.after.reason);
    if (v.after?.action === 'suspend') await app.passes.suspend(transport, view.passId, v.after.reason);
    if (v.after?.action === 'extend') await app.passes.extend(transport, view.passId, null, 'Gia hạn đến khi có thông báo mới');
    const crewCodes: string[] = [];
    for (const c of v.crew) crewCodes.push(await healthCode(c));
    vehicles.push({
      sample: v,
      passId: view.passId,
      issuingProvince: view.issuingProvince,
      passCode: view.code,
      crewCodes,
      strangerCode: v.stranger ? await healthCode(v.stranger) : null,
    });
  }
  const walkIns: SeededWalkIn[] = [];
  for (const w of pop.walkIns) walkIns.push({ sample: w, code: await healthCode(w.person) });
  const longAn = await seedNeighbour(app, vehicles.find((v) => v.sample.case === 'healthy') ?? null, transport);

  return {
    logins,
    station: { stationId: registered.station.stationId, secret: registered.secret, checkpointId: CHECKPOINT_A },
    vehicles,
    walkIns,
    neighbour: longAn?.neighbour ?? null,
    intoNeighbour: longAn?.intoNeighbour ?? null,
    neighbourStation: longAn?.station ?? null,
    rootPublicKey: app.trust.rootPublic().publicKey,
  };
}

/**
 * The neighbouring province on the same corridor (QL1A): Long An (80), with its own transport
 * department, transport key and checkpoint 8001 (Bến Lức), and one vehicle it issued for a trip into
 * Hồ Chí Minh, driven by the crew of a healthy 79 vehicle (their health data is seeded).
 */
async function seedNeighbour(app: FastifyInstance, crewOf: SeededVehicle | null, transport79: AuthUser):
  Promise<{ neighbour: TripVehicle; intoNeighbour: TripVehicle; station: NonNullable<DemoSeed['neighbourStation']> } | null> {
  if (!crewOf) return null;
  const admin = await app.users.create(null, { username: 'admin.longan', password: 'admin-longan-2021', role: 'admin', province: NEIGHBOUR });
  const transport = await app.users.create(null, { username: 'transport.longan', password: 'transport-longan-2021', role: 'transport', province: NEIGHBOUR });
  if (!app.trust.hasTransportKey(NEIGHBOUR)) {
    await app.trust.createKey('transport', NEIGHBOUR, { system: 'demo seed' }, { method: 'CLI', url: `keys create --role transport --province ${NEIGHBOUR}` });
  }
  const registered = await app.stations.register({ id: admin.id, username: admin.username, role: admin.role, province: admin.province }, {
    stationId: 'chot-8001-ben-luc', checkpointId: 8001, name: 'Chốt Bến Lức (QL1A)', province: NEIGHBOUR,
    lanes: [{ id: 'L1-vao', direction: 'entry' }, { id: 'L2-ra', direction: 'exit' }],
  } as Parameters<typeof app.stations.register>[1]);
  const v = crewOf.sample;
  const view = await app.passes.create({ username: transport.username, role: transport.role, province: transport.province }, {
    plate: '62C-080.79', company: 'Công ty Vận tải Long An', goods: 3,
    crew: v.crew.map((c) => ({ citizenId: c.citizenId, name: c.name, phone: c.phone })),
    originZone: '80', destinationZone: '79', routeCheckpoints: [8001], routeProvinces: [DEMO_PROVINCE],
    validFrom: v.validFrom, validTo: v.validTo, permittedStops: 'Chợ đầu mối Bình Điền',
  });
  // and the other way: a Hồ Chí Minh vehicle whose route leaves 79 at checkpoint A for Long An
  const out = await app.passes.create({ username: transport79.username, role: transport79.role, province: transport79.province }, {
    plate: '51C-790.80', company: 'Công ty Vận tải Sài Gòn', goods: 3,
    crew: v.crew.map((c) => ({ citizenId: c.citizenId, name: c.name, phone: c.phone })),
    originZone: '79', destinationZone: '80', routeCheckpoints: [CHECKPOINT_A, 8001], routeProvinces: [NEIGHBOUR],
    validFrom: v.validFrom, validTo: v.validTo, permittedStops: 'Khu công nghiệp Tân Đức',
  });
  return {
    neighbour: { passId: view.passId, issuingProvince: NEIGHBOUR, plate: view.plate, passCode: view.code, crewCodes: crewOf.crewCodes },
    intoNeighbour: { passId: out.passId, issuingProvince: DEMO_PROVINCE, plate: out.plate, passCode: out.code, crewCodes: crewOf.crewCodes },
    station: { stationId: registered.station.stationId, secret: registered.secret, checkpointId: 8001, province: NEIGHBOUR },
  };
}
