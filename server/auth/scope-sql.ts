import { and, eq, type Column, type SQL } from 'drizzle-orm';
import type { ScopeFilter } from './scope.js';

/**
 * The one translation of a reader's scope into SQL, for the repositories. A checkpoint's district and
 * commune live on its station row; journal rows and alerts reach them through their station.
 */

/** drizzle conditions on a table (SQLite's or PostgreSQL's) that carries province (and, for stations, district and commune). */
export function scopeWhere(f: ScopeFilter, cols: { province: Column; district?: Column; commune?: Column }): SQL | undefined {
  const parts: SQL[] = [];
  if (f.province !== null) parts.push(eq(cols.province, f.province));
  if (f.district !== null) parts.push(cols.district ? eq(cols.district, f.district) : eq(cols.province, -1));
  if (f.commune !== null) parts.push(cols.commune ? eq(cols.commune, f.commune) : eq(cols.province, -1));
  return parts.length > 0 ? and(...parts) : undefined;
}

/**
 * Raw SQL for rows tied to a station (journal `j`, alerts): `provinceCol` is the row's province column
 * and `stationCol` its station id. Named parameters start with `scope` so they never meet a query's own.
 */
export function stationScopeSql(f: ScopeFilter, provinceCol: string, stationCol: string): { sql: string; params: Record<string, string | number> } {
  const parts: string[] = [];
  const params: Record<string, string | number> = {};
  if (f.province !== null) {
    parts.push(`${provinceCol} = @scopeProvince`);
    params.scopeProvince = f.province;
  }
  if (f.district !== null) {
    const commune = f.commune !== null ? ' AND commune = @scopeCommune' : '';
    parts.push(`${stationCol} IN (SELECT station_id FROM stations WHERE province = @scopeProvince AND district = @scopeDistrict${commune})`);
    params.scopeDistrict = f.district;
    if (f.commune !== null) params.scopeCommune = f.commune;
  }
  return { sql: parts.length > 0 ? parts.join(' AND ') : '1 = 1', params };
}
