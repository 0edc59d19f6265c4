// The tablet's or laptop's camera as a QR reader on the officer screen: getUserMedia, frames decoded
// continuously with jsQR (served by the station, never a CDN), each new code posted to the station as
// a read of this screen's `camera` scanner. A code held in front of the camera is posted once: the
// same text again is dropped until it has been out of sight for the debounce window (the station
// debounces too). getUserMedia needs a secure context: http://localhost, or HTTPS (see the README).

const TEXT = {
  title: { vi: 'Camera quét mã', en: 'Camera scanner' },
  start: { vi: 'Bật camera', en: 'Start camera' },
  stop: { vi: 'Tắt camera', en: 'Stop camera' },
  torchOn: { vi: 'Bật đèn', en: 'Torch on' },
  torchOff: { vi: 'Tắt đèn', en: 'Torch off' },
  looking: { vi: 'Đang tìm mã QR…', en: 'Looking for a QR code…' },
  read: { vi: 'Đã đọc mã, chờ kết quả', en: 'Code read, waiting for the verdict' },
  off: { vi: 'Camera đang tắt', en: 'Camera is off' },
  denied: { vi: 'Không được phép dùng camera', en: 'Camera permission refused' },
  insecure: { vi: 'Camera cần HTTPS hoặc localhost', en: 'The camera needs HTTPS or localhost' },
  failed: { vi: 'Không mở được camera', en: 'The camera could not be opened' },
};
const lang = () => (localStorage.getItem('lang') === 'en' ? 'en' : 'vi');
const say = (key) => TEXT[key][lang()];

function loadJsQR() {
  if (window.jsQR) return Promise.resolve(window.jsQR);
  return new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/vendor/jsqr.js';
    s.onload = () => resolve(window.jsQR);
    s.onerror = () => reject(new Error('jsQR did not load'));
    document.head.append(s);
  });
}

/** Same text within `windowMs` of its last sighting is a repeat; each sighting restarts the window. */
export function repeatFilter(windowMs) {
  const seen = new Map();
  return (text, now) => {
    const last = seen.get(text);
    seen.set(text, now);
    for (const [k, t] of seen) if (now - t > windowMs) seen.delete(k);
    return last === undefined || now - last >= windowMs;
  };
}

/**
 * Mount the camera panel for `scanner` into `parent`; `send(text)` posts a read, `report(state,
 * detail)` the reader's state. Starts the camera at once (the officer can stop it).
 */
export function mountCamera(parent, scanner, { send, report }) {
  const panel = document.createElement('section');
  panel.className = 'camera-panel';
  panel.dataset.cameraState = 'off';
  panel.innerHTML = `<h2></h2><video playsinline muted></video><p class="camera-status" aria-live="polite"></p>
    <div class="camera-buttons"><button type="button" class="camera-toggle"></button><button type="button" class="camera-torch ghost" hidden></button></div>`;
  parent.append(panel);
  const video = panel.querySelector('video');
  const status = panel.querySelector('.camera-status');
  const toggle = panel.querySelector('.camera-toggle');
  const torchBtn = panel.querySelector('.camera-torch');
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  const fresh = repeatFilter(scanner.debounceMs);
  let stream = null;
  let torch = false;
  let statusKey = 'off';

  const show = (key) => {
    statusKey = key;
    status.textContent = say(key);
    panel.querySelector('h2').textContent = `${say('title')} · ${scanner.lane}`;
    toggle.textContent = say(stream ? 'stop' : 'start');
    torchBtn.textContent = say(torch ? 'torchOff' : 'torchOn');
  };

  async function start() {
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) {
      report('error', 'insecure context');
      return show('insecure');
    }
    let jsQR;
    try {
      jsQR = await loadJsQR();
      stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: scanner.facing, width: { ideal: 1280 } }, audio: false });
    } catch (err) {
      stream = null;
      report('error', String(err?.name ?? err));
      panel.dataset.cameraState = 'error';
      return show(err?.name === 'NotAllowedError' ? 'denied' : 'failed');
    }
    video.srcObject = stream;
    await video.play().catch(() => {});
    const track = stream.getVideoTracks()[0];
    torchBtn.hidden = !track?.getCapabilities?.().torch;
    panel.dataset.cameraState = 'on';
    report('connected');
    show('looking');
    decodeLoop(jsQR, stream);
  }

  function stop() {
    for (const t of stream?.getTracks() ?? []) t.stop();
    stream = null;
    torch = false;
    torchBtn.hidden = true;
    video.srcObject = null;
    panel.dataset.cameraState = 'off';
    report('error', 'camera stopped on the screen');
    show('off');
  }

  function decodeLoop(jsQR, own) {
    const step = () => {
      if (stream !== own) return;
      if (video.readyState >= 2 && video.videoWidth) {
        // A frame no wider than 800 px: enough for a QR at arm's length, and fast to scan.
        const scale = Math.min(1, 800 / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        ctx.drawImage(video, 0, 0, canvas.width, canvas.height);
        const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
        const code = jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' });
        if (code?.data && fresh(code.data, performance.now())) {
          send(code.data);
          show('read');
          setTimeout(() => statusKey === 'read' && stream === own && show('looking'), 1500);
        }
      }
      if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(step);
      else requestAnimationFrame(step);
    };
    step();
  }

  toggle.addEventListener('click', () => (stream ? stop() : start()));
  torchBtn.addEventListener('click', async () => {
    const track = stream?.getVideoTracks()[0];
    if (!track) return;
    try {
      await track.applyConstraints({ advanced: [{ torch: !torch }] });
      torch = !torch;
    } catch {
      torchBtn.hidden = true;
    }
    show(statusKey);
  });
  document.getElementById('lang-toggle')?.addEventListener('click', () => show(statusKey));
  show('off');
  void start();
  return { start, stop };
}
