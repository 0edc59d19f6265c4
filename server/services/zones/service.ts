import { Type } from '@sinclair/typebox';
import { Zone } from '../../../shared/contracts/common.js';
import { NotFoundError } from '../../domain-errors.js';
import { scopeOf, type AuthUser } from '../../auth/access.js';
import { assertPlaceInScope, provinceWide, type Place } from '../../auth/scope.js';
import type { Deployment } from '../../config.js';
import type { SqlClient } from '../../db/sql-client.js';
import type { ChangeLog } from '../feed/change-log.js';
import { checkShape } from '../csv-import/shape.js';

export interface ZoneLevel {
  zone: string;
  level: number;
  updatedAt: number;
  updatedBy: string;
}

export interface ZoneRepository {
  list(): Promise<ZoneLevel[]>;
  get(zone: string): Promise<ZoneLevel | null>;
  /** Upsert and append to the feed in one transaction. */
  set(z: ZoneLevel): Promise<void>;
  /** Remove and append a delete item; false when the zone had no level. */
  remove(zone: string, at: number): Promise<boolean>;
}

const COLUMNS = 'zone, level, updated_at AS "updatedAt", updated_by AS "updatedBy"';

export class SqlZoneRepository implements ZoneRepository {
  constructor(private readonly client: SqlClient, private readonly changes: ChangeLog) {}

  list(): Promise<ZoneLevel[]> {
    return this.client.all<ZoneLevel>(`SELECT ${COLUMNS} FROM zones ORDER BY zone`);
  }

  async get(zone: string): Promise<ZoneLevel | null> {
    return (await this.client.get<ZoneLevel>(`SELECT ${COLUMNS} FROM zones WHERE zone = ?`, [zone])) ?? null;
  }

  set(z: ZoneLevel): Promise<void> {
    return this.client.transaction(async () => {
      const item = JSON.stringify({ type: 'zone', zone: z.zone, level: z.level });
      const seq = await this.changes.append('zone', z.zone, item, z.updatedAt);
      await this.client.run(
        `INSERT INTO zones (zone, level, updated_at, updated_by, item, change_seq) VALUES (@zone, @level, @updatedAt, @updatedBy, @item, @seq)
          ON CONFLICT (zone) DO UPDATE SET level = excluded.level, updated_at = excluded.updated_at, updated_by = excluded.updated_by,
          item = excluded.item, change_seq = excluded.change_seq`,
        { zone: z.zone, level: z.level, updatedAt: z.updatedAt, updatedBy: z.updatedBy, item, seq },
      );
    });
  }

  remove(zone: string, at: number): Promise<boolean> {
    return this.client.transaction(async () => {
      if ((await this.client.run('DELETE FROM zones WHERE zone = ?', [zone])).changes === 0) return false;
      await this.changes.append('zone', zone, JSON.stringify({ type: 'delete', entity: 'zone', key: zone }), at);
      return true;
    });
  }
}

type ZoneActor = Pick<AuthUser, 'username' | 'province' | 'scope'>;

/** '79' is province 79; '79-760' its district 760. */
function zonePlace(zone: string): Place {
  const [province, district] = zone.split('-');
  return { province: Number(province), district: district ?? null };
}

export const ZoneLevelInputSchema = Type.Object({ level: Type.Integer({ minimum: 1, maximum: 4 }) }, { additionalProperties: false });

/** Epidemic levels 1-4 (Resolution 128) per province ('79') or district ('79-760'). */
export class ZoneService {
  constructor(private readonly repo: ZoneRepository, private readonly clock: () => number, private readonly deployment: Deployment['mode'] = 'province') {}

  /**
   * In a national deployment each province sets its own zones (the others are on the same server). A
   * province's own server has nobody else to set the levels of the places vehicles come from, so its
   * province-wide users keep them all; its district and commune users set their own district only.
   */
  private assertMaySet(actor: ZoneActor, zone: string): void {
    const scope = scopeOf(actor);
    if (this.deployment === 'province' && provinceWide(scope)) return;
    assertPlaceInScope(scope, zonePlace(zone));
  }

  list(): Promise<ZoneLevel[]> {
    return this.repo.list();
  }

  /** A zone is set by those whose area holds it: a province for itself and its districts, a district for itself. */
  async set(actor: ZoneActor, zone: string, level: number): Promise<ZoneLevel> {
    checkShape(Type.Object({ zone: Zone, level: ZoneLevelInputSchema.properties.level }), { zone, level }, 'zone');
    this.assertMaySet(actor, zone);
    const z = { zone, level, updatedAt: this.clock(), updatedBy: actor.username };
    const cur = await this.repo.get(zone);
    // Setting the same level again is not a change; stations need not hear about it.
    if (cur && cur.level === level) return cur;
    await this.repo.set(z);
    return z;
  }

  async remove(actor: ZoneActor, zone: string): Promise<void> {
    this.assertMaySet(actor, zone);
    if (!(await this.repo.remove(zone, this.clock()))) throw new NotFoundError(`zone ${zone} has no level`, `Vùng ${zone} chưa có cấp độ`);
  }
}
