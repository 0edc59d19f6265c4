import type { Trace } from './service.js';
import type { CrossingRow } from './repository.js';

/**
 * A trace as a tracer works from it: each distinct person and vehicle once, with name, phone and how
 * they met the case (same vehicle, or the same lane within the window), when and where. Built from
 * the raw trace rows and two look-ups (the health authority's people, the transport passes), so it
 * holds no rules of its own about who is a contact beyond grouping.
 */
export type Relation = 'same-vehicle' | 'same-lane';

export interface Meeting {
  how: Relation;
  at: number;
  checkpointId: number;
  stationId: string;
  lane: string;
  plate: string | null;
}

export interface ContactPerson {
  citizenId: string;
  name: string | null;
  phone: string | null;
  status: 'NONE' | 'F0' | 'F1' | null;
  /** driver/assistant when a pass they travelled on names them */
  role: 'driver' | 'assistant' | 'person';
  meetings: Meeting[];
  firstAt: number;
  lastAt: number;
  /** the closest relation among the meetings: same vehicle before same lane */
  closest: Relation;
}

export interface ContactVehicle {
  plate: string;
  passId: number | null;
  company: string | null;
  crew: { citizenId: string; name: string; phone: string | null }[];
  meetings: Meeting[];
  firstAt: number;
  lastAt: number;
  closest: Relation;
}

export interface ContactList {
  people: ContactPerson[];
  vehicles: ContactVehicle[];
  truncated: boolean;
}

type KnownPerson = { name: string; phone: string | null; status: 'NONE' | 'F0' | 'F1' };
type KnownPass = { plate: string; company: string | null; crew: { citizenId: string; name: string; phone: string | null }[] };

export interface ContactLookups {
  person(citizenId: string): Promise<KnownPerson | null>;
  pass(passId: number): Promise<KnownPass | null>;
}

const meetingOf = (how: Relation, r: CrossingRow): Meeting => ({ how, at: r.at, checkpointId: r.checkpointId, stationId: r.stationId, lane: r.lane, plate: r.plate });

// One passage, one meeting: a vehicle's pass scan, its crew's scans and its closing record are seconds
// apart, and the same rows come back both as co-travellers and as same-lane neighbours.
const PASSAGE_MS = 60_000;
function addMeeting(list: Meeting[], m: Meeting): void {
  if (!list.some((x) => x.stationId === m.stationId && x.lane === m.lane && Math.abs(x.at - m.at) < PASSAGE_MS)) list.push(m);
}

/** The passes and people a trace names, looked up once each before the list is built. */
async function lookUp(trace: Trace, look: ContactLookups): Promise<{ passOf: (id: number | null) => KnownPass | null; person: (id: string) => KnownPerson | null }> {
  const rows = [...trace.crossings, ...trace.coTravellers, ...trace.nearbyVehicles];
  const passIds = [...new Set(rows.flatMap((r) => (r.passId === null ? [] : [r.passId])))];
  const passes = new Map(await Promise.all(passIds.map(async (id) => [id, await look.pass(id)] as const)));
  const citizenIds = new Set(rows.flatMap((r) => (r.citizenId === null ? [] : [r.citizenId])));
  for (const p of passes.values()) p?.crew.forEach((c) => citizenIds.add(c.citizenId));
  const people = new Map(await Promise.all([...citizenIds].map(async (id) => [id, await look.person(id)] as const)));
  return { passOf: (id) => (id === null ? null : passes.get(id) ?? null), person: (id) => people.get(id) ?? null };
}

export async function contactList(trace: Trace, subject: { citizenId?: string; plate?: string }, lookups: ContactLookups): Promise<ContactList> {
  const people = new Map<string, ContactPerson>();
  const vehicles = new Map<string, ContactVehicle>();
  const look = await lookUp(trace, lookups);
  const passOf = look.passOf;
  // crew named on the passes seen, for names of people the health authority does not know
  const crewOf = new Map<string, { name: string; phone: string | null; role: 'driver' | 'assistant' }>();
  const noteCrew = (passId: number | null) => passOf(passId)?.crew.forEach((c, i) => crewOf.set(c.citizenId, { name: c.name, phone: c.phone, role: i === 0 ? 'driver' : 'assistant' }));
  for (const r of [...trace.crossings, ...trace.coTravellers, ...trace.nearbyVehicles]) noteCrew(r.passId);

  const addPerson = (how: Relation, r: CrossingRow) => {
    const id = r.citizenId;
    if (!id || id === subject.citizenId) return;
    const m = meetingOf(how, r);
    const cur = people.get(id);
    if (cur) {
      addMeeting(cur.meetings, m);
      cur.firstAt = Math.min(cur.firstAt, r.at);
      cur.lastAt = Math.max(cur.lastAt, r.at);
      if (how === 'same-vehicle') cur.closest = 'same-vehicle';
      return;
    }
    const known = look.person(id);
    const crew = crewOf.get(id);
    people.set(id, {
      citizenId: id, name: known?.name ?? crew?.name ?? null, phone: known?.phone ?? crew?.phone ?? null, status: known?.status ?? null,
      role: crew?.role ?? 'person', meetings: [m], firstAt: r.at, lastAt: r.at, closest: how,
    });
  };
  const addVehicle = (how: Relation, r: CrossingRow) => {
    if (!r.plate || r.plate === subject.plate) return;
    const m = meetingOf(how, r);
    const cur = vehicles.get(r.plate);
    if (cur) {
      addMeeting(cur.meetings, m);
      cur.firstAt = Math.min(cur.firstAt, r.at);
      cur.lastAt = Math.max(cur.lastAt, r.at);
      if (how === 'same-vehicle') cur.closest = 'same-vehicle';
      cur.passId ??= r.passId;
      return;
    }
    const pass = passOf(r.passId);
    vehicles.set(r.plate, {
      plate: r.plate, passId: r.passId, company: pass?.company ?? null, crew: pass?.crew ?? [], meetings: [m], firstAt: r.at, lastAt: r.at, closest: how,
    });
  };

  for (const r of trace.coTravellers) (addPerson('same-vehicle', r), addVehicle('same-vehicle', r));
  // the subject's own vehicle is a contact of a person traced
  for (const r of trace.crossings) if (subject.citizenId) addVehicle('same-vehicle', r);
  for (const r of trace.nearbyVehicles) (addPerson('same-lane', r), addVehicle('same-lane', r));
  // a nearby vehicle's crew met the case in the lane even if their own scans fell outside the window
  for (const v of vehicles.values()) {
    if (v.closest !== 'same-lane') continue;
    for (const c of v.crew) {
      if (c.citizenId === subject.citizenId || people.has(c.citizenId)) continue;
      const known = look.person(c.citizenId);
      const first = v.meetings[0]!;
      people.set(c.citizenId, {
        citizenId: c.citizenId, name: known?.name ?? c.name, phone: known?.phone ?? c.phone, status: known?.status ?? null,
        role: crewOf.get(c.citizenId)?.role ?? 'person', meetings: [first], firstAt: v.firstAt, lastAt: v.lastAt, closest: 'same-lane',
      });
    }
  }
  const order = <T extends { closest: Relation; firstAt: number }>(a: T, b: T) =>
    (a.closest === b.closest ? 0 : a.closest === 'same-vehicle' ? -1 : 1) || a.firstAt - b.firstAt;
  return { people: [...people.values()].sort(order), vehicles: [...vehicles.values()].sort(order), truncated: trace.truncated };
}
