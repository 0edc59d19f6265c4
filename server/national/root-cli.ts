import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Value } from '@sinclair/typebox/value';
import { generateSigningKey, privateKeyPem, signingKeyFromPem } from '../../shared/codes/keys.js';
import { AuthorityBodySchema, signAuthority } from '../../shared/trust/authority.js';

/**
 * The national root, on an offline machine: `create-root` makes the key (the private half never leaves
 * that machine), `sign` certifies one province's issuer keys (or the centre's) as an authority
 * document. The central server imports the signed document (POST /api/v1/trust/authorities) and
 * stations verify it with the national root's public key they were installed with.
 */
const USAGE = `usage:
  npm run national -- create-root --dir DIR
      writes DIR/national-root.pem (0600) and prints the public key stations and the server are given
  npm run national -- sign --root DIR/national-root.pem --authority AUTHORITY.json --out SIGNED.json
      AUTHORITY.json: {"type":"authority","province":79,"version":1,"issuedAt":<ms>,"keys":[{"kid","role","province","publicKey","validFrom","validTo","retiredAt"?}]}
      (province null: the centre). Rotation: add the new key, set "retiredAt" on the old one, raise "version".
      A compromised key is left out of the next version.
  npm run national -- public-key --root DIR/national-root.pem`;

function fail(message: string): never {
  console.error(`error: ${message}\n${USAGE}`);
  process.exit(2);
}

export function createRoot(dir: string): { publicKey: string; kid: string; file: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const key = generateSigningKey();
  const file = join(dir, 'national-root.pem');
  writeFileSync(file, privateKeyPem(key), { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  writeFileSync(join(dir, 'national-root.pub'), `${key.publicKeyB64}\n`, { flag: 'wx' });
  return { publicKey: key.publicKeyB64, kid: key.kid, file };
}

export function signAuthorityFile(rootFile: string, authorityFile: string): string {
  const root = signingKeyFromPem(readFileSync(rootFile, 'utf8'));
  const body: unknown = JSON.parse(readFileSync(authorityFile, 'utf8'));
  if (!Value.Check(AuthorityBodySchema, body)) {
    const first = Value.Errors(AuthorityBodySchema, body).First();
    throw new Error(`${authorityFile}: ${first?.path || '/'}: ${first?.message ?? 'invalid'}`);
  }
  return `${JSON.stringify(signAuthority(body, root), null, 2)}\n`;
}

function main(argv: string[]): void {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { dir: { type: 'string' }, root: { type: 'string' }, authority: { type: 'string' }, out: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    allowPositionals: true,
    strict: true,
  });
  if (values.help) return void console.log(USAGE);
  const [command] = positionals;
  if (command === 'create-root') {
    if (!values.dir) fail('create-root needs --dir');
    const made = createRoot(values.dir);
    console.log(JSON.stringify({ created: made.file, kid: made.kid, publicKey: made.publicKey }));
  } else if (command === 'sign') {
    if (!values.root || !values.authority || !values.out) fail('sign needs --root, --authority and --out');
    writeFileSync(values.out, signAuthorityFile(values.root, values.authority), { flag: 'wx' });
    console.log(JSON.stringify({ signed: values.out }));
  } else if (command === 'public-key') {
    if (!values.root) fail('public-key needs --root');
    console.log(signingKeyFromPem(readFileSync(values.root, 'utf8')).publicKeyB64);
  } else {
    fail(`unknown command ${command ?? '(none)'}`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    process.exit(1);
  }
}
