import QRCode from 'qrcode';

/**
 * QR rendering of printed codes. Error correction M survives a scuffed sheet on a truck door; the
 * version cap keeps modules large enough for a lane scanner to read the code at arm's length from
 * a 9-10 cm print (version 10 is 57 modules, about 1.7 mm each at 10 cm).
 */
export const QR_ERROR_CORRECTION = 'M' as const;
export const MAX_QR_VERSION = 10;

export class QrTooLargeError extends Error {
  constructor(readonly version: number) {
    super(`the code needs QR version ${version}, above the allowed ${MAX_QR_VERSION}; shorten the route or crew`);
    this.name = 'QrTooLargeError';
  }
}

/** Characters per version (index + 1) of one alphanumeric segment at level M (ISO/IEC 18004 table 7). */
const ALNUM_CAPACITY_M = [20, 38, 61, 90, 122, 154, 178, 221, 262, 311];
const ALNUM = /^[0-9A-Z $%*+\-./:]*$/;

/**
 * The QR version the text needs; throws QrTooLargeError above the cap. Codes are base45 behind an
 * alphanumeric prefix, so the capacity table answers without building the symbol (building it costs
 * ~1 ms, too much for bulk issuing); the library's optimal segmentation can only need less.
 */
export function qrVersionOf(text: string): number {
  const version = ALNUM.test(text)
    ? ALNUM_CAPACITY_M.findIndex((cap) => text.length <= cap) + 1 || MAX_QR_VERSION + 1
    : QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION }).version;
  if (version > MAX_QR_VERSION) throw new QrTooLargeError(version);
  return version;
}

/** The version the library actually renders; asserted on every image. */
function renderedVersion(text: string): number {
  const version = QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION }).version;
  if (version > MAX_QR_VERSION) throw new QrTooLargeError(version);
  return version;
}

export async function qrPng(text: string, scale = 8): Promise<Buffer> {
  renderedVersion(text);
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: QR_ERROR_CORRECTION, margin: 4, scale });
}

export async function qrSvg(text: string): Promise<string> {
  renderedVersion(text);
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: QR_ERROR_CORRECTION, margin: 4 });
}
