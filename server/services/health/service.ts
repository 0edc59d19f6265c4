import { signHealthCode, type HealthCodeBody } from '../../../shared/codes/health-code.js';
import { NotFoundError } from '../../domain-errors.js';
import { rowsFromCsv, rowsFromJson, runImport, type ImportRow } from '../csv-import/importer.js';
import type { IssuerKey } from '../keys/key-store.js';
import { qrVersionOf } from '../qr/render.js';
import type { PersonRecord, PersonRepository } from './repository.js';
import { applyHealthUpdate, HEALTH_IMPORT_COLUMNS, healthUpdateFromRow, type HealthImportKind, type HealthUpdate } from './updates.js';

export interface HealthDataDeps {
  repo: PersonRepository;
  healthKey: () => IssuerKey;
  clock: () => number;
}

/**
 * Health data: imports of declarations, tests and F0/F1 flags (all or nothing), people's records,
 * their signed health codes, and purging a person. Callers record personal-data reads in the
 * access log (routes do, with the request).
 */
export class HealthDataService {
  constructor(private readonly d: HealthDataDeps) {}

  import(actor: { username: string }, kind: HealthImportKind, input: { csv: string } | { json: unknown }): { imported: number; changed: number } {
    const columns = HEALTH_IMPORT_COLUMNS[kind];
    const rows: ImportRow[] = 'csv' in input ? rowsFromCsv(input.csv, columns) : rowsFromJson(input.json, columns);
    let changed = 0;
    const { imported } = runImport(rows, (r) => healthUpdateFromRow(kind, r), (u) => {
      if (this.applyOne(actor, u)) changed++;
    }, (fn) => this.d.repo.transaction(fn));
    return { imported, changed };
  }

  /** Apply updates directly (seeding, tests); all or nothing like an import. */
  apply(actor: { username: string }, updates: HealthUpdate[]): { changed: number } {
    return this.d.repo.transaction(() => ({ changed: updates.filter((u) => this.applyOne(actor, u)).length }));
  }

  get(citizenId: string): PersonRecord {
    const p = this.d.repo.get(citizenId);
    if (!p) throw new NotFoundError(`person ${citizenId} not found`, `Không tìm thấy người có số định danh ${citizenId}`);
    return p;
  }

  list(q: { after?: string; status?: PersonRecord['status']; limit?: number }): { items: PersonRecord[]; nextAfter: string | null } {
    const limit = q.limit ?? 50;
    const items = this.d.repo.list({ ...q, limit });
    return { items, nextAfter: items.length === limit ? items[items.length - 1]!.citizenId : null };
  }

  remove(_actor: { username: string }, citizenId: string): void {
    if (!this.d.repo.remove(citizenId, this.d.clock())) throw new NotFoundError(`person ${citizenId} not found`, `Không tìm thấy người có số định danh ${citizenId}`);
  }

  /** The person's signed health code as of now. */
  healthCode(citizenId: string): { code: string; body: HealthCodeBody } {
    const p = this.get(citizenId);
    const now = this.d.clock();
    const body: HealthCodeBody = {
      citizenId: p.citizenId, declaredAt: p.declaredAt, originZone: p.originZone, test: p.test, doses: p.doses,
      status: p.status, statusAsOf: p.statusAsOf, issuedAt: Math.floor(now / 1000) * 1000,
    };
    const key = this.d.healthKey();
    const code = signHealthCode(body, key.key.kid, key.key.privateKey);
    qrVersionOf(code);
    return { code, body };
  }

  private applyOne(actor: { username: string }, u: HealthUpdate): boolean {
    const next = applyHealthUpdate(this.d.repo.get(u.citizenId), u, this.d.clock(), actor.username);
    if (next) this.d.repo.save(next);
    return next !== null;
  }
}
