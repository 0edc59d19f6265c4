// Notices for the command center (an F0/F1 turned back, a clone, a chain break, a station gone
// silent): polled while signed in, each new one shown, counted on the menu and announced by a sound,
// so people who are not watching the page still hear it. The list view shows the latest ones.
import { api } from './api.js';
import { fill, h, table } from './dom.js';
import { L, fmtTime } from './i18n.js';

const POLL_MS = 5000;
const KIND = {
  F0_F1_TURNED_BACK: ['F0/F1 bị chặn tại chốt', 'F0/F1 turned back'], CLONE: ['Nghi sao chép mã', 'Suspected clone'],
  CHAIN_BREAK: ['Nhật ký trạm bị đứt', 'Journal chain break'], SEQ_CONFLICT: ['Trùng số thứ tự', 'Sequence conflict'],
  INVALID_RECORD: ['Bản ghi không hợp lệ', 'Invalid record'], STATION_SILENT: ['Trạm mất liên lạc', 'Station silent'],
};
export const noticeKind = (k) => (KIND[k] ? L(...KIND[k]) : k);

const seen = [];
let last = 0;
let unread = 0;
let timer = null;
const listeners = new Set();

/** Two short tones: heard across a room, not alarming. WebAudio is allowed after the sign-in click. */
function chime() {
  try {
    const ctx = new AudioContext();
    [880, 660].forEach((f, i) => {
      const o = ctx.createOscillator();
      const g = ctx.createGain();
      o.frequency.value = f;
      g.gain.value = 0.15;
      o.connect(g).connect(ctx.destination);
      o.start(ctx.currentTime + i * 0.25);
      o.stop(ctx.currentTime + i * 0.25 + 0.2);
    });
    setTimeout(() => void ctx.close(), 1000);
  } catch {
    // no audio device: the list and the counter still show it
  }
}

async function poll(onNew) {
  try {
    const r = await api('GET', `/api/v1/notifications?after=${last}`);
    if (r.items.length) {
      seen.push(...r.items);
      seen.splice(0, Math.max(0, seen.length - 200));
      unread += r.items.length;
      chime();
      onNew(r.items);
      for (const fn of listeners) fn();
    }
    last = r.last;
  } catch {
    // signed out or offline: try again later
  }
  timer = setTimeout(() => void poll(onNew), POLL_MS);
}

/** Start polling for a signed-in user whose role gets notices; `onNew(items)` shows them. */
export function startNotices(user, onNew) {
  stopNotices();
  if (!['command', 'admin'].includes(user.role)) return;
  void poll(onNew);
}

export function stopNotices() {
  clearTimeout(timer);
  timer = null;
  seen.length = 0;
  last = 0;
  unread = 0;
}

export const unreadCount = () => unread;

export async function renderNotices(main, ctx) {
  unread = 0;
  const box = h('div', { 'data-testid': 'notices' });
  const draw = () => fill(box, table([
    [L('Thời điểm (giờ Việt Nam)', 'Time (Vietnam)'), (n) => fmtTime(n.at)],
    [L('Loại', 'Kind'), (n) => noticeKind(n.kind)],
    [L('Nội dung', 'What happened'), (n) => L(n.messageVi, n.message)],
  ], [...seen].reverse(), { empty: L('Chưa có cảnh báo mới từ khi đăng nhập.', 'No new alerts since you signed in.'), rowClass: (n) => (n.kind === 'F0_F1_TURNED_BACK' || n.kind === 'CLONE' ? 'bad' : 'warn') }));
  listeners.add(draw);
  ctx.onLeave(() => listeners.delete(draw));
  draw();
  fill(main, h('h1', {}, L('Cảnh báo', 'Alerts')),
    h('p', { class: 'muted' }, L('Cảnh báo mới được báo bằng âm thanh và hiện ở góc màn hình; danh sách giữ 200 cảnh báo gần nhất.', 'New alerts sound and show in the corner; the list keeps the latest 200.')), box);
}
