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

/** The QR version the text needs; throws QrTooLargeError above the cap. */
export function qrVersionOf(text: string): number {
  const version = QRCode.create(text, { errorCorrectionLevel: QR_ERROR_CORRECTION }).version;
  if (version > MAX_QR_VERSION) throw new QrTooLargeError(version);
  return version;
}

export async function qrPng(text: string, scale = 8): Promise<Buffer> {
  qrVersionOf(text);
  return QRCode.toBuffer(text, { type: 'png', errorCorrectionLevel: QR_ERROR_CORRECTION, margin: 4, scale });
}

export async function qrSvg(text: string): Promise<string> {
  qrVersionOf(text);
  return QRCode.toString(text, { type: 'svg', errorCorrectionLevel: QR_ERROR_CORRECTION, margin: 4 });
}
