import type Database from 'better-sqlite3';
import type { PassIdentity } from '../../../shared/codes/pass-ref.js';
import type { PassFacts, PersonFacts } from '../../../shared/contracts/feed.js';

/** The central facts the online check reads: the same feed items stations cache, as stored. */
export interface OnlineFactsRepository {
  pass(id: PassIdentity): PassFacts | null;
  person(citizenId: string): PersonFacts | null;
  zoneLevel(zone: string): 1 | 2 | 3 | 4 | null;
}

export class SqliteOnlineFactsRepository implements OnlineFactsRepository {
  private readonly passStmt: Database.Statement<[number, number], { item: string }>;
  private readonly personStmt: Database.Statement<[string], { item: string }>;
  private readonly zoneStmt: Database.Statement<[string], { level: number }>;

  constructor(db: Database.Database) {
    this.passStmt = db.prepare('SELECT item FROM passes WHERE id = ? AND issuing_province = ?');
    this.personStmt = db.prepare('SELECT item FROM people WHERE citizen_id = ?');
    this.zoneStmt = db.prepare('SELECT level FROM zones WHERE zone = ?');
  }

  pass(id: PassIdentity): PassFacts | null {
    const row = this.passStmt.get(id.passId, id.issuingProvince);
    return row ? (JSON.parse(row.item) as PassFacts) : null;
  }

  person(citizenId: string): PersonFacts | null {
    const row = this.personStmt.get(citizenId);
    return row ? (JSON.parse(row.item) as PersonFacts) : null;
  }

  zoneLevel(zone: string): 1 | 2 | 3 | 4 | null {
    const row = this.zoneStmt.get(zone);
    return row ? (row.level as 1 | 2 | 3 | 4) : null;
  }
}
