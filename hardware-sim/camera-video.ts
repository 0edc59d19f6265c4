import { open } from 'node:fs/promises';
import QRCode from 'qrcode';

export interface QrVideoOptions {
  width?: number;
  height?: number;
  fps?: number;
  /** frames each code is held in front of the camera (default: one second's worth) */
  framesPerCode?: number;
  /** blank frames before each code (the camera looking at nothing) */
  blankFrames?: number;
  /** size of one QR module in pixels (default: as large as fits) */
  moduleSize?: number;
}

const WHITE = 235; // Y of white in video range
const BLACK = 16;

/** The luma plane of one frame: the QR of `text` centred on white, with its 4-module quiet zone. */
function qrLuma(text: string, width: number, height: number, moduleSize?: number): Buffer {
  const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const n = qr.modules.size;
  const total = n + 8;
  const scale = moduleSize ?? Math.floor(Math.min(width, height) / total);
  if (scale < 1) throw new Error(`a ${width}x${height} frame cannot hold a ${n}-module QR`);
  const y = Buffer.alloc(width * height, WHITE);
  const left = Math.floor((width - n * scale) / 2);
  const top = Math.floor((height - n * scale) / 2);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < n; c++) {
      if (!qr.modules.get(r, c)) continue;
      for (let dy = 0; dy < scale; dy++) y.fill(BLACK, (top + r * scale + dy) * width + left + c * scale, (top + r * scale + dy) * width + left + (c + 1) * scale);
    }
  }
  return y;
}

/**
 * A YUV4MPEG2 (Y4M) video of QR codes shown one after another, for Chromium's fake camera
 * (`--use-fake-device-for-media-stream --use-file-for-fake-video-capture=FILE`), which plays it in a
 * loop. Raw 4:2:0 frames: no encoder needed (ffmpeg is not assumed). Grey only: chroma stays neutral.
 */
export async function writeQrVideo(file: string, codes: readonly string[], opts: QrVideoOptions = {}): Promise<void> {
  const width = opts.width ?? 640;
  const height = opts.height ?? 480;
  const fps = opts.fps ?? 10;
  if (width % 2 || height % 2) throw new Error('4:2:0 frames need an even width and height');
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const blank = Buffer.alloc(width * height, WHITE);
  const out = await open(file, 'w');
  try {
    await out.write(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`);
    const frame = async (luma: Buffer) => {
      await out.write('FRAME\n');
      await out.write(luma);
      await out.write(chroma);
    };
    for (const code of codes) {
      for (let i = 0; i < (opts.blankFrames ?? 0); i++) await frame(blank);
      const luma = qrLuma(code, width, height, opts.moduleSize);
      for (let i = 0; i < (opts.framesPerCode ?? fps); i++) await frame(luma);
    }
  } finally {
    await out.close();
  }
}
