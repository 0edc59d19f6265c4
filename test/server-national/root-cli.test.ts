import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { generateSigningKey, publicKeyFromRaw } from '../../shared/codes/keys.js';
import { openAuthority } from '../../shared/trust/authority.js';
import type { SignedDocument } from '../../shared/trust/signed-document.js';
import { trustedKeyEntry } from '../../shared/trust/trusted-key.js';

/** `npm run national`: the offline national root, made and used on its own machine. */
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'national-root-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => execFileSync('npx', ['tsx', 'server/national/root-cli.ts', ...args], { encoding: 'utf8' });

describe('npm run national', () => {
  it('creates the root (0600, never overwritten) and signs a province authority document that verifies with its public key', () => {
    const made = JSON.parse(cli('create-root', '--dir', dir)) as { publicKey: string; kid: string };
    expect(statSync(join(dir, 'national-root.pem')).mode & 0o777).toBe(0o600);
    expect(() => cli('create-root', '--dir', dir)).toThrow();

    const transport = generateSigningKey();
    const authority = { type: 'authority', province: 79, version: 1, issuedAt: Date.UTC(2021, 6, 30), keys: [trustedKeyEntry(transport, 'transport', 79, 0, null)] };
    writeFileSync(join(dir, 'a79.json'), JSON.stringify(authority));
    cli('sign', '--root', join(dir, 'national-root.pem'), '--authority', join(dir, 'a79.json'), '--out', join(dir, 'a79.signed.json'));
    const signed = JSON.parse(readFileSync(join(dir, 'a79.signed.json'), 'utf8')) as SignedDocument;
    expect(openAuthority(signed, publicKeyFromRaw(Buffer.from(made.publicKey, 'base64url')))).toEqual(authority);

    // a document listing a key for another province is not signed
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ ...authority, province: 80 }));
    expect(() => cli('sign', '--root', join(dir, 'national-root.pem'), '--authority', join(dir, 'bad.json'), '--out', join(dir, 'bad.signed.json'))).toThrow(/province 79/);
  });
});
