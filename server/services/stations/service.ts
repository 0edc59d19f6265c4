import fp from 'fastify-plugin';
import type { Heartbeat, HeartbeatAck } from '../../../shared/contracts/heartbeat.js';
import { scopeOf, type AuthStation, type AuthUser } from '../../auth/access.js';
import { assertPlaceInScope, notFoundOutside, scopeFilter } from '../../auth/scope.js';
import type { Deployment } from '../../config.js';
import { districtKnown } from '../../../shared/geo/districts.js';
import { newSecretToken, tokenHash } from '../../auth/tokens.js';
import type { StationLane } from '../../db/schema/index.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../domain-errors.js';
import type { ServerMetrics } from '../../plugins/metrics.js';
import { stationStatus, type FleetThresholds, type StationStatus } from './fleet-status.js';
import { GroupCommit } from '../../db/group-commit.js';
import type { SqlClient } from '../../db/sql-client.js';
import { sqlStationRepository, type StationRecord, type StationRepository } from './repository.js';

export interface NewStation {
  stationId: string;
  checkpointId: number;
  name: string;
  province: number;
  /** the checkpoint's district and commune (official codes): what an area's users see */
  district?: string | undefined;
  commune?: string | undefined;
  /** where the checkpoint is, for the command center's schematic */
  latitude?: number | undefined;
  longitude?: number | undefined;
  lanes: StationLane[];
}

export type PublicStation = Omit<StationRecord, 'heartbeat'>;

/** Checkpoint stations: registration (credential shown once), heartbeats, and the fleet's health. */
export class StationsService {
  /**
   * Heartbeats from many stations, each two small writes: those that arrive together commit together
   * (one fsync, not one each), and on PostgreSQL in two statements for the whole group.
   */
  private readonly heartbeats: GroupCommit<{ stationId: string; at: number; hb: Heartbeat; clockSkewMs: number }, void>;

  constructor(
    client: SqlClient,
    private readonly repo: StationRepository,
    private readonly clock: () => number,
    private readonly thresholds: FleetThresholds,
    private readonly metrics: ServerMetrics | null = null,
    private readonly deployment: Deployment = { mode: 'province', only: null },
  ) {
    this.heartbeats = new GroupCommit(client, async (beats) => {
      // one row per station: a station's later heartbeat in the same group is the one kept
      const last = new Map(beats.map((h) => [h.stationId, { stationId: h.stationId, at: h.at, heartbeat: h.hb as unknown as Record<string, unknown>, clockSkewMs: h.clockSkewMs }]));
      await this.repo.saveHeartbeats([...last.values()]);
      return beats.map((): void => undefined);
    });
  }

  /** The secret is in the answer once; only its SHA-256 is stored. Credential: `Station <stationId>:<secret>`. */
  async register(actor: AuthUser, input: NewStation): Promise<{ station: PublicStation; secret: string }> {
    const place = { province: input.province, district: input.district ?? null, commune: input.commune ?? null };
    assertPlaceInScope(scopeOf(actor), place);
    if (this.deployment.mode === 'province' && this.deployment.only !== null && input.province !== this.deployment.only) {
      throw new ValidationError(`province: this server serves province ${this.deployment.only} only`, `Máy chủ này chỉ phục vụ tỉnh ${this.deployment.only}`, { field: 'province' });
    }
    if (place.commune !== null && place.district === null) {
      throw new ValidationError('district: required with a commune', 'Cần chọn quận/huyện khi có xã/phường', { field: 'district' });
    }
    if (place.district !== null && !districtKnown(input.province, place.district)) {
      throw new ValidationError(`district: ${place.district} is not a district of province ${input.province}`,
        `Quận/huyện ${place.district} không thuộc tỉnh ${input.province}`, { field: 'district' });
    }
    const laneIds = input.lanes.map((l) => l.id);
    if (new Set(laneIds).size !== laneIds.length) throw new ValidationError('lane ids must be unique', 'Mã làn không được trùng nhau');
    if (await this.repo.find(input.stationId)) throw new ConflictError(`station ${input.stationId} exists`, `Trạm ${input.stationId} đã tồn tại`);
    const secret = newSecretToken();
    if ((input.latitude === undefined) !== (input.longitude === undefined)) {
      throw new ValidationError('latitude and longitude go together', 'Cần nhập cả vĩ độ và kinh độ', { field: input.latitude === undefined ? 'latitude' : 'longitude' });
    }
    await this.repo.insert({ ...input, ...place, latitude: input.latitude ?? null, longitude: input.longitude ?? null, secretHash: tokenHash(secret), disabled: false, createdAt: this.clock() });
    return { station: this.publicOf(await this.own(actor, input.stationId)), secret };
  }

  async rotateSecret(actor: AuthUser, stationId: string): Promise<{ station: PublicStation; secret: string }> {
    const s = await this.own(actor, stationId);
    const secret = newSecretToken();
    await this.repo.setSecretHash(stationId, tokenHash(secret));
    return { station: this.publicOf(s), secret };
  }

  async setDisabled(actor: AuthUser, stationId: string, disabled: boolean): Promise<PublicStation> {
    await this.own(actor, stationId);
    await this.repo.setDisabled(stationId, disabled);
    return this.publicOf(await this.own(actor, stationId));
  }

  /** Store the station's status; the skew is server time minus station clock (positive: the station is behind). */
  async heartbeat(station: AuthStation, hb: Heartbeat): Promise<HeartbeatAck> {
    if (hb.stationId !== station.stationId) {
      throw new ForbiddenError(`station ${station.stationId} cannot report as ${hb.stationId}`, `Trạm ${station.stationId} không được báo cáo thay trạm ${hb.stationId}`);
    }
    const serverTime = this.clock();
    const clockSkewMs = serverTime - hb.clock;
    await this.heartbeats.run({ stationId: station.stationId, at: serverTime, hb, clockSkewMs });
    this.metrics?.heartbeats.inc();
    return { serverTime, clockSkewMs };
  }

  async fleet(actor: AuthUser): Promise<StationStatus[]> {
    const now = this.clock();
    const counts = new Map<string, Record<string, number>>();
    const f = scopeFilter(scopeOf(actor));
    for (const { stationId, kind, n } of await this.repo.openAlertCounts(f)) {
      counts.set(stationId, { ...(counts.get(stationId) ?? {}), [kind]: n });
    }
    return (await this.repo.listInScope(f)).map((s) => stationStatus(s, counts.get(s.stationId) ?? {}, now, this.thresholds));
  }

  async get(actor: AuthUser, stationId: string): Promise<StationStatus> {
    const found = (await this.fleet(actor)).find((s) => s.stationId === stationId);
    if (!found) throw new NotFoundError(`station ${stationId} not found`, `Không tìm thấy trạm ${stationId}`);
    return found;
  }

  private async own(actor: AuthUser, stationId: string): Promise<StationRecord> {
    return notFoundOutside(scopeOf(actor), await this.repo.find(stationId), `station ${stationId}`, `trạm ${stationId}`);
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
    app.decorate('stations', new StationsService(app.database.client, sqlStationRepository(app.database.client), app.clock, {
      heartbeatStaleMs: app.config.heartbeatStaleSeconds * 1000,
      clockSkewWarnMs: app.config.clockSkewWarnSeconds * 1000,
    }, app.metrics, app.config.deployment));
  },
  { name: 'stations', fastify: '5.x', dependencies: ['database', 'metrics'] },
);
