import type { ZoneLevelItem } from '../contracts/feed.js';

/** Where and in which circumstances a scan is decided. */
export interface StationContext {
  checkpointId: number;
  province: number;
  lane: string;
  direction: 'entry' | 'exit';
  /** when the local cache was last brought up to date with the server; null if never */
  cacheSyncedAt: number | null;
}

export type ZoneLevels = (zone: string) => ZoneLevelItem['level'] | null;

/** A district's level, else its province's level. */
export function zoneLevelOf(levels: ZoneLevels, zone: string | null | undefined): number | null {
  if (!zone) return null;
  return levels(zone) ?? (zone.length > 2 ? levels(zone.slice(0, 2)) : null);
}
