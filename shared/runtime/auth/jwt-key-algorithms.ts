import type { KeyObject } from 'node:crypto';

const RSA = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512'];
/** jose refuses RS* and PS* with a smaller RSA key. */
const MIN_RSA_BITS = 2048;
/** Each curve verifies one ES* algorithm; keyed by Node's name of the curve. */
const CURVES: Record<string, { readonly name: string; readonly alg: string }> = {
  prime256v1: { name: 'P-256', alg: 'ES256' },
  secp384r1: { name: 'P-384', alg: 'ES384' },
  secp521r1: { name: 'P-521', alg: 'ES512' },
};

/**
 * The JWS algorithms jose verifies tokens of with this public key; empty for a key it cannot use at all (an RSA
 * key under 2048 bits, an id-RSASSA-PSS key, other curves, Ed448, X25519). Checked at start so that
 * JWT_ALGORITHMS never allows a token the key could not verify.
 */
export function verifiableAlgorithms(key: KeyObject): readonly string[] {
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return (details.modulusLength ?? 0) >= MIN_RSA_BITS ? RSA : [];
    case 'ec': {
      const curve = CURVES[details.namedCurve ?? ''];
      return curve ? [curve.alg] : [];
    }
    case 'ed25519':
      return ['EdDSA'];
    default:
      return [];
  }
}

/** The key's kind, for a message: "an RSA key of 1024 bits", "an EC key on P-256", "a key of type ed448". */
export function keyKind(key: KeyObject): string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return `an RSA key of ${details.modulusLength} bits`;
  if (key.asymmetricKeyType === 'ec') return `an EC key on ${CURVES[details.namedCurve ?? '']?.name ?? details.namedCurve}`;
  return `a key of type ${key.asymmetricKeyType}`;
}
