import fp from 'fastify-plugin';
import { hashPin } from '../../../shared/auth/pin-hash.js';
import type { StationOfficers } from '../../../shared/contracts/officers.js';
import { scopeOf, type AuthStation, type AuthUser } from '../../auth/access.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../domain-errors.js';
import { sqlOfficerRepository, type OfficerRecord, type OfficerRepository } from './repository.js';

/** What an admin sees of an officer: never the PIN hash. */
export interface PublicOfficer {
  officerId: string;
  name: string;
  province: number;
  disabled: boolean;
  updatedAt: number;
}

const toPublic = (r: OfficerRecord): PublicOfficer => ({ officerId: r.officerId, name: r.name, province: r.province, disabled: r.disabled, updatedAt: r.updatedAt });

/** A PIN is 4 to 12 digits: typed on a lane-side tablet's number pad. */
const PIN = /^\d{4,12}$/;

/**
 * Checkpoint officers, managed centrally by their province's admin and sent to the province's stations
 * as PIN hashes only, so a new officer signs in at any checkpoint of the province after the next sync.
 */
export class OfficersService {
  constructor(private readonly repo: OfficerRepository, private readonly clock: () => number) {}

  private checkAdmin(actor: AuthUser): void {
    if (actor.role !== 'admin') throw new ForbiddenError('only an admin manages officers', 'Chỉ quản trị viên được quản lý cán bộ chốt');
    // the list is the province's (an officer signs in at any of its checkpoints): its admins keep it
    if (scopeOf(actor).level !== 'province') {
      throw new ForbiddenError('officers are managed by an admin of their province', 'Cán bộ chốt do quản trị viên cấp tỉnh quản lý');
    }
  }

  private checkPin(pin: string): void {
    if (!PIN.test(pin)) throw new ValidationError('a PIN is 4 to 12 digits', 'Mã PIN gồm 4 đến 12 chữ số', { field: 'pin' });
  }

  async list(actor: AuthUser): Promise<PublicOfficer[]> {
    this.checkAdmin(actor);
    return (await this.repo.list(actor.province)).map(toPublic);
  }

  async create(actor: AuthUser, input: { officerId: string; name: string; pin: string }): Promise<PublicOfficer> {
    this.checkAdmin(actor);
    this.checkPin(input.pin);
    if (await this.repo.find(actor.province, input.officerId)) {
      throw new ConflictError(`officer ${input.officerId} exists`, `Mã cán bộ ${input.officerId} đã tồn tại`);
    }
    const pinHash = await hashPin(input.pin);
    return toPublic(await this.repo.upsert({ province: actor.province, officerId: input.officerId, name: input.name, pinHash, disabled: false, updatedAt: this.clock(), updatedBy: actor.id }));
  }

  /** A new PIN, a new name, or disabled (a disabled officer is signed out at every station on its next sync). */
  async update(actor: AuthUser, officerId: string, change: { name?: string | undefined; pin?: string | undefined; disabled?: boolean | undefined }): Promise<PublicOfficer> {
    this.checkAdmin(actor);
    const current = await this.repo.find(actor.province, officerId);
    if (!current) throw new NotFoundError(`officer ${officerId} not found`, `Không tìm thấy cán bộ ${officerId}`);
    if (change.pin !== undefined) this.checkPin(change.pin);
    const pinHash = change.pin !== undefined ? await hashPin(change.pin) : current.pinHash;
    return toPublic(await this.repo.upsert({
      province: current.province, officerId, name: change.name ?? current.name, pinHash,
      disabled: change.disabled ?? current.disabled, updatedAt: this.clock(), updatedBy: actor.id,
    }));
  }

  /** The station's province's officers when they changed after revision `since`; else `officers: null`. */
  async forStation(station: AuthStation, since: number): Promise<StationOfficers> {
    const version = await this.repo.revision(station.province);
    if (since >= version && !(await this.repo.changedSince(station.province, since))) return { version, officers: null };
    return {
      version,
      officers: (await this.repo.list(station.province)).map((r) => ({ id: r.officerId, name: r.name, pinHash: r.pinHash, disabled: r.disabled })),
    };
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly officers: OfficersService;
  }
}

export default fp(
  async (app) => {
    app.decorate('officers', new OfficersService(sqlOfficerRepository(app.database.client), app.clock));
  },
  { name: 'officers', fastify: '5.x', dependencies: ['database'] },
);
