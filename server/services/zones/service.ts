import type Database from 'better-sqlite3';
import { Type } from '@sinclair/typebox';
import { Zone } from '../../../shared/contracts/common.js';
import { NotFoundError } from '../../domain-errors.js';
import { scopeOf, type AuthUser } from '../../auth/access.js';
import { assertPlaceInScope, provinceWide, type Place } from '../../auth/scope.js';
import type { Deployment } from '../../config.js';
import type { SyncAppend } from '../feed/sqlite-change-log.js';
import { withTransaction } from '../feed/transaction.js';
import { checkShape } from '../csv-import/shape.js';

export interface ZoneLevel {
  zone: string;
  level: number;
  updatedAt: number;
  updatedBy: string;
}

export interface ZoneRepository {
  list(): ZoneLevel[];
  get(zone: string): ZoneLevel | null;
  /** Upsert and append to the feed in one transaction. */
  set(z: ZoneLevel): void;
  /** Remove and append a delete item; false when the zone had no level. */
  remove(zone: string, at: number): boolean;
}

export class SqliteZoneRepository implements ZoneRepository {
  private readonly listStmt: Database.Statement<[], ZoneLevel>;
  private readonly getStmt: Database.Statement<[string], ZoneLevel>;
  private readonly upsert: Database.Statement;
  private readonly del: Database.Statement<[string]>;

  constructor(private readonly db: Database.Database, private readonly changes: SyncAppend) {
    const cols = 'zone, level, updated_at AS updatedAt, updated_by AS updatedBy';
    this.listStmt = db.prepare(`SELECT ${cols} FROM zones ORDER BY zone`);
    this.getStmt = db.prepare(`SELECT ${cols} FROM zones WHERE zone = ?`);
    this.upsert = db.prepare(`INSERT INTO zones (zone, level, updated_at, updated_by, item, change_seq) VALUES (@zone, @level, @updatedAt, @updatedBy, @item, @seq)
      ON CONFLICT(zone) DO UPDATE SET level = excluded.level, updated_at = excluded.updated_at, updated_by = excluded.updated_by, item = excluded.item, change_seq = excluded.change_seq`);
    this.del = db.prepare('DELETE FROM zones WHERE zone = ?');
  }

  list(): ZoneLevel[] {
    return this.listStmt.all();
  }

  get(zone: string): ZoneLevel | null {
    return this.getStmt.get(zone) ?? null;
  }

  set(z: ZoneLevel): void {
    withTransaction(this.db, () => {
      const item = JSON.stringify({ type: 'zone', zone: z.zone, level: z.level });
      this.upsert.run({ ...z, item, seq: this.changes.appendSync('zone', z.zone, item, z.updatedAt) });
    });
  }

  remove(zone: string, at: number): boolean {
    return withTransaction(this.db, () => {
      if (this.del.run(zone).changes === 0) return false;
      this.changes.appendSync('zone', zone, JSON.stringify({ type: 'delete', entity: 'zone', key: zone }), at);
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

  list(): ZoneLevel[] {
    return this.repo.list();
  }

  /** A zone is set by those whose area holds it: a province for itself and its districts, a district for itself. */
  set(actor: ZoneActor, zone: string, level: number): ZoneLevel {
    checkShape(Type.Object({ zone: Zone, level: ZoneLevelInputSchema.properties.level }), { zone, level }, 'zone');
    this.assertMaySet(actor, zone);
    const z = { zone, level, updatedAt: this.clock(), updatedBy: actor.username };
    const cur = this.repo.get(zone);
    // Setting the same level again is not a change; stations need not hear about it.
    if (cur && cur.level === level) return cur;
    this.repo.set(z);
    return z;
  }

  remove(actor: ZoneActor, zone: string): void {
    this.assertMaySet(actor, zone);
    if (!this.repo.remove(zone, this.clock())) throw new NotFoundError(`zone ${zone} has no level`, `Vùng ${zone} chưa có cấp độ`);
  }
}
