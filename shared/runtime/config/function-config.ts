import { createPublicKey } from 'node:crypto';
import * as z from 'zod/mini';
import { type ApiKey, parseApiKeys } from '../auth/api-keys.js';
import { keyKind, verifiableAlgorithms } from '../auth/jwt-key-algorithms.js';
import { parsePolicy, type Policy } from '../auth/policy.js';
import { httpUrl, int, MAX_INT, oneOf, optionalInt, parsed, parseEnvironment, text, uri } from './environment.js';
import { PROCESS_SETTINGS } from './process-settings.js';

export { ConfigError } from './environment.js';

/**
 * A function's configuration (README "Configuration"): the variables every function reads, validated
 * once at start. The gRPC sidecar and the local stack have schemas of their own (sidecar-config.ts,
 * local-stack-config.ts), so a function never refuses to start over one of theirs.
 */

/** JWS algorithms JWT_ALGORITHMS may name; HS* need JWT_SECRET, the others a public key or JWKS. */
const JWT_ALGORITHMS = ['HS256', 'HS384', 'HS512', 'RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
function parseAlgorithms(value: string): string[] {
  const list = value.split(',').map((alg) => alg.trim()).filter(Boolean);
  const unknown = list.filter((alg) => !JWT_ALGORITHMS.includes(alg));
  if (list.length === 0 || unknown.length) throw new Error(`must be a comma-separated list of ${JWT_ALGORITHMS.join(', ')}`);
  return list;
}
function parsePublicKey(value: string): string {
  try {
    createPublicKey(value);
  } catch {
    throw new Error('must be a PEM public key (-----BEGIN PUBLIC KEY-----)');
  }
  return value;
}

/**
 * A URL ioredis can open: it hands REDIS_URL to `new URL()`, which throws (uncaught, at start) on a bad port or
 * host, and sends its path as the database number to SELECT, whose refusal of one that is not a number is thrown
 * uncaught as well (the function dies on connecting).
 */
function parseRedisUrl(value: string): string {
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    // Reported below.
  }
  if (!url || !/^rediss?:$/.test(url.protocol) || !/^rediss?:\/\//.test(value)) throw new Error('must be a redis:// or rediss:// URL');
  if (!/^(\/(\d+)?)?$/.test(url.pathname)) throw new Error('must be a redis:// or rediss:// URL whose path, if any, is a database number (redis://host:6379/2)');
  return value;
}

export const configSchema = z.object({
  PORT: int(0, 65535, 8080),
  STORE: oneOf(['sqlite', 'mongodb'], 'sqlite'),
  DATA_DIR: z._default(z.string().check(z.minLength(1)), './data'),
  // Unset, a deleted id keeps its last version for ever, so its versions are never reused. Set, its tombstone
  // is forgotten after that many seconds, and creating the id again then starts over at 1.
  TOMBSTONE_RETENTION_SECONDS: optionalInt(0, MAX_INT),
  MONGODB_URI: uri(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI'),
  MONGODB_POOL_SIZE: int(1, 10_000, 100),
  // A dead MongoDB must answer requests with a fast 503, so connecting and finding a server fail within half
  // a second; a reply may take longer (a large query page) before the socket counts as dead.
  MONGODB_CONNECT_TIMEOUT_MS: int(1, 600_000, 500),
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: int(1, 600_000, 500),
  MONGODB_SOCKET_TIMEOUT_MS: int(1, 600_000, 5000),
  REDIS_URL: parsed(parseRedisUrl),
  CACHE_TTL_SECONDS: int(1, MAX_INT, 300),
  // Resilience (README "Cache and resilience"): how long a call may take, how often a safe call is
  // repeated, when a failing dependency is given a rest, how many store calls one process runs at once.
  STORE_TIMEOUT_MS: int(1, 600_000, 5000),
  STORE_RETRY_ATTEMPTS: int(0, 10, 2),
  STORE_RETRY_INITIAL_DELAY_MS: int(1, 60_000, 50),
  STORE_RETRY_MAX_DELAY_MS: int(1, 600_000, 200),
  STORE_RETRY_BUDGET_MS: int(0, 600_000, 250),
  STORE_BREAKER_THRESHOLD: int(1, 10_000, 5),
  STORE_BREAKER_HALF_OPEN_MS: int(1, 3_600_000, 5000),
  STORE_MAX_CONCURRENCY: int(1, 100_000, 100),
  STORE_MAX_QUEUE: int(0, 100_000, 1000),
  // How long a queued store call waits for a slot before it answers 503. A busy but healthy process (100 slots,
  // calls of a few ms) empties a full queue well within a second; a longer wait means the store is too slow for
  // the load, and a 503 with Retry-After then reaches the client before its own timeout (often a few seconds).
  STORE_QUEUE_TIMEOUT_MS: int(1, 600_000, 1000),
  REDIS_TIMEOUT_MS: int(1, 60_000, 200),
  REDIS_CONNECT_TIMEOUT_MS: int(1, 60_000, 1000),
  REDIS_BREAKER_THRESHOLD: int(1, 10_000, 3),
  REDIS_BREAKER_HALF_OPEN_MS: int(1, 3_600_000, 2000),
  MAX_BODY_BYTES: int(1, MAX_INT, 1024 * 1024),
  // Bulk requests one process runs at once, and how many may wait (shared/runtime/http/bulk-admission.ts).
  BULK_MAX_CONCURRENCY: int(1, 10_000, 4),
  BULK_MAX_QUEUE: int(0, 100_000, 1000),
  // How long a query or count may run (the default and the most a request's maxTimeMs may ask for).
  QUERY_MAX_TIME_MS: int(1, 600_000, 2000),
  ...PROCESS_SETTINGS,
  // After SIGTERM the server keeps accepting (/readyz answers 503) this long before it closes its listener, so
  // connections already in the kernel's listen backlog are served, not reset. Part of SHUTDOWN_TIMEOUT_SECONDS.
  SHUTDOWN_ACCEPT_MS: int(0, 60_000, 500),
  K_SINK: httpUrl,
  AUTH_MODE: oneOf(['none', 'apikey', 'jwt'], 'none'),
  API_KEYS: parsed<ApiKey[]>(parseApiKeys),
  AUTH_POLICY: parsed<Policy>(parsePolicy),
  JWT_SECRET: z.optional(z.string().check(z.minLength(32, { error: 'must be at least 32 characters' }))),
  JWT_PUBLIC_KEY: parsed(parsePublicKey),
  JWT_JWKS_URL: httpUrl,
  JWT_ISSUER: text,
  JWT_AUDIENCE: text,
  JWT_ALGORITHMS: parsed(parseAlgorithms),
  JWT_ROLES_CLAIM: z._default(z.string().check(z.minLength(1)), 'roles'),
  RATE_LIMIT_PER_SECOND: int(0, 1_000_000, 0),
  RATE_LIMIT_BURST: optionalInt(1, 1_000_000),
});

/** The validated configuration; JWT_ALGORITHMS is always set (its default follows the key source). */
export type Config = z.infer<typeof configSchema> & { readonly JWT_ALGORITHMS: string[] };

/** Said loudly at start by every function and the local stack when nothing checks who is calling. */
export const AUTH_OFF_WARNING = 'AUTH_MODE=none: authentication is OFF, anyone who can reach this port may read and change every collection';

/** JWT_ALGORITHMS when unset, by key source (a JWKS counts as public keys). */
const DEFAULT_ALGORITHM = { secret: 'HS256', publicKey: 'RS256' };

/** Parses the environment; throws ConfigError whose message names every bad variable and what it must be. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const config = parseEnvironment(configSchema, env, configChecks);
  return { ...config, JWT_ALGORITHMS: config.JWT_ALGORITHMS ?? [config.JWT_SECRET ? DEFAULT_ALGORITHM.secret : DEFAULT_ALGORITHM.publicKey] };
}

/** Rules that tie variables together; each message names the variables to set. */
export function configChecks(config: z.infer<typeof configSchema>): string[] {
  const problems: string[] = [];
  if (config.STORE === 'mongodb' && !config.MONGODB_URI) problems.push('MONGODB_URI is required when STORE=mongodb');
  if (config.SHUTDOWN_ACCEPT_MS >= config.SHUTDOWN_TIMEOUT_SECONDS * 1000) {
    // The accept window is part of the drain: one as long as the whole timeout would make every stop exit 1.
    problems.push(
      `SHUTDOWN_ACCEPT_MS (${config.SHUTDOWN_ACCEPT_MS}) must be less than SHUTDOWN_TIMEOUT_SECONDS (${config.SHUTDOWN_TIMEOUT_SECONDS}) in milliseconds: the accept window is part of the drain`,
    );
  }
  if (config.AUTH_MODE !== 'none' && !config.AUTH_POLICY) {
    problems.push(`AUTH_POLICY is required when AUTH_MODE=${config.AUTH_MODE} (without it nobody would be allowed anything)`);
  }
  if (config.AUTH_MODE === 'apikey' && !config.API_KEYS) problems.push('API_KEYS is required when AUTH_MODE=apikey');
  if (config.AUTH_MODE === 'jwt') {
    const keySources = [config.JWT_SECRET, config.JWT_PUBLIC_KEY, config.JWT_JWKS_URL].filter(Boolean).length;
    if (keySources !== 1) problems.push('AUTH_MODE=jwt needs exactly one of JWT_SECRET, JWT_PUBLIC_KEY, JWT_JWKS_URL');
    if (!config.JWT_ISSUER) problems.push('JWT_ISSUER is required when AUTH_MODE=jwt');
    if (!config.JWT_AUDIENCE) problems.push('JWT_AUDIENCE is required when AUTH_MODE=jwt');
    const symmetric = config.JWT_ALGORITHMS?.filter((alg) => alg.startsWith('HS')) ?? [];
    if (config.JWT_ALGORITHMS && config.JWT_SECRET && symmetric.length !== config.JWT_ALGORITHMS.length) {
      problems.push('JWT_ALGORITHMS may name only HS256/HS384/HS512 with JWT_SECRET');
    }
    if (config.JWT_ALGORITHMS && !config.JWT_SECRET && symmetric.length) {
      problems.push('JWT_ALGORITHMS may name HS* only with JWT_SECRET');
    }
    if (config.JWT_PUBLIC_KEY) {
      const misfit = publicKeyMisfit(config.JWT_PUBLIC_KEY, config.JWT_ALGORITHMS);
      if (misfit) problems.push(misfit);
    }
  }
  return problems;
}

/**
 * Why JWT_PUBLIC_KEY cannot verify every asymmetric algorithm JWT_ALGORITHMS allows (HS* is refused above), or
 * undefined when it can: a token in an algorithm the key cannot verify would never pass.
 */
function publicKeyMisfit(pem: string, algorithms: string[] | undefined): string | undefined {
  const key = createPublicKey(pem);
  const verifiable = verifiableAlgorithms(key);
  const unfit = (algorithms ?? [DEFAULT_ALGORITHM.publicKey]).filter((alg) => !alg.startsWith('HS') && !verifiable.includes(alg));
  if (!unfit.length) return undefined;
  if (!verifiable.length) {
    return `JWT_PUBLIC_KEY is ${keyKind(key)}, which verifies no JWT algorithm: use an RSA key of at least 2048 bits, an EC key on P-256, P-384 or P-521, or an Ed25519 key`;
  }
  const allowing = algorithms ? 'JWT_ALGORITHMS' : `JWT_ALGORITHMS (default ${DEFAULT_ALGORITHM.publicKey})`;
  return `JWT_PUBLIC_KEY (${keyKind(key)}) cannot verify ${unfit.join(', ')}, which ${allowing} allows; it verifies ${verifiable.join(', ')}: name only these in JWT_ALGORITHMS`;
}
