import type { JWTPayload } from 'jose';
import { UnavailableError } from '../../domain/errors.js';
import type { Config } from '../config/function-config.js';
import { SigningKeysUnavailable, verificationKey, type VerificationKey } from './jwt-keys.js';
import { invalidToken, type Principal } from './principal.js';

type Jose = typeof import('jose');

/**
 * Verifies bearer JWTs: the signature (HMAC with JWT_SECRET; RSA, RSA-PSS, EC or EdDSA with JWT_PUBLIC_KEY or
 * the keys at JWT_JWKS_URL), the allowed algorithms, `iss`, `aud`, `exp` (required) and `nbf`. jose is imported
 * on the first token, so functions that run without JWT auth never load it.
 */
export function jwtVerifier(config: Config): (token: string) => Promise<Principal> {
  let ready: Promise<{ jose: Jose; key: VerificationKey }> | undefined;
  const load = async () => {
    const jose = await import('jose');
    return { jose, key: verificationKey(jose, config) };
  };
  const options = {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    algorithms: config.JWT_ALGORITHMS,
    // jose checks `exp` only when the token has one; a bearer token that never expires is refused.
    requiredClaims: ['exp'],
  };
  return async (token) => {
    ready ??= load();
    const { jose, key } = await ready;
    let payload: JWTPayload;
    try {
      ({ payload } =
        typeof key === 'function' ? await jose.jwtVerify(token, key, options) : await jose.jwtVerify(token, key, options));
    } catch (error) {
      // Only missing keys are ours; whatever else fails, the token could not be verified and retrying cannot help.
      if (error instanceof SigningKeysUnavailable) throw new UnavailableError('the JWT signing keys cannot be fetched now', 5, { cause: error });
      throw invalidToken(describe(error));
    }
    return { id: `sub:${payload.sub ?? 'unknown'}`, roles: rolesOf(payload, config.JWT_ROLES_CLAIM) };
  };
}

/**
 * Why the token was refused, for its 401. jose's own errors carry a string `code`; the TypeError or DataError
 * without one comes from preparing the key for the token's `alg`, e.g. an ES256 token and an RSA key.
 */
function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return 'the token has expired';
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      return `claim check failed: ${(error as Error).message}`;
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'the token is signed with an algorithm that is not allowed';
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'no signing key fits the token\'s "kid" and "alg"';
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'several signing keys fit the token; it needs a "kid"';
  }
  return typeof code === 'string' ? 'the token signature or format is not valid' : "the token's algorithm does not fit the signing key";
}

/** Roles from the configured claim: a list of strings, or one space-separated string (like OAuth `scope`). */
function rolesOf(payload: JWTPayload, claim: string): string[] {
  const value = payload[claim];
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((role): role is string => typeof role === 'string');
  return [];
}
