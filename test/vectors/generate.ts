/**
 * Regenerates the code test vectors: `npx tsx test/vectors/generate.ts`.
 * Fixed keys and a fixed clock, so the files stay valid; tests read them as they are.
 */
import { generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestAuthority } from '../../hardware-sim/fixtures/authority.js';
import { base45Decode, base45Encode } from '../../shared/codes/base45.js';
import { privateKeyPem, signingKeyFrom } from '../../shared/codes/keys.js';
import { signPassCode } from '../../shared/codes/pass-code.js';
import { encodeCanonical, parseSignedCode } from '../../shared/codes/signed-code.js';

const here = dirname(fileURLToPath(import.meta.url));
const NOW = Date.UTC(2021, 8, 15, 8, 0, 0);
const key = () => signingKeyFrom(generateKeyPairSync('ed25519').privateKey);
const keys = { root: key(), transport: key(), health: key(), policy: key() };
const auth = createTestAuthority({ now: NOW, keys, province: 79 });
const stranger = key();

const pass = auth.issuePass({
  passId: 4242, plate: '51C-123.45',
  crew: [{ citizenId: '079090001234', name: 'Nguyễn Văn Tài' }, { citizenId: '079090005678', name: 'Trần Văn Phụ' }],
  routeCheckpoints: [7901, 7902, 7903, 7904, 7905], routeProvinces: [],
});
const health = auth.issueHealth({ citizenId: '079090001234', name: 'Nguyễn Văn Tài' });
const env = parseSignedCode(pass.code);
const raw = base45Decode(pass.code.slice(5));

const vectors = [
  { name: 'pass-valid', text: pass.code, expect: { ok: true, kind: 'pass' } },
  { name: 'health-valid', text: health.code, expect: { ok: true, kind: 'health' } },
  { name: 'pass-unknown-signer', text: signPassCode(pass.body, stranger.kid, stranger.privateKey), expect: { ok: false, reason: 'UNTRUSTED_KEY' } },
  { name: 'pass-wrong-key-known-kid', text: signPassCode(pass.body, keys.transport.kid, stranger.privateKey), expect: { ok: false, reason: 'BAD_SIGNATURE' } },
  { name: 'pass-signed-by-health-key', text: signPassCode(pass.body, keys.health.kid, keys.health.privateKey), expect: { ok: false, reason: 'UNTRUSTED_KEY' } },
  { name: 'pass-other-province', text: signPassCode({ ...pass.body, issuingProvince: 1 }, keys.transport.kid, keys.transport.privateKey), expect: { ok: false, reason: 'UNTRUSTED_KEY' } },
  { name: 'pass-truncated', text: pass.code.slice(0, pass.code.length - 9), expect: { ok: false, reason: 'UNKNOWN_FORMAT' } },
  { name: 'pass-trailing-bytes', text: 'VNP1:' + base45Encode(Uint8Array.from([...raw, 0x00])), expect: { ok: false, reason: 'UNKNOWN_FORMAT' } },
  { name: 'pass-unknown-version', text: 'VNP2:' + pass.code.slice(5), expect: { ok: false, reason: 'UNKNOWN_FORMAT' } },
  { name: 'health-as-pass-prefix', text: 'VNP1:' + health.code.slice(5), expect: { ok: false, reason: 'UNKNOWN_FORMAT' } },
  { name: 'pass-body-trailing-bytes', text: 'VNP1:' + base45Encode(encodeCanonical([Uint8Array.from(Buffer.from(env.kid, 'hex')), Uint8Array.from([...env.body, 0x00]), env.sig])), expect: { ok: false, reason: 'UNKNOWN_FORMAT' } },
  { name: 'not-a-code', text: 'https://example.com/not-a-pass', expect: { ok: false, reason: 'UNKNOWN_FORMAT' } },
];

mkdirSync(join(here, 'keys'), { recursive: true });
for (const [name, k] of Object.entries(keys)) writeFileSync(join(here, 'keys', `${name}.pem`), privateKeyPem(k));
writeFileSync(join(here, 'trust-list.json'), JSON.stringify(auth.trustDocument, null, 2) + '\n');
writeFileSync(join(here, 'codes.json'), JSON.stringify({ now: NOW, rootPublicKey: keys.root.publicKeyB64, vectors }, null, 2) + '\n');
console.log(`wrote ${vectors.length} vectors; pass code ${pass.code.length} chars (${raw.length} bytes), health code ${health.code.length} chars`);
