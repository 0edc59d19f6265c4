import { signPassCode } from '../../../shared/codes/pass-code.js';
import { scopeOf, type AuthUser } from '../../auth/access.js';
import { assertProvinceWide } from '../../auth/scope.js';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../domain-errors.js';
import type { StoredCrewMember } from '../../db/schema/issuing.js';
import { rowsFromCsv, runImport } from '../csv-import/importer.js';
import { checkShape } from '../csv-import/shape.js';
import { passInputFromRow, PASS_IMPORT_COLUMNS } from './import.js';
import { qrVersionOf, QrTooLargeError } from '../qr/render.js';
import type { IssuerKey } from '../keys/key-store.js';
import { passCodeBody, passItemJson } from './facts.js';
import { PASS_TIME_MAX_MS, PassAmendSchema, PassInputSchema, type PassAmend, type PassInput, type PassSearch, type PassView } from './model.js';
import type { PassEvent, PassRecord, PassRepository } from './repository.js';

/** Who acts: a signed-in user, or the seeding script acting as a named system user. */
export type Actor = Pick<AuthUser, 'username' | 'role' | 'province' | 'scope'>;

export interface PassServiceDeps {
  repo: PassRepository;
  /** the province's transport key (made beforehand by an admin; NoSigningKeyError when missing) */
  transportKey: (province: number) => IssuerKey | Promise<IssuerKey>;
  clock: () => number;
  defaultMaxStayHours: number;
}

const sec = (ms: number) => Math.floor(ms / 1000) * 1000;

/** Also for callers that skip the HTTP schema (CSV import, seeding): a date the code cannot carry is a 400 naming the field. */
function assertCodeTime(ms: number | null, field: 'validFrom' | 'validTo'): void {
  if (ms !== null && (!Number.isSafeInteger(ms) || ms < 0 || ms > PASS_TIME_MAX_MS)) {
    throw new ValidationError(`${field}: after 2106-02-07, later than a pass code can carry`,
      `${field === 'validTo' ? 'Ngày hết hạn' : 'Ngày bắt đầu'} (${field}) quá xa: mã QR chỉ ghi được đến ngày 07/02/2106`, { field });
  }
}

/** Every change to a pass says why (it is read back in the pass's history): a 400 naming the field otherwise. */
function requireReason(reason: string | null | undefined): string {
  const text = reason?.trim() ?? '';
  if (text === '') {
    const messageVi = 'Lý do: cần ghi lý do cho mọi thay đổi của giấy phép';
    const message = 'reason: every change to a pass needs a reason';
    throw new ValidationError(message, messageVi, { field: 'reason', fields: [{ field: 'reason', message, messageVi }] });
  }
  return text;
}

/**
 * Passes: issue, amend (new version, new code), extend (central validity only, no reprint), suspend,
 * reinstate, revoke, read and search. Transport users and admins act on their own province only.
 */
export class PassService {
  constructor(private readonly d: PassServiceDeps) {}

  async create(actor: Actor, input: PassInput): Promise<PassView> {
    checkShape(PassInputSchema, input, 'pass');
    const province = input.issuingProvince ?? actor.province;
    this.assertMayIssue(actor, province);
    const now = this.d.clock();
    const key = await this.d.transportKey(province);
    const fields = this.normalise(input, now);
    return this.d.repo.transaction(async () => {
      const created = await this.d.repo.insert((passId) => this.sign({ ...fields, passId, version: 1, status: 'ACTIVE', statusReason: null,
        issuingProvince: province, issuedAt: sec(now), createdAt: now, createdBy: actor.username, updatedAt: now, updatedBy: actor.username }, key), passItemJson);
      await this.d.repo.addEvent({ passId: created.passId, version: 1, action: 'create', reason: null, at: now, by: actor.username });
      return created;
    });
  }

  /** A new version with a new code; the old printed code becomes superseded at stations. */
  async amend(actor: Actor, passId: number, patch: PassAmend, reason: string | null): Promise<PassView> {
    checkShape(PassAmendSchema, patch, 'amendment');
    const why = requireReason(reason);
    return this.d.repo.transaction(async () => {
      const cur = await this.load(actor, passId, 'forUpdate');
      this.assertMayIssue(actor, cur.issuingProvince);
      if (cur.status === 'REVOKED') throw new ConflictError(`pass ${passId} is revoked`, `Thẻ ${passId} đã bị thu hồi`);
      if (cur.version >= 65535) throw new ConflictError('too many versions', 'Quá nhiều phiên bản');
      const now = this.d.clock();
      const merged = this.normalise({ ...this.asInput(cur), ...patch } as PassInput, now);
      const next = this.sign({ ...cur, ...merged, version: cur.version + 1, issuedAt: sec(now), updatedAt: now, updatedBy: actor.username },
        await this.d.transportKey(cur.issuingProvince));
      await this.d.repo.update(next, passItemJson);
      await this.d.repo.addEvent({ passId, version: next.version, action: 'amend', reason: why, at: now, by: actor.username, detail: { changed: Object.keys(patch) } });
      return next;
    });
  }

  /** Change the validity centrally; stations follow the central date, so no new sheet is printed. */
  extend(actor: Actor, passId: number, validTo: number | null, reason: string | null): Promise<PassView> {
    return this.change(actor, passId, 'extend', reason, (cur) => {
      if (cur.status === 'REVOKED') throw new ConflictError(`pass ${passId} is revoked`, `Thẻ ${passId} đã bị thu hồi`);
      const to = validTo === null ? null : sec(validTo);
      assertCodeTime(to, 'validTo');
      if (to !== null && to <= cur.validFrom) throw new ValidationError('validTo must be after validFrom', 'Ngày hết hạn phải sau ngày bắt đầu');
      return { ...cur, validTo: to };
    });
  }

  suspend(actor: Actor, passId: number, reason: string): Promise<PassView> {
    return this.change(actor, passId, 'suspend', reason, (cur) => {
      if (cur.status !== 'ACTIVE') throw new ConflictError(`pass ${passId} is ${cur.status}, not ACTIVE`, `Thẻ ${passId} không ở trạng thái hoạt động`);
      return { ...cur, status: 'SUSPENDED', statusReason: reason };
    });
  }

  reinstate(actor: Actor, passId: number, reason: string | null): Promise<PassView> {
    return this.change(actor, passId, 'reinstate', reason, (cur) => {
      if (cur.status !== 'SUSPENDED') throw new ConflictError(`pass ${passId} is ${cur.status}, not SUSPENDED`, `Thẻ ${passId} không bị tạm dừng`);
      return { ...cur, status: 'ACTIVE', statusReason: null };
    });
  }

  revoke(actor: Actor, passId: number, reason: string): Promise<PassView> {
    return this.change(actor, passId, 'revoke', reason, (cur) => {
      if (cur.status === 'REVOKED') throw new ConflictError(`pass ${passId} is already revoked`, `Thẻ ${passId} đã bị thu hồi`);
      return { ...cur, status: 'REVOKED', statusReason: reason };
    });
  }

  /**
   * Bulk issue from CSV (columns in import.ts), for the actor's province. All or nothing: one bad row
   * and nothing is issued; the error lists every bad row with its line.
   */
  async importCsv(actor: Actor, csv: string): Promise<{ imported: number; passIds: number[] }> {
    this.assertMayIssue(actor, actor.province);
    const rows = rowsFromCsv(csv, PASS_IMPORT_COLUMNS);
    // Outside the import's transaction: a key created here stays registered even if the import fails.
    await this.d.transportKey(actor.province);
    const passIds: number[] = [];
    const { imported } = await runImport(rows, passInputFromRow, async (input) => {
      passIds.push((await this.create(actor, { ...input, issuingProvince: actor.province })).passId);
    }, (fn) => this.d.repo.transaction(fn));
    return { imported, passIds };
  }

  get(actor: Actor, passId: number): Promise<PassView> {
    return this.load(actor, passId);
  }

  /** Who issued, amended, extended, suspended, reinstated or revoked the pass, when and why. */
  async history(actor: Actor, passId: number): Promise<PassEvent[]> {
    await this.load(actor, passId);
    return this.d.repo.events(passId);
  }

  async search(actor: Actor, q: PassSearch): Promise<{ items: PassView[]; total: number; nextBefore: number | null }> {
    const scope = scopeOf(actor);
    assertProvinceWide(scope);
    // a national reader searches every province (or the one asked for); others their own
    const province = scope.level === 'national' ? q.province : actor.province;
    if (q.province !== undefined && q.province !== province) this.assertMayIssue(actor, q.province);
    const limit = q.limit ?? 50;
    const now = this.d.clock();
    const { items, total } = await this.d.repo.search({
      ...(q.plate !== undefined ? { plate: q.plate.trim().toUpperCase() } : {}),
      ...(q.citizenId !== undefined ? { citizenId: q.citizenId } : {}),
      ...(q.q !== undefined ? { text: q.q } : {}),
      ...(q.status !== undefined ? { status: q.status } : {}),
      ...(province !== undefined ? { province } : {}),
      ...(q.expiringDays !== undefined ? { expiringBefore: now + q.expiringDays * 86_400_000, expiringFrom: now } : {}),
      ...(q.before !== undefined ? { before: q.before } : {}),
      ...(q.sort !== undefined ? { sort: q.sort } : {}),
      ...(q.order !== undefined ? { order: q.order } : {}),
      offset: q.offset ?? 0,
      limit,
    });
    return { items, total, nextBefore: items.length === limit ? items[items.length - 1]!.passId : null };
  }

  /** Several passes for one print run: every one must be the actor's and ACTIVE (a sheet is never printed as if valid). */
  async forPrint(actor: Actor, passIds: number[]): Promise<PassView[]> {
    const passes: PassView[] = [];
    for (const id of passIds) passes.push(await this.load(actor, id));
    const notValid = passes.filter((p) => p.status !== 'ACTIVE');
    if (notValid.length > 0) {
      const refs = notValid.map((p) => `#${p.passId}`).join(', ');
      throw new ConflictError(`passes not ACTIVE cannot be printed: ${refs}`, `Không in được giấy phép không còn hiệu lực: ${refs}`,
        { passIds: notValid.map((p) => p.passId) });
    }
    return passes;
  }

  private change(actor: Actor, passId: number, action: 'extend' | 'suspend' | 'reinstate' | 'revoke', reason: string | null,
    apply: (cur: PassRecord) => PassRecord): Promise<PassView> {
    const why = requireReason(reason);
    return this.d.repo.transaction(async () => {
      const cur = await this.load(actor, passId, 'forUpdate');
      this.assertMayIssue(actor, cur.issuingProvince);
      const now = this.d.clock();
      const next = { ...apply(cur), updatedAt: now, updatedBy: actor.username };
      await this.d.repo.update(next, passItemJson);
      await this.d.repo.addEvent({ passId, version: next.version, action, reason: why, at: now, by: actor.username });
      return next;
    });
  }

  /**
   * `forUpdate` inside a change's transaction: another instance changing the same pass waits until this
   * change commits and then reads it, so no version or status change is lost.
   */
  private async load(actor: Actor, passId: number, lock?: 'forUpdate'): Promise<PassRecord> {
    const scope = scopeOf(actor);
    // the register is the province's: a district or commune user has no duty in it
    assertProvinceWide(scope);
    const p = lock ? await this.d.repo.getForUpdate(passId) : await this.d.repo.get(passId);
    // Another province's pass is reported as missing, not forbidden, so ids do not leak across provinces.
    if (!p || (scope.level !== 'national' && p.issuingProvince !== actor.province)) {
      throw new NotFoundError(`pass ${passId} not found`, `Không tìm thấy thẻ ${passId}`);
    }
    return p;
  }

  /** Nobody issues for another province: a province's admin is not the national authority. */
  private assertMayIssue(actor: Actor, province: number): void {
    // a national user reads every province's passes but issues none: passes are the provinces' acts
    if ((actor.role !== 'transport' && actor.role !== 'admin') || actor.province !== province || scopeOf(actor).level !== 'province') {
      throw new ForbiddenError(`a ${actor.role} user of province ${actor.province} cannot issue passes of province ${province}`,
        `Người dùng tỉnh ${actor.province} không được cấp thẻ của tỉnh ${province}`);
    }
  }

  private normalise(input: PassInput, now: number) {
    const validFrom = sec(input.validFrom ?? now);
    const validTo = input.validTo === null ? null : sec(input.validTo);
    assertCodeTime(validFrom, 'validFrom');
    assertCodeTime(validTo, 'validTo');
    if (validTo !== null && validTo <= validFrom) throw new ValidationError('validTo must be after validFrom', 'Ngày hết hạn phải sau ngày bắt đầu');
    const ids = input.crew.map((c) => c.citizenId);
    if (new Set(ids).size !== ids.length) throw new ValidationError('crew lists a person twice', 'Một người xuất hiện hai lần trong tổ lái');
    if (input.routeCheckpoints.length === 0 && input.routeProvinces.length === 0) {
      throw new ValidationError('the route needs at least one checkpoint or province', 'Lộ trình cần ít nhất một chốt hoặc một tỉnh');
    }
    const crew: StoredCrewMember[] = input.crew.map((c, i) => ({ citizenId: c.citizenId, name: c.name.trim(), phone: c.phone ?? null, role: i === 0 ? 'driver' : 'assistant' }));
    return {
      plate: input.plate, company: input.company ?? null, goods: input.goods, crew,
      originZone: input.originZone, destinationZone: input.destinationZone,
      routeCheckpoints: [...new Set(input.routeCheckpoints)], routeProvinces: [...new Set(input.routeProvinces)],
      permittedStops: input.permittedStops?.trim() || null, validFrom, validTo,
      direction: input.direction ?? 'both', maxStayHours: input.maxStayHours ?? this.d.defaultMaxStayHours,
    };
  }

  private asInput(p: PassRecord): PassInput {
    return {
      plate: p.plate, company: p.company, goods: p.goods, crew: p.crew.map(({ citizenId, name, phone }) => ({ citizenId, name, phone })),
      originZone: p.originZone, destinationZone: p.destinationZone, routeCheckpoints: p.routeCheckpoints, routeProvinces: p.routeProvinces,
      permittedStops: p.permittedStops, validFrom: p.validFrom, validTo: p.validTo, direction: p.direction, maxStayHours: p.maxStayHours,
    };
  }

  private sign(p: Omit<PassRecord, 'code'>, key: IssuerKey): PassRecord {
    const code = signPassCode(passCodeBody(p), key.key.kid, key.key.privateKey);
    try {
      qrVersionOf(code);
    } catch (err) {
      if (err instanceof QrTooLargeError) throw new ValidationError(err.message, `Mã QR quá lớn (phiên bản ${err.version}); hãy rút gọn lộ trình hoặc tổ lái`);
      throw err;
    }
    return { ...p, code };
  }
}
