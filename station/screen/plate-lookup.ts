import type { PassFacts } from '../../shared/contracts/feed.js';
import type { StationStore } from '../store/store.js';

const identity = (p: PassFacts) => `${p.issuingProvince}/${p.passId}`;

/**
 * The officer's plate lookup: a whole plate or its start by the plate-key index; a part inside a plate
 * ("12345" without its province and series) by walking the cache in slices, yielding between slices so
 * that scans arriving meanwhile are decided without waiting for the whole walk (this runs on the
 * station's deciding thread).
 */
export async function lookupPlate(
  store: Pick<StationStore, 'passesByPlate' | 'passesWithPlateInside'>,
  plate: string,
  limit = 20,
  span = 5_000,
): Promise<PassFacts[]> {
  const out = store.passesByPlate(plate, limit);
  if (out.length >= limit || plate.replace(/[^0-9A-Za-z]/g, '').length < 3) return out;
  const seen = new Set(out.map(identity));
  let from = 0;
  for (;;) {
    const { passes, next } = store.passesWithPlateInside(plate, from, span, limit - out.length);
    for (const p of passes) {
      if (seen.has(identity(p))) continue;
      seen.add(identity(p));
      out.push(p);
    }
    if (out.length >= limit || next === null) return out;
    from = next;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
