import fp from 'fastify-plugin';
import type { Heartbeat, HeartbeatAck } from '../../../shared/contracts/heartbeat.js';
import { assertProvince, type AuthStation, type AuthUser } from '../../auth/access.js';
import { newSecretToken, tokenHash } from '../../auth/tokens.js';
import type { StationLane } from '../../db/schema/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../domain-errors.js';
import type { ServerMetrics } from '../../plugins/metrics.js';
import { stationStatus, type FleetThresholds, type StationStatus } from './fleet-status.js';
import { drizzleStationRepository, type StationRecord, type StationRepository } from './repository.js';

export interface NewStation {
  stationId: string;
  checkpointId: number;
  name: string;
  province: number;
  lanes: StationLane[];
}

export type PublicStation = Omit<StationRecord, 'heartbeat'>;

/** Checkpoint stations: registration (credential shown once), heartbeats, and the fleet's health. */
export class StationsService {
  constructor(
    private readonly repo: StationRepository,
    private readonly clock: () => number,
    private readonly thresholds: FleetThresholds,
    private readonly metrics: ServerMetrics | null = null,
  ) {}

  /** The secret is in the answer once; only its SHA-256 is stored. Credential: `Station <stationId>:<secret>`. */
  register(actor: AuthUser, input: NewStation): { station: PublicStation; secret: string } {
    assertProvince(actor, input.province);
    const laneIds = input.lanes.map((l) => l.id);
    if (new Set(laneIds).size !== laneIds.length) throw new ValidationError('lane ids must be unique', 'Mã làn không được trùng nhau');
    if (this.repo.find(input.stationId)) throw new ConflictError(`station ${input.stationId} exists`, `Trạm ${input.stationId} đã tồn tại`);
    const secret = newSecretToken();
    this.repo.insert({ ...input, secretHash: tokenHash(secret), disabled: false, createdAt: this.clock() });
    return { station: this.publicOf(this.own(actor, input.stationId)), secret };
  }

  rotateSecret(actor: AuthUser, stationId: string): { station: PublicStation; secret: string } {
    const s = this.own(actor, stationId);
    const secret = newSecretToken();
    this.repo.setSecretHash(stationId, tokenHash(secret));
    return { station: this.publicOf(s), secret };
  }

  setDisabled(actor: AuthUser, stationId: string, disabled: boolean): PublicStation {
    this.own(actor, stationId);
    this.repo.setDisabled(stationId, disabled);
    return this.publicOf(this.own(actor, stationId));
  }

  /** Store the station's status; the skew is server time minus station clock (positive: the station is behind). */
  heartbeat(station: AuthStation, hb: Heartbeat): HeartbeatAck {
    if (hb.stationId !== station.stationId) {
      throw new ForbiddenError(`station ${station.stationId} cannot report as ${hb.stationId}`, `Trạm ${station.stationId} không được báo cáo thay trạm ${hb.stationId}`);
    }
    const serverTime = this.clock();
    const clockSkewMs = serverTime - hb.clock;
    this.repo.saveHeartbeat(station.stationId, serverTime, hb as unknown as Record<string, unknown>, clockSkewMs);
    this.metrics?.heartbeats.inc();
    return { serverTime, clockSkewMs };
  }

  fleet(actor: AuthUser): StationStatus[] {
    const now = this.clock();
    const counts = new Map<string, Record<string, number>>();
    for (const { stationId, kind, n } of this.repo.openAlertCounts(actor.province)) {
      counts.set(stationId, { ...(counts.get(stationId) ?? {}), [kind]: n });
    }
    return this.repo.listByProvince(actor.province).map((s) => stationStatus(s, counts.get(s.stationId) ?? {}, now, this.thresholds));
  }

  get(actor: AuthUser, stationId: string): StationStatus {
    const found = this.fleet(actor).find((s) => s.stationId === stationId);
    if (!found) throw new NotFoundError(`station ${stationId} not found`, `Không tìm thấy trạm ${stationId}`);
    return found;
  }

  private own(actor: AuthUser, stationId: string): StationRecord {
    const s = this.repo.find(stationId);
    if (!s || s.province !== actor.province) throw new NotFoundError(`station ${stationId} not found`, `Không tìm thấy trạm ${stationId}`);
    return s;
  }

  private publicOf({ heartbeat: _hb, ...s }: StationRecord): PublicStation {
    return s;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly stations: StationsService;
  }
}

export default fp(
  async (app) => {
    app.decorate('stations', new StationsService(drizzleStationRepository(app.database.db), app.clock, {
      heartbeatStaleMs: app.config.heartbeatStaleSeconds * 1000,
      clockSkewWarnMs: app.config.clockSkewWarnSeconds * 1000,
    }, app.metrics));
  },
  { name: 'stations', fastify: '5.x', dependencies: ['database', 'metrics'] },
);
