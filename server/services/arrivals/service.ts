import type { Policy } from '../../../shared/rules/policy.js';
import { scopeOf, type AuthUser } from '../../auth/access.js';
import { assertPlaceInScope, scopeFilter, type Scope } from '../../auth/scope.js';
import { NotFoundError, ValidationError } from '../../domain-errors.js';
import { RowInvalidError } from '../csv-import/cells.js';
import { rowsFromCsv, rowsFromJson, runImport, type ImportRow } from '../csv-import/importer.js';
import { DECLARATION_COLUMNS, declarationFromRow } from './declarations.js';
import type { ArrivalQuery, ArrivalRow, ArrivalsRepository, CommuneCount, Declaration, Outcome } from './repository.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The zone levels whose arrivals a commune follows up: those the province's policy already treats as
 * risky (a test required, or entry refused without a pass). One place, so the policy stays the one
 * knob (Resolution 128's levels are data, not code).
 */
export function monitoredLevels(policy: Pick<Policy, 'testRequiredZoneLevels' | 'blockedZoneLevels'>): number[] {
  return [...new Set([...policy.testRequiredZoneLevels, ...policy.blockedZoneLevels])].sort((a, b) => a - b);
}

/** The longest window of declarations a list reads (the route's `days` bound): whatever a list shows can be followed up. */
export const MAX_DAYS = 60;

/** An entry may come up to this long before its declaration (declared at the checkpoint, or imported late). */
export const ENTRY_BEFORE_DECLARATION_MS = DAY;

export interface ArrivalsDeps {
  repo: ArrivalsRepository;
  /** the decision policy a province follows now */
  policyOf: (province: number) => Promise<Policy>;
  clock: () => number;
}

type Actor = Pick<AuthUser, 'username' | 'province' | 'scope'>;

export interface ListQuery {
  /** a national reader names the province; others read their own */
  province?: number | undefined;
  show: 'unconfirmed' | 'all';
  /** declarations of the last `days` days */
  days: number;
  limit: number;
}

export interface SummaryQuery {
  province?: number | undefined;
  /** an arrival not followed up this many hours after its entry is overdue */
  hours: number;
  days: number;
}

/**
 * Arrivals for the communes (issue 17 item 11): declarations of where people are going, joined at
 * read time with the uploaded entries, so an arrival shows on its commune's list as soon as the
 * station's upload is stored; the commune's follow-up (monitored or not found) with who and when; and
 * per commune counts for the province. Callers record reads of personal data in the access log.
 */
export class ArrivalsService {
  constructor(private readonly d: ArrivalsDeps) {}

  /** One declaration (an online declaration system, or health staff typing it in). */
  async declare(actor: Actor, values: Record<string, unknown>): Promise<{ declaration: Declaration; changed: boolean }> {
    const declaration = this.parse(values, actor.province);
    assertPlaceInScope(scopeOf(actor), declaration);
    const changed = await this.d.repo.transaction(() => this.d.repo.upsert(declaration, this.d.clock(), actor.username));
    return { declaration, changed };
  }

  /** A file of declarations, all or nothing; every error of every row is reported in Vietnamese. */
  async import(actor: Actor, input: { csv: string } | { json: unknown }): Promise<{ imported: number; changed: number }> {
    const rows: ImportRow[] = 'csv' in input ? rowsFromCsv(input.csv, DECLARATION_COLUMNS) : rowsFromJson(input.json, DECLARATION_COLUMNS);
    const scope = scopeOf(actor);
    const parsed: Declaration[] = [];
    // Rows are read and checked first (no database needed), then written in one transaction.
    const { imported } = await runImport(rows, (r) => {
      const decl = declarationFromRow(r, actor.province);
      assertPlaceInScope(scope, decl);
      return decl;
    }, (decl) => void parsed.push(decl), (fn) => fn());
    const at = this.d.clock();
    const changed = await this.d.repo.transaction(async () => {
      let n = 0;
      for (const decl of parsed) if (await this.d.repo.upsert(decl, at, actor.username)) n++;
      return n;
    });
    return { imported, changed };
  }

  /** The arrivals the reader's area must follow up, newest entry first. */
  async list(actor: Actor, q: ListQuery): Promise<ArrivalRow[]> {
    const query = await this.query(actor, q.province, q.days);
    return this.d.repo.list(query, q.show, q.limit);
  }

  /** Per commune of the reader's area: arrivals, those not followed up, and those overdue after `hours`. */
  async summary(actor: Actor, q: SummaryQuery): Promise<{ province: number; hours: number; levels: number[]; communes: CommuneCount[] }> {
    const query = await this.query(actor, q.province, q.days);
    const communes = await this.d.repo.countByCommune(query, this.d.clock() - q.hours * HOUR);
    return { province: query.scope.province, hours: q.hours, levels: [...query.levels], communes };
  }

  /** The commune's follow-up: contacted and monitored, or not found; with who, when and a note. */
  async setOutcome(actor: Actor, id: number, outcome: Outcome, note: string | null, days = MAX_DAYS): Promise<ArrivalRow> {
    const query = await this.query(actor, undefined, days);
    return this.d.repo.transaction(async () => {
      const [arrival] = await this.d.repo.list(query, 'all', 1, id);
      if (!arrival) throw new NotFoundError(`arrival ${id} not found in the reader's area`, 'Không tìm thấy người về này trong địa bàn của bạn');
      const text = note?.trim() || null;
      const at = this.d.clock();
      await this.d.repo.setOutcome(arrival.id, arrival.citizenId, outcome, text, actor.username, at);
      return { ...arrival, outcome, outcomeNote: text, outcomeBy: actor.username, outcomeAt: at };
    });
  }

  private parse(values: Record<string, unknown>, province: number): Declaration {
    try {
      return declarationFromRow({ row: 1, line: null, values }, province);
    } catch (err) {
      if (!(err instanceof RowInvalidError)) throw err;
      const fields = err.errors.map((e) => ({ field: e.column, message: e.message, messageVi: e.messageVi }));
      throw new ValidationError(err.message, err.errors.map((e) => e.messageVi).join('; '), { fields });
    }
  }

  private async query(actor: Actor, province: number | undefined, days: number): Promise<ArrivalQuery> {
    const scope: Scope = scopeOf(actor);
    const f = scopeFilter(scope);
    const target = f.province ?? province;
    if (target === undefined) {
      throw new ValidationError('province: a national reader names the province', 'Tỉnh/thành phố: cần chọn tỉnh', { field: 'province' });
    }
    if (province !== undefined) assertPlaceInScope(scope, { province, district: f.district, commune: f.commune });
    const policy = await this.d.policyOf(target);
    return {
      scope: { ...f, province: target },
      levels: monitoredLevels(policy),
      declaredSince: this.d.clock() - days * DAY,
      before: ENTRY_BEFORE_DECLARATION_MS,
      after: policy.maxDeclarationAgeHours * HOUR,
    };
  }
}
