import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import QRCode from 'qrcode';
import { describe, expect, it } from 'vitest';
import { base45Decode, base45Encode } from '../../shared/codes/base45.js';
import { publicKeyFromRaw, signingKeyFromPem } from '../../shared/codes/keys.js';
import { readCode } from '../../shared/codes/read-code.js';
import type { SignedDocument } from '../../shared/trust/signed-document.js';
import { TrustList } from '../../shared/trust/trust-list.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'vectors');
const file = JSON.parse(readFileSync(join(dir, 'codes.json'), 'utf8')) as {
  now: number;
  rootPublicKey: string;
  vectors: { name: string; text: string; expect: { ok: boolean; kind?: string; reason?: string } }[];
};
const trustDoc = JSON.parse(readFileSync(join(dir, 'trust-list.json'), 'utf8')) as SignedDocument;
const trust = TrustList.open(trustDoc, publicKeyFromRaw(Buffer.from(file.rootPublicKey, 'base64url')));
const vector = (name: string) => file.vectors.find((v) => v.name === name)!.text;

// Tens of thousands of signature checks: about 10 s on a quiet 2-core machine, several times that
// when the machine is loaded, so these cases get more than vitest's default.
const CORPUS_TIMEOUT_MS = 180_000;

describe('code test vectors (test/vectors/codes.json)', () => {
  for (const v of file.vectors) {
    it(`${v.name} → ${v.expect.ok ? v.expect.kind : v.expect.reason}`, () => {
      const r = readCode(v.text, trust, file.now);
      expect(r.ok).toBe(v.expect.ok);
      if (r.ok) expect(r.kind).toBe(v.expect.kind);
      else expect(r.reason).toBe(v.expect.reason);
    });
  }

  it('a trust list re-signed by another root is refused', () => {
    const other = publicKeyFromRaw(new Uint8Array(32).fill(7));
    expect(() => TrustList.open(trustDoc, other)).toThrow(/signature/);
  });

  it('a code is refused once its signing key has expired, and before the key is valid', () => {
    const root = signingKeyFromPem(readFileSync(join(dir, 'keys', 'root.pem'), 'utf8'));
    const resign = (validFrom: number, validTo: number | null) =>
      TrustList.open(TrustList.sign({ ...trust.body, keys: trust.body.keys.map((k) => ({ ...k, validFrom, validTo })) }, root), root.publicKey);
    expect(readCode(vector('pass-valid'), resign(0, file.now + 1000), file.now).ok).toBe(true);
    expect(readCode(vector('pass-valid'), resign(0, file.now - 1), file.now)).toMatchObject({ ok: false, reason: 'UNTRUSTED_KEY' });
    expect(readCode(vector('health-valid'), resign(file.now + 1, null), file.now)).toMatchObject({ ok: false, reason: 'UNTRUSTED_KEY' });
  });
});

describe('every single-byte change of a valid code is denied', () => {
  it('pass: every byte of the binary envelope replaced by every other value', () => {
    const text = vector('pass-valid');
    const raw = base45Decode(text.slice(5));
    let accepted = 0;
    let tried = 0;
    for (let i = 0; i < raw.length; i++) {
      for (let b = 0; b < 256; b++) {
        if (b === raw[i]) continue;
        const copy = Uint8Array.from(raw);
        copy[i] = b;
        tried++;
        if (readCode('VNP1:' + base45Encode(copy), trust, file.now).ok) accepted++;
      }
    }
    expect(tried).toBe(raw.length * 255);
    expect(accepted).toBe(0);
  }, CORPUS_TIMEOUT_MS);

  it('health: every character of the printed text replaced by every other base45 character', () => {
    const text = vector('health-valid');
    const alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
    let accepted = 0;
    for (let i = 0; i < text.length; i++) {
      for (const ch of alphabet) {
        if (ch === text[i]) continue;
        const mutated = text.slice(0, i) + ch + text.slice(i + 1);
        const r = readCode(mutated, trust, file.now);
        if (r.ok) accepted++;
      }
    }
    expect(accepted).toBe(0);
  }, CORPUS_TIMEOUT_MS);
});

describe('code size', () => {
  it('a pass with two crew and a five-checkpoint route fits QR version 10 at level M', () => {
    const text = vector('pass-valid');
    const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
    expect(qr.version).toBeLessThanOrEqual(10);
    expect(qr.segments.every((s) => s.mode.id === 'Alphanumeric')).toBe(true);
  });
});
