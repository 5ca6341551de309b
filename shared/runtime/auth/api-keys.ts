import { createHash, timingSafeEqual } from 'node:crypto';
import { placeholderReason } from './placeholder-secrets.js';

/**
 * API keys as mounted from a Kubernetes Secret: `API_KEYS=name:secret,name2:secret2`. The name is the role
 * the policy grants to; the secret is what clients send as `Authorization: Bearer <secret>`.
 */
export interface ApiKey {
  readonly name: string;
  readonly secret: string;
}

const KEY_NAME = /^[A-Za-z0-9_.-]{1,64}$/;
/** Long enough that guessing is hopeless; visible ASCII so it survives an HTTP header unchanged. */
const SECRET = /^[\x21-\x7e]{16,512}$/;

export class ApiKeysError extends Error {
  override readonly name = 'ApiKeysError';
}

/** Parses API_KEYS; messages name the offending entry by position and key name, never by secret. */
export function parseApiKeys(text: string): ApiKey[] {
  const keys: ApiKey[] = [];
  const names = new Set<string>();
  // A presented secret finds only the first name it is listed under, so a second name would never apply.
  const nameOfSecret = new Map<string, string>();
  for (const [index, entry] of text.split(',').entries()) {
    const trimmed = entry.trim();
    const colon = trimmed.indexOf(':');
    const where = `entry ${index + 1}`;
    if (colon === -1) throw new ApiKeysError(`${where} must be name:secret`);
    const name = trimmed.slice(0, colon);
    const secret = trimmed.slice(colon + 1);
    if (!KEY_NAME.test(name)) throw new ApiKeysError(`${where}: the name must be 1 to 64 of A-Z a-z 0-9 _ . -`);
    if (!SECRET.test(secret)) throw new ApiKeysError(`${where} ('${name}'): the secret must be 16 to 512 visible ASCII characters without commas`);
    const placeholder = placeholderReason(secret);
    if (placeholder) throw new ApiKeysError(`${where} ('${name}'): the secret is a placeholder (${placeholder}); use a random one, e.g. openssl rand -base64 32`);
    if (names.has(name)) throw new ApiKeysError(`${where}: the name '${name}' is used twice`);
    const sharing = nameOfSecret.get(secret);
    if (sharing !== undefined) throw new ApiKeysError(`${where} ('${name}'): the secret is also the secret of '${sharing}'; give each key its own`);
    names.add(name);
    nameOfSecret.set(secret, name);
    keys.push({ name, secret });
  }
  return keys;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Finds the key a presented secret belongs to. Comparing fixed-length SHA-256 digests with timingSafeEqual,
 * and always comparing against every key, makes the time taken independent of how much of a secret matched.
 */
export function apiKeyMatcher(keys: readonly ApiKey[]): (presented: string) => string | undefined {
  const digests = keys.map((key) => ({ name: key.name, digest: digest(key.secret) }));
  return (presented) => {
    const candidate = digest(presented);
    let found: string | undefined;
    for (const key of digests) {
      if (timingSafeEqual(candidate, key.digest) && found === undefined) found = key.name;
    }
    return found;
  };
}
