import type { SigningKey } from '../../shared/codes/keys.js';
import { signAuthority } from '../../shared/trust/authority.js';
import type { TrustedKey } from '../../shared/trust/trusted-key.js';
import type { World } from './harness.js';

/** The offline act: the national root certifies the server's public keys, per province and for the centre. */
export function certify(w: World, nationalRoot: SigningKey, provinces: number[] = [79]): void {
  const app = w.central.app!;
  const keys = app.database.sqlite.prepare('SELECT kid, role, province, public_key AS publicKey, valid_from AS validFrom, valid_to AS validTo FROM issuer_keys').all() as TrustedKey[];
  for (const province of [null, ...provinces]) {
    const doc = signAuthority({ type: 'authority', province, version: 1, issuedAt: Date.now(), keys: keys.filter((k) => k.province === province) }, nationalRoot);
    app.trust.importAuthority(doc);
  }
}
