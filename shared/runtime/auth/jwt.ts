import { createPublicKey, type KeyObject } from 'node:crypto';
import type { JWTPayload, JWTVerifyGetKey } from 'jose';
import { UnavailableError } from '../../domain/errors.js';
import type { Config } from '../config/function-config.js';
import { invalidToken, type Principal } from './principal.js';

type Jose = typeof import('jose');

/** jose errors that mean "this token is not acceptable" (401); anything else while verifying is ours (503). */
const TOKEN_ERRORS = new Set([
  'ERR_JWT_EXPIRED',
  'ERR_JWT_CLAIM_VALIDATION_FAILED',
  'ERR_JWT_INVALID',
  'ERR_JWS_INVALID',
  'ERR_JWS_SIGNATURE_VERIFICATION_FAILED',
  'ERR_JOSE_ALG_NOT_ALLOWED',
  'ERR_JOSE_NOT_SUPPORTED',
  'ERR_JWKS_NO_MATCHING_KEY',
  'ERR_JWKS_MULTIPLE_MATCHING_KEYS',
]);

/**
 * Verifies bearer JWTs: the signature (HMAC with JWT_SECRET; RSA, RSA-PSS, EC or EdDSA with JWT_PUBLIC_KEY or
 * the keys at JWT_JWKS_URL), the allowed algorithms, `iss`, `aud`, `exp` and `nbf`. jose is imported on the
 * first token, so functions that run without JWT auth never load it.
 */
export function jwtVerifier(config: Config): (token: string) => Promise<Principal> {
  let ready: Promise<{ jose: Jose; key: Uint8Array | KeyObject | JWTVerifyGetKey }> | undefined;
  const load = async () => {
    const jose = await import('jose');
    if (config.JWT_SECRET) return { jose, key: new TextEncoder().encode(config.JWT_SECRET) };
    if (config.JWT_PUBLIC_KEY) return { jose, key: createPublicKey(config.JWT_PUBLIC_KEY) };
    return { jose, key: jose.createRemoteJWKSet(new URL(config.JWT_JWKS_URL!), { timeoutDuration: 2000 }) };
  };
  const options = {
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
    algorithms: config.JWT_ALGORITHMS,
  };
  return async (token) => {
    ready ??= load();
    const { jose, key } = await ready;
    let payload: JWTPayload;
    try {
      ({ payload } =
        typeof key === 'function' ? await jose.jwtVerify(token, key, options) : await jose.jwtVerify(token, key, options));
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && TOKEN_ERRORS.has(code)) throw invalidToken(describe(code, error));
      throw new UnavailableError('the JWT signing keys cannot be fetched now', 5, { cause: error });
    }
    return { id: `sub:${payload.sub ?? 'unknown'}`, roles: rolesOf(payload, config.JWT_ROLES_CLAIM) };
  };
}

function describe(code: string, error: unknown): string {
  if (code === 'ERR_JWT_EXPIRED') return 'the token has expired';
  if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return `claim check failed: ${(error as Error).message}`;
  if (code === 'ERR_JOSE_ALG_NOT_ALLOWED') return 'the token is signed with an algorithm that is not allowed';
  return 'the token signature or format is not valid';
}

/** Roles from the configured claim: a list of strings, or one space-separated string (like OAuth `scope`). */
function rolesOf(payload: JWTPayload, claim: string): string[] {
  const value = payload[claim];
  if (typeof value === 'string') return value.split(' ').filter(Boolean);
  if (Array.isArray(value)) return value.filter((role): role is string => typeof role === 'string');
  return [];
}
