import type { PassIdentity } from '../../../shared/codes/pass-ref.js';
import type { PassFacts, PersonFacts } from '../../../shared/contracts/feed.js';
import type { SqlClient } from '../../db/sql-client.js';

export type ZoneLevelValue = 1 | 2 | 3 | 4;

/** The central facts the online check reads: the same feed items stations cache, as stored. */
export interface OnlineFactsRepository {
  pass(id: PassIdentity): Promise<PassFacts | null>;
  person(citizenId: string): Promise<PersonFacts | null>;
  /** every zone's level (a few hundred rows): `decide` asks for levels synchronously */
  zoneLevels(): Promise<Map<string, ZoneLevelValue>>;
}

export class SqlOnlineFactsRepository implements OnlineFactsRepository {
  constructor(private readonly client: SqlClient) {}

  async pass(id: PassIdentity): Promise<PassFacts | null> {
    const row = await this.client.get<{ item: string }>('SELECT item FROM passes WHERE id = ? AND issuing_province = ?', [id.passId, id.issuingProvince]);
    return row ? (JSON.parse(row.item) as PassFacts) : null;
  }

  async person(citizenId: string): Promise<PersonFacts | null> {
    const row = await this.client.get<{ item: string }>('SELECT item FROM people WHERE citizen_id = ?', [citizenId]);
    return row ? (JSON.parse(row.item) as PersonFacts) : null;
  }

  async zoneLevels(): Promise<Map<string, ZoneLevelValue>> {
    const rows = await this.client.all<{ zone: string; level: number }>('SELECT zone, level FROM zones');
    return new Map(rows.map((r) => [r.zone, r.level as ZoneLevelValue]));
  }
}
