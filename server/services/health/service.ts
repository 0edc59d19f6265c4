import { signHealthCode, type HealthCodeBody } from '../../../shared/codes/health-code.js';
import { NotFoundError, ValidationError } from '../../domain-errors.js';
import { rowsFromCsv, rowsFromJson, runImport, type ImportRow } from '../csv-import/importer.js';
import type { IssuerKey } from '../keys/key-store.js';
import { qrVersionOf } from '../qr/render.js';
import type { HealthChange, PersonRecord, PersonRepository } from './repository.js';
import { applyHealthUpdate, HEALTH_IMPORT_COLUMNS, healthUpdateFromRow, type HealthImportKind, type HealthUpdate } from './updates.js';

const IMPORT_WORDS: Record<HealthImportKind, string> = { declarations: 'khai báo y tế', tests: 'kết quả xét nghiệm', flags: 'phân loại F0/F1' };

export interface PersonEdit {
  name?: string;
  phone?: string | null;
  doses?: number;
  status?: PersonRecord['status'];
}

export interface HealthDataDeps {
  repo: PersonRepository;
  /** the health key; national mode: certified for the signer's province (or the centre) */
  healthKey: (province?: number) => IssuerKey | Promise<IssuerKey>;
  clock: () => number;
}

/**
 * Health data: imports of declarations, tests and F0/F1 flags (all or nothing), people's records,
 * their signed health codes, and purging a person. Callers record personal-data reads in the
 * access log (routes do, with the request).
 */
export class HealthDataService {
  constructor(private readonly d: HealthDataDeps) {}

  async import(actor: { username: string }, kind: HealthImportKind, input: { csv: string } | { json: unknown }): Promise<{ imported: number; changed: number }> {
    const columns = HEALTH_IMPORT_COLUMNS[kind];
    const rows: ImportRow[] = 'csv' in input ? rowsFromCsv(input.csv, columns) : rowsFromJson(input.json, columns);
    let changed = 0;
    const reason = `Nhập tệp ${IMPORT_WORDS[kind]}`;
    const { imported } = await runImport(rows, (r) => healthUpdateFromRow(kind, r), async (u) => {
      if (await this.applyOne(actor, u, reason)) changed++;
    }, (fn) => this.d.repo.transaction(fn));
    return { imported, changed };
  }

  /** Apply updates directly (seeding, tests); all or nothing like an import. */
  apply(actor: { username: string }, updates: HealthUpdate[], reason = 'Cập nhật trực tiếp'): Promise<{ changed: number }> {
    return this.d.repo.transaction(async () => {
      let changed = 0;
      for (const u of updates) if (await this.applyOne(actor, u, reason)) changed++;
      return { changed };
    });
  }

  /**
   * Flag people F1 (close contacts found by tracing) in one step, all or nothing, each change written
   * down with who and why. An F0 stays F0. The flag reaches stations through the feed like any other.
   * `people` carry a name for those the health authority does not know yet (crew known from a pass).
   */
  async flagF1(actor: { username: string }, people: { citizenId: string; name: string | null; phone: string | null }[], reason: string): Promise<{ flagged: string[]; unchanged: string[] }> {
    const now = this.d.clock();
    const flagged: string[] = [];
    const unchanged: string[] = [];
    await this.d.repo.transaction(async () => {
      for (const p of people) {
        const cur = await this.d.repo.get(p.citizenId);
        if (cur?.status === 'F0' || cur?.status === 'F1') {
          unchanged.push(p.citizenId);
          continue;
        }
        const u: HealthUpdate = { kind: 'flag', citizenId: p.citizenId, name: cur ? null : p.name, phone: cur ? null : p.phone, status: 'F1', statusAsOf: now };
        ((await this.applyOne(actor, u, reason)) ? flagged : unchanged).push(p.citizenId);
      }
    });
    return { flagged, unchanged };
  }

  /** A person's changes with who and why, newest first. */
  history(citizenId: string, limit = 200): Promise<HealthChange[]> {
    return this.d.repo.changesOf(citizenId, limit);
  }

  async get(citizenId: string): Promise<PersonRecord> {
    const p = await this.d.repo.get(citizenId);
    if (!p) throw new NotFoundError(`person ${citizenId} not found`, `Không tìm thấy người có số định danh ${citizenId}`);
    return p;
  }

  /**
   * Health staff correct one person's record (name, phone, vaccine doses, F0/F1 status) with a reason;
   * written down as an 'edit' change and sent to stations like any health change.
   */
  async edit(actor: { username: string }, citizenId: string, patch: PersonEdit, reason: string | null): Promise<PersonRecord> {
    const why = reason?.trim() ?? '';
    if (why === '') {
      const messageVi = 'Lý do: cần ghi lý do sửa hồ sơ';
      const message = 'reason: an edit needs a reason';
      throw new ValidationError(message, messageVi, { fields: [{ field: 'reason', message, messageVi }] });
    }
    return this.d.repo.transaction(async () => {
      const cur = await this.get(citizenId);
      const now = this.d.clock();
      const next: PersonRecord = {
        ...cur,
        ...(patch.name !== undefined ? { name: patch.name.trim() } : {}),
        ...(patch.phone !== undefined ? { phone: patch.phone } : {}),
        ...(patch.doses !== undefined ? { doses: patch.doses } : {}),
        ...(patch.status !== undefined && patch.status !== cur.status ? { status: patch.status, statusAsOf: now } : {}),
        updatedAt: now, updatedBy: actor.username,
      };
      await this.d.repo.save(next);
      await this.d.repo.recordChange({ at: now, citizenId, kind: 'edit', change: { ...patch }, byUser: actor.username, reason: why });
      return next;
    });
  }

  async list(q: { after?: string; status?: PersonRecord['status']; text?: string; limit?: number }): Promise<{ items: PersonRecord[]; nextAfter: string | null }> {
    const limit = q.limit ?? 50;
    const items = await this.d.repo.list({ ...q, limit });
    return { items, nextAfter: items.length === limit ? items[items.length - 1]!.citizenId : null };
  }

  async remove(_actor: { username: string }, citizenId: string): Promise<void> {
    if (!(await this.d.repo.remove(citizenId, this.d.clock()))) throw new NotFoundError(`person ${citizenId} not found`, `Không tìm thấy người có số định danh ${citizenId}`);
  }

  /** The person's signed health code as of now; `signerProvince`: the province of the person asking for it. */
  async healthCode(citizenId: string, signerProvince?: number): Promise<{ code: string; body: HealthCodeBody }> {
    const p = await this.get(citizenId);
    const now = this.d.clock();
    const body: HealthCodeBody = {
      citizenId: p.citizenId, declaredAt: p.declaredAt, originZone: p.originZone, test: p.test, doses: p.doses,
      status: p.status, statusAsOf: p.statusAsOf, issuedAt: Math.floor(now / 1000) * 1000,
    };
    const key = await this.d.healthKey(signerProvince);
    const code = signHealthCode(body, key.key.kid, key.key.privateKey);
    qrVersionOf(code);
    return { code, body };
  }

  private async applyOne(actor: { username: string }, u: HealthUpdate, reason: string): Promise<boolean> {
    const now = this.d.clock();
    const next = applyHealthUpdate(await this.d.repo.get(u.citizenId), u, now, actor.username);
    if (next) {
      await this.d.repo.save(next);
      const { kind, citizenId, ...change } = u;
      await this.d.repo.recordChange({ at: now, citizenId, kind, change, byUser: actor.username, reason });
    }
    return next !== null;
  }
}
