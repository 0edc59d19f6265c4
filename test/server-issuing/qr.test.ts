import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import QRCode from 'qrcode';
import { base45Encode } from '../../shared/codes/base45.js';
import { MAX_QR_VERSION, qrPng, qrVersionOf, QrTooLargeError } from '../../server/services/qr/render.js';
import { decodeQrPng } from './fixtures.js';

describe('QR rendering', () => {
  it('the fast version check never under-estimates what the library renders', () => {
    fc.assert(fc.property(fc.uint8Array({ minLength: 1, maxLength: 220 }), (bytes) => {
      const text = 'VNP1:' + base45Encode(bytes);
      const rendered = QRCode.create(text, { errorCorrectionLevel: 'M' }).version;
      if (rendered > MAX_QR_VERSION) {
        expect(() => qrVersionOf(text)).toThrow(QrTooLargeError);
      } else {
        expect(qrVersionOf(text)).toBeGreaterThanOrEqual(rendered);
        expect(qrVersionOf(text)).toBeLessThanOrEqual(MAX_QR_VERSION);
      }
    }), { numRuns: 300 });
  });

  it('refuses a code that needs a version above 10 and renders one that fits', async () => {
    expect(() => qrVersionOf('A'.repeat(312))).toThrow(/version 11/);
    await expect(qrPng('A'.repeat(312))).rejects.toThrow(QrTooLargeError);
    const text = 'VNH1:' + 'X'.repeat(300);
    expect(decodeQrPng(await qrPng(text))).toBe(text);
  });
});
