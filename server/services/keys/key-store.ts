import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey, privateKeyPem, signingKeyFromPem, type SigningKey } from '../../../shared/codes/keys.js';

/** The issuer roles whose private keys the server holds. */
export type IssuerRole = 'root' | 'transport' | 'health' | 'policy';

export interface IssuerKey {
  role: IssuerRole;
  /** the province for transport keys, else null */
  province: number | null;
  key: SigningKey;
}

/**
 * Ed25519 private keys as PKCS#8 PEM files under `<dataDir>/keys`, created on first use. The folder
 * is 0700 and every file 0600 so that only the server's user can read them; looser modes found on
 * start are tightened rather than trusted.
 */
export class KeyStore {
  private readonly cache = new Map<string, IssuerKey>();

  /** `dir` null keeps keys in memory only: for an in-memory database (tests), whose trust lists vanish with it. */
  constructor(readonly dir: string | null) {
    if (dir === null) return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }

  root(): IssuerKey {
    return this.load('root', null).issuer;
  }

  health(): IssuerKey {
    return this.load('health', null).issuer;
  }

  policy(): IssuerKey {
    return this.load('policy', null).issuer;
  }

  transport(province: number): { issuer: IssuerKey; created: boolean } {
    if (!Number.isInteger(province) || province < 1 || province > 99) throw new Error(`bad province ${province}`);
    return this.load('transport', province);
  }

  /** Load the key, creating it when its file does not exist yet. */
  load(role: IssuerRole, province: number | null): { issuer: IssuerKey; created: boolean } {
    const name = role === 'transport' ? `transport-${String(province).padStart(2, '0')}` : role;
    const cached = this.cache.get(name);
    if (cached) return { issuer: cached, created: false };
    let created = false;
    let key: SigningKey;
    if (this.dir === null) {
      key = generateSigningKey();
      created = true;
    } else {
      ({ key, created } = this.fromFile(join(this.dir, `${name}.pem`)));
    }
    const issuer: IssuerKey = { role, province: role === 'transport' ? province : null, key };
    this.cache.set(name, issuer);
    return { issuer, created };
  }

  private fromFile(file: string): { key: SigningKey; created: boolean } {
    let created = false;
    let key: SigningKey;
    try {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      key = signingKeyFromPem(readFileSync(file, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new Error(`cannot read key file ${file}: ${(err as Error).message}`);
      key = generateSigningKey();
      // 'wx': never overwrite a key another process created in the meantime.
      writeFileSync(file, privateKeyPem(key), { mode: 0o600, flag: 'wx' });
      created = true;
    }
    return { key, created };
  }
}
