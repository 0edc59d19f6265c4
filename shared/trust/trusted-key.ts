import { Type, type Static } from '@sinclair/typebox';
import type { SigningKey } from '../codes/keys.js';

export const KEY_ROLES = ['transport', 'health', 'policy'] as const;
export type KeyRole = (typeof KEY_ROLES)[number];

/** One issuer key as a trust list or an authority document lists it. */
export const TrustedKeySchema = Type.Object(
  {
    kid: Type.String({ pattern: '^[0-9a-f]{8}$' }),
    role: Type.Union(KEY_ROLES.map((r) => Type.Literal(r))),
    /** The province the key acts for (transport keys sign only that province's passes); null: national. */
    province: Type.Union([Type.Null(), Type.Integer({ minimum: 1, maximum: 99 })]),
    publicKey: Type.String({ minLength: 43, maxLength: 43, pattern: '^[A-Za-z0-9_-]+$' }),
    validFrom: Type.Integer({ minimum: 0 }),
    validTo: Type.Union([Type.Null(), Type.Integer({ minimum: 0 })]),
    /**
     * Rotated out at this time: codes it signed before stay valid to their own end, codes signed after
     * are refused. (A compromised key is not retired but left out of the next document: UNTRUSTED_KEY.)
     */
    retiredAt: Type.Optional(Type.Union([Type.Null(), Type.Integer({ minimum: 0 })])),
  },
  { additionalProperties: false },
);
export type TrustedKey = Static<typeof TrustedKeySchema>;

export function trustedKeyEntry(key: SigningKey, role: KeyRole, province: number | null, validFrom: number, validTo: number | null): TrustedKey {
  return { kid: key.kid, role, province, publicKey: key.publicKeyB64, validFrom, validTo };
}
