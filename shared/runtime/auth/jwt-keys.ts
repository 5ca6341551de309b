import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JWTVerifyGetKey } from 'jose';
import type { Config } from '../config/function-config.js';

type Jose = typeof import('jose');

/** What jose checks a token's signature with: the HMAC secret, the public key, or a lookup in the JWKS. */
export type VerificationKey = Uint8Array | KeyObject | JWTVerifyGetKey;

/**
 * The signing keys could not be obtained: the JWKS endpoint was unreachable or too slow, or did not answer 200
 * with a valid key set. The one verification failure that is not the token's fault (503: the token may be fine).
 */
export class SigningKeysUnavailable extends Error {
  override readonly name = 'SigningKeysUnavailable';
}

/**
 * jose's codes for a key set that could not be fetched or used as a whole: a timeout reading it, an answer that
 * is not 200 or not JSON (ERR_JOSE_GENERIC is thrown only there), a malformed set or one with private members.
 * Failures of the lookup itself (no key, or several, fit the token's `kid` and `alg`; the key that fits cannot
 * verify that `alg`) are the token's, and stay as jose threw them.
 */
const KEY_SET_FAILURES = new Set(['ERR_JWKS_TIMEOUT', 'ERR_JOSE_GENERIC', 'ERR_JWKS_INVALID']);

/** The key the configured source gives: JWT_SECRET, JWT_PUBLIC_KEY, or the key set at JWT_JWKS_URL. */
export function verificationKey(jose: Jose, config: Config): VerificationKey {
  if (config.JWT_SECRET) return new TextEncoder().encode(config.JWT_SECRET);
  if (config.JWT_PUBLIC_KEY) return createPublicKey(config.JWT_PUBLIC_KEY);
  const keySet = jose.createRemoteJWKSet(new URL(config.JWT_JWKS_URL!), {
    timeoutDuration: 2000,
    // A failed fetch rejects without a jose code, as a published key jose cannot use for the token does;
    // marking it here is what tells the two apart.
    [jose.customFetch]: (url, init) =>
      fetch(url, init).catch((cause: unknown) => {
        throw new SigningKeysUnavailable(`the JWKS at ${url} cannot be fetched`, { cause });
      }),
  });
  return async (header, token) => {
    try {
      return await keySet(header, token);
    } catch (error) {
      if (error instanceof SigningKeysUnavailable) throw error;
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && KEY_SET_FAILURES.has(code)) throw new SigningKeysUnavailable('the JWKS cannot be used', { cause: error });
      throw error;
    }
  };
}
