import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { KeyStore } from '../../../server/services/keys/key-store.js';

/** Several server instances mount one key folder: what one makes, the others read whole and never overwrite. */
describe('KeyStore on a folder shared by instances', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const folder = () => {
    const d = mkdtempSync(join(tmpdir(), 'key-store-'));
    dirs.push(d);
    return join(d, 'keys');
  };

  it('a key made by one store is read by another as the same key, the file 0600 and no temporary file left', () => {
    const dir = folder();
    const a = new KeyStore(dir);
    const b = new KeyStore(dir);
    expect(b.has('transport', 79)).toBe(false);
    const made = a.create('transport', 79);
    expect(b.has('transport', 79)).toBe(true);
    expect(b.get('transport', 79).key.kid).toBe(made.key.kid);
    expect(readdirSync(dir)).toEqual(['transport-79.pem']);
    expect(statSync(join(dir, 'transport-79.pem')).mode & 0o777).toBe(0o600);
  });

  it('a key file that appeared after the check is not overwritten: the create fails and the file is unchanged', () => {
    const dir = folder();
    const a = new KeyStore(dir);
    a.create('health');
    const before = readFileSync(join(dir, 'health.pem'), 'utf8');
    // the other instance's create passed its `has` check before this file existed: its write is what remains
    const late = new KeyStore(dir) as unknown as { writeNew(name: string, pem: string): void };
    expect(() => late.writeNew('health', 'not this one')).toThrow(/EEXIST/);
    expect(readFileSync(join(dir, 'health.pem'), 'utf8')).toBe(before);
    expect(readdirSync(dir)).toEqual(['health.pem']);
    expect(() => new KeyStore(dir).create('health')).toThrow(/already exists/);
  });
});
