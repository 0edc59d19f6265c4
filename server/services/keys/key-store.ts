import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { generateSigningKey, privateKeyPem, signingKeyFromPem, type SigningKey } from '../../../shared/codes/keys.js';

/** The issuer roles whose private keys the server holds. */
export type IssuerRole = 'root' | 'transport' | 'health' | 'policy';

export interface IssuerKey {
  role: IssuerRole;
  /** the province for transport keys and a province's own policy key, else null */
  province: number | null;
  key: SigningKey;
}

/** A key the server needs is not there. Never answered by making a new one: a new key is a key-management act. */
export class MissingKeyError extends Error {
  constructor(readonly role: IssuerRole, readonly province: number | null, readonly file: string | null) {
    super(`no ${keyName(role, province)} signing key${file ? ` (${file} does not exist)` : ''}`);
    this.name = 'MissingKeyError';
  }
}

/**
 * The key's file name: `transport-79` (a transport key is always a province's), `policy-79` for a
 * province's own policy key (a national deployment signs each province's policy with that province's
 * certified key), else the role alone.
 */
export function keyName(role: IssuerRole, province: number | null): string {
  if (role !== 'transport' && (role !== 'policy' || province === null)) return role;
  if (!Number.isInteger(province) || province! < 1 || province! > 99) throw new Error(`bad province ${province}`);
  return `${role}-${String(province).padStart(2, '0')}`;
}

/**
 * Ed25519 private keys as PKCS#8 PEM files under `<dataDir>/keys`. The store only reads keys; `create`
 * is the one way to make one, called by the key-management command, the admin key route and the
 * first start of an empty database (TrustService), never as a side effect of another request. The
 * folder is 0700 and every file 0600 so that only the server's user can read them; looser modes found
 * on start are tightened rather than trusted.
 */
export class KeyStore {
  private readonly cache = new Map<string, IssuerKey>();

  /** `dir` null keeps keys in memory only: for an in-memory database (tests), whose trust lists vanish with it. */
  constructor(readonly dir: string | null) {
    if (dir === null) return;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chmodSync(dir, 0o700);
  }

  has(role: IssuerRole, province: number | null = null): boolean {
    const name = keyName(role, province);
    if (this.cache.has(name)) return true;
    return this.dir !== null && existsSync(this.file(name));
  }

  /** The key; MissingKeyError when its file does not exist. */
  get(role: IssuerRole, province: number | null = null): IssuerKey {
    const name = keyName(role, province);
    const cached = this.cache.get(name);
    if (cached) return cached;
    if (this.dir === null) throw new MissingKeyError(role, province, null);
    const file = this.file(name);
    let key: SigningKey;
    try {
      if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
      key = signingKeyFromPem(readFileSync(file, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new MissingKeyError(role, province, file);
      throw new Error(`cannot read key file ${file}: ${(err as Error).message}`);
    }
    return this.remember(name, role, province, key);
  }

  /** Make a new key; refuses when one exists (a key is replaced only by an operator, by hand). */
  create(role: IssuerRole, province: number | null = null): IssuerKey {
    const name = keyName(role, province);
    if (this.has(role, province)) throw new Error(`the ${name} key already exists`);
    const key = generateSigningKey();
    if (this.dir !== null) this.writeNew(name, privateKeyPem(key));
    return this.remember(name, role, province, key);
  }

  /**
   * The key file appears whole or not at all, and is on disk before the caller registers it: other
   * instances read the shared folder without a lock (a half-written file would fail their signing),
   * and a key registered in the database but lost with the page cache in a crash could never be
   * replaced. Written under a temporary name and synced, then linked to its name, which fails if the
   * name exists: a key another process made in the meantime is never overwritten.
   */
  private writeNew(name: string, pem: string): void {
    const tmp = join(this.dir!, `.${name}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
    const fd = openSync(tmp, 'wx', 0o600);
    try {
      writeSync(fd, pem);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(tmp, this.file(name));
    } finally {
      unlinkSync(tmp);
    }
    const dir = openSync(this.dir!, 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }

  /** The keys held: the files in the folder (or the keys made, in memory). */
  list(): { role: IssuerRole; province: number | null }[] {
    const names = this.dir === null ? [...this.cache.keys()] : readdirSync(this.dir).filter((f) => f.endsWith('.pem')).map((f) => f.slice(0, -4));
    const out: { role: IssuerRole; province: number | null }[] = [];
    for (const name of names) {
      const m = /^(root|health|policy|transport)(?:-(0[1-9]|[1-9][0-9]))?$/.exec(name);
      if (!m || (m[2] === undefined && m[1] === 'transport') || (m[2] !== undefined && m[1] !== 'transport' && m[1] !== 'policy')) continue;
      out.push({ role: m[1] as IssuerRole, province: m[2] === undefined ? null : Number(m[2]) });
    }
    return out;
  }

  root(): IssuerKey {
    return this.get('root');
  }

  private file(name: string): string {
    return join(this.dir!, `${name}.pem`);
  }

  private remember(name: string, role: IssuerRole, province: number | null, key: SigningKey): IssuerKey {
    const issuer: IssuerKey = { role, province: role === 'transport' ? province : null, key };
    this.cache.set(name, issuer);
    return issuer;
  }
}
