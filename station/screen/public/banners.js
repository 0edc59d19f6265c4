// Loud banners for what stops a lane working: a scanner unplugged, the server gone too long, the
// cache stale past policy. Each says what it means for the officer, in words.
import { fill, h } from './dom.js';
import { ageText, t } from './i18n.js';

export function currentBanners(S) {
  const st = S.status;
  if (!st) return [];
  const lang = S.lang;
  const now = S.now();
  const out = [];
  const lanes = new Map();
  for (const s of st.scanners) lanes.set(s.lane, [...(lanes.get(s.lane) ?? []), s]);
  for (const [lane, scanners] of lanes) {
    if (S.laneFilter && lane !== S.laneFilter) continue;
    if (scanners.every((s) => s.state !== 'connected')) out.push({ kind: 'scanner', lane, text: t('bannerScanner', lang, { lane }) });
  }
  const srv = st.server;
  if (srv.state === 'credential-rejected') out.push({ kind: 'server', text: t('bannerCredential', lang) });
  if (srv.state === 'unreachable') {
    S.unreachableSince ??= now;
    const since = srv.lastContactAt ?? S.unreachableSince;
    if (now - since >= (S.meta?.serverAlertMs ?? 120_000)) out.push({ kind: 'server', text: t('bannerServer', lang, { age: ageText(now - since, lang) }) });
  } else S.unreachableSince = null;
  if (srv.state !== 'not-configured' || st.cacheSyncedAt !== null) {
    const age = st.cacheSyncedAt === null ? null : now - st.cacheSyncedAt;
    if (age === null) out.push({ kind: 'cache', text: t('bannerCacheNever', lang) });
    else if (age > (S.meta?.cacheStaleMs ?? 24 * 3_600_000)) out.push({ kind: 'cache', text: t('bannerCache', lang, { age: ageText(age, lang) }) });
  }
  return out;
}

export function renderBanners(S) {
  const list = currentBanners(S);
  const key = list.map((b) => b.text).join('|');
  const root = document.getElementById('banners');
  if (root.dataset.key === key) return;
  root.dataset.key = key;
  fill(root, list.map((b) => h('div', { class: `banner loud ${b.kind}`, role: 'alert', dataset: { banner: b.kind, lane: b.lane ?? '' } }, `⚠ ${b.text}`)));
}
