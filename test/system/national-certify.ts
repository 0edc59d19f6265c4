import type { SigningKey } from '../../shared/codes/keys.js';
import { signAuthority } from '../../shared/trust/authority.js';
import type { TrustedKey } from '../../shared/trust/trusted-key.js';
import type { FastifyInstance } from 'fastify';

/**
 * For `world({ beforeSeed })` in national mode: make the transport keys of `provinces` (the seed's
 * 79 and its neighbour 80) and have the national root certify them, with the centre's, before anything is signed.
 */
export function certifyBeforeSeed(nationalRoot: SigningKey, provinces: number[] = [79, 80]): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    for (const p of provinces) {
      if (!app.trust.hasTransportKey(p)) await app.trust.createKey('transport', p, { system: 'test' }, { method: 'CLI', url: `keys create --role transport --province ${p}` });
    }
    await certifyApp(app, nationalRoot, provinces);
  };
}

/** The offline act: the national root certifies the server's public keys, per province and for the centre. */
async function certifyApp(app: FastifyInstance, nationalRoot: SigningKey, provinces: number[]): Promise<void> {
  const keys = await app.database.client.all<TrustedKey>('SELECT kid, role, province, public_key AS "publicKey", valid_from AS "validFrom", valid_to AS "validTo" FROM issuer_keys');
  for (const province of [null, ...provinces]) {
    const doc = signAuthority({ type: 'authority', province, version: 1, issuedAt: Date.now(), keys: keys.filter((k) => k.province === province) }, nationalRoot);
    await app.trust.importAuthority(doc);
  }
}
