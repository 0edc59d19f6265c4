import fp from 'fastify-plugin';
import { UnauthorizedError, ValidationError } from '../../domain-errors.js';
import type { AccessLogService, Reader } from '../access-log/service.js';
import type { HealthDataService } from '../health/service.js';
import type { PassService } from '../passes/service.js';
import { contactList, type ContactList, type ContactLookups } from './contacts.js';
import type { AuditService, TraceSubject } from './service.js';

export const MAX_FLAG = 500;

/**
 * Tracing's next step: the contact list of a case (trace rows grouped into people and vehicles with
 * names and phones), and flagging chosen contacts F1 in one act recorded with who and why. Reads of
 * names and phones are written to the access log with whose data was read.
 */
export class ContactsService {
  constructor(private readonly d: { audit: AuditService; health: HealthDataService; passes: PassService; accessLog: AccessLogService }) {}

  async list(reader: Reader, subject: Exclude<TraceSubject, { passId: number }>, windowMinutes: number, range: { from?: number; to?: number }): Promise<ContactList> {
    const actor = reader.user;
    if (!actor) throw new UnauthorizedError('tracing needs a signed-in person', 'Cần đăng nhập');
    const trace = await this.d.audit.trace(reader, subject, windowMinutes, range);
    const look: ContactLookups = {
      person: async (id) => {
        try {
          const p = await this.d.health.get(id);
          return { name: p.name, phone: p.phone, status: p.status };
        } catch {
          return null;
        }
      },
      pass: async (id) => {
        try {
          const p = await this.d.passes.get(actor, id);
          return { plate: p.plate, company: p.company, crew: p.crew.map((c) => ({ citizenId: c.citizenId, name: c.name, phone: c.phone ?? null })) };
        } catch {
          return null; // another province's pass: its crew is not this reader's to see
        }
      },
    };
    const list = await contactList(trace, subject, look);
    const subjectType = 'citizenId' in subject ? 'person' : 'vehicle';
    const subjectId = 'citizenId' in subject ? subject.citizenId : subject.plate;
    await this.d.accessLog.record(reader, { action: 'trace.contacts', subjectType, subjectId });
    // whose names and phones were shown, each by itself, so a person can ask who read about them
    for (const p of list.people) await this.d.accessLog.record(reader, { action: 'trace.contact-shown', subjectType: 'person', subjectId: p.citizenId });
    return list;
  }

  /** Flag the chosen contacts F1; those the health authority does not know yet are named from the list. */
  async flagF1(reader: Reader, input: { citizenIds: string[]; reason: string; caseCitizenId?: string | undefined; names?: Record<string, { name: string; phone: string | null }> | undefined }) {
    const actor = reader.user;
    if (!actor) throw new UnauthorizedError('flagging needs a signed-in person', 'Cần đăng nhập');
    const ids = [...new Set(input.citizenIds)];
    if (ids.length === 0 || ids.length > MAX_FLAG) throw new ValidationError(`choose 1 to ${MAX_FLAG} people`, `Chọn từ 1 đến ${MAX_FLAG} người`);
    const why = input.caseCitizenId ? `${input.reason} (truy vết từ ca ${input.caseCitizenId})` : input.reason;
    const people = ids.map((citizenId) => ({ citizenId, name: input.names?.[citizenId]?.name ?? null, phone: input.names?.[citizenId]?.phone ?? null }));
    // awaited one by one: the health service answers a Promise once it is on the async layer, and a Promise is always truthy
    let missingName: (typeof people)[number] | undefined;
    for (const p of people) {
      if (p.name === null && !(await this.known(p.citizenId))) {
        missingName = p;
        break;
      }
    }
    if (missingName) {
      throw new ValidationError(`person ${missingName.citizenId} is not known: give a name`, `Người có số CCCD ${missingName.citizenId} chưa có trong dữ liệu y tế: cần họ tên`);
    }
    const result = await this.d.health.flagF1({ username: actor.username }, people, why);
    for (const id of ids) await this.d.accessLog.record(reader, { action: 'health.flag-f1', subjectType: 'person', subjectId: id });
    return result;
  }

  private async known(citizenId: string): Promise<boolean> {
    try {
      await this.d.health.get(citizenId);
      return true;
    } catch {
      return false;
    }
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    readonly contacts: ContactsService;
  }
}

export default fp(
  async (app) => {
    app.decorate('contacts', new ContactsService({ audit: app.audit, health: app.healthData, passes: app.passes, accessLog: app.accessLog }));
  },
  { name: 'contacts', fastify: '5.x', dependencies: ['audit', 'passes', 'health-data', 'access-log'] },
);
