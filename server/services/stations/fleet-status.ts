import type { Heartbeat } from '../../../shared/contracts/heartbeat.js';
import type { StationRecord } from './repository.js';

export interface StationWarning {
  code: 'NO_HEARTBEAT' | 'HEARTBEAT_STALE' | 'CLOCK_SKEW' | 'CHAIN_BREAK' | 'SEQ_CONFLICT' | 'CLONE' | 'INVALID_RECORD' | 'SCANNER_UNPLUGGED' | 'SCANNER_ERROR' | 'DISABLED';
  message: string;
  messageVi: string;
}

export interface StationStatus {
  stationId: string;
  checkpointId: number;
  name: string;
  province: number;
  latitude: number | null;
  longitude: number | null;
  lanes: StationRecord['lanes'];
  disabled: boolean;
  softwareVersion: string | null;
  lastHeartbeatAt: number | null;
  heartbeatAgeMs: number | null;
  clockSkewMs: number | null;
  cacheCursor: number | null;
  /** the cache's age now: as reported, plus the time since the heartbeat */
  cacheAgeMs: number | null;
  outboxBacklog: number | null;
  lastSeq: number | null;
  ackedSeq: number;
  scanners: Heartbeat['scanners'];
  openAlerts: Record<string, number>;
  warnings: StationWarning[];
}

export interface FleetThresholds {
  heartbeatStaleMs: number;
  clockSkewWarnMs: number;
}

const minutes = (ms: number) => Math.round(ms / 60_000);

/** A pure view of one station's health for the command center; `now` is the server's clock. */
export function stationStatus(s: StationRecord, openAlerts: Record<string, number>, now: number, t: FleetThresholds): StationStatus {
  const hb = s.heartbeat as Heartbeat | null;
  const age = s.lastHeartbeatAt === null ? null : now - s.lastHeartbeatAt;
  const warnings: StationWarning[] = [];
  if (s.disabled) warnings.push({ code: 'DISABLED', message: 'station credential disabled', messageVi: 'Trạm đã bị vô hiệu hóa' });
  if (age === null) warnings.push({ code: 'NO_HEARTBEAT', message: 'no heartbeat yet', messageVi: 'Chưa nhận được tín hiệu từ trạm' });
  else if (age > t.heartbeatStaleMs) {
    warnings.push({ code: 'HEARTBEAT_STALE', message: `last heartbeat ${minutes(age)} min ago`, messageVi: `Tín hiệu cuối cách đây ${minutes(age)} phút` });
  }
  if (s.clockSkewMs !== null && Math.abs(s.clockSkewMs) > t.clockSkewWarnMs) {
    const dir = s.clockSkewMs > 0 ? 'behind' : 'ahead of';
    const dirVi = s.clockSkewMs > 0 ? 'chậm hơn' : 'nhanh hơn';
    warnings.push({ code: 'CLOCK_SKEW', message: `station clock ${minutes(Math.abs(s.clockSkewMs))} min ${dir} the server`, messageVi: `Đồng hồ trạm ${dirVi} máy chủ ${minutes(Math.abs(s.clockSkewMs))} phút` });
  }
  if (openAlerts.CHAIN_BREAK) warnings.push({ code: 'CHAIN_BREAK', message: `${openAlerts.CHAIN_BREAK} journal chain break(s)`, messageVi: `${openAlerts.CHAIN_BREAK} lỗi chuỗi nhật ký (bản ghi bị sửa hoặc thiếu)` });
  if (openAlerts.SEQ_CONFLICT) warnings.push({ code: 'SEQ_CONFLICT', message: `${openAlerts.SEQ_CONFLICT} conflicting record(s)`, messageVi: `${openAlerts.SEQ_CONFLICT} bản ghi xung đột` });
  if (openAlerts.INVALID_RECORD) warnings.push({ code: 'INVALID_RECORD', message: `${openAlerts.INVALID_RECORD} invalid record(s) kept aside`, messageVi: `${openAlerts.INVALID_RECORD} bản ghi không hợp lệ đã được lưu riêng` });
  if (openAlerts.CLONE) warnings.push({ code: 'CLONE', message: `${openAlerts.CLONE} possible cloned pass(es)`, messageVi: `${openAlerts.CLONE} nghi vấn mã bị sao chép` });
  for (const sc of hb?.scanners ?? []) {
    if (sc.state === 'unplugged') warnings.push({ code: 'SCANNER_UNPLUGGED', message: `scanner ${sc.id} (lane ${sc.lane}) unplugged`, messageVi: `Máy quét ${sc.id} (làn ${sc.lane}) bị rút` });
    if (sc.state === 'error') warnings.push({ code: 'SCANNER_ERROR', message: `scanner ${sc.id} (lane ${sc.lane}) in error`, messageVi: `Máy quét ${sc.id} (làn ${sc.lane}) bị lỗi` });
  }
  return {
    stationId: s.stationId,
    checkpointId: s.checkpointId,
    name: s.name,
    province: s.province,
    latitude: s.latitude,
    longitude: s.longitude,
    lanes: s.lanes,
    disabled: s.disabled,
    softwareVersion: hb?.softwareVersion ?? null,
    lastHeartbeatAt: s.lastHeartbeatAt,
    heartbeatAgeMs: age,
    clockSkewMs: s.clockSkewMs,
    cacheCursor: hb?.cacheCursor ?? null,
    cacheAgeMs: hb?.cacheAgeMs === null || hb?.cacheAgeMs === undefined || age === null ? null : hb.cacheAgeMs + age,
    outboxBacklog: hb?.outboxBacklog ?? null,
    lastSeq: hb?.lastSeq ?? null,
    ackedSeq: s.ackedSeq,
    scanners: hb?.scanners ?? [],
    openAlerts,
    warnings,
  };
}
