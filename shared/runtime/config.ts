import { createPublicKey } from 'node:crypto';
import * as z from 'zod/mini';
import { DEFAULT_TOMBSTONE_RETENTION_SECONDS } from '../domain/document.js';
import { type ApiKey, parseApiKeys } from './auth/api-keys.js';
import { parsePolicy, type Policy } from './auth/policy.js';
import type { FunctionName } from './routes.js';

/**
 * The process configuration: environment variables only (DESIGN.md "Configuration"), validated once at start.
 * Empty variables count as unset so `FOO=` in a manifest falls back to the default.
 */
const int = (min: number, max: number, fallback: number) =>
  z._default(
    z.coerce.number({ error: `must be an integer from ${min} to ${max}` }).check(
      z.int({ error: `must be an integer from ${min} to ${max}` }),
      z.minimum(min, { error: `must be an integer from ${min} to ${max}` }),
      z.maximum(max, { error: `must be an integer from ${min} to ${max}` }),
    ),
    fallback,
  );
const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z._default(z.enum(values, { error: `must be one of ${values.join(', ')}` }), fallback);
const uri = (pattern: RegExp, what: string) => z.optional(z.string().check(z.regex(pattern, { error: `must be ${what}` })));
const httpUrl = z.optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }));
const MAX_INT = 2 ** 31 - 1;
const text = z.optional(z.string());
/** A variable whose text a parser turns into a value; the parser's error message becomes the config error. */
const parsed = <T>(parse: (value: string) => T) =>
  z.optional(
    z.pipe(
      z.string(),
      z.transform((value: string, ctx) => {
        try {
          return parse(value);
        } catch (error) {
          ctx.issues.push({ code: 'custom', message: (error as Error).message, input: value });
          return z.NEVER;
        }
      }),
    ),
  );

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

/** Variables whose values are secrets: a config error names them but never echoes their value. */
const SECRET_VARIABLES = new Set(['API_KEYS', 'JWT_SECRET']);

export const configSchema = z.object({
  PORT: int(0, 65535, 8080),
  STORE: oneOf(['sqlite', 'mongodb'], 'sqlite'),
  DATA_DIR: z._default(z.string().check(z.minLength(1)), './data'),
  // How long a deleted id remembers its last version (7 days); after that, creating the id starts over at 1.
  TOMBSTONE_RETENTION_SECONDS: int(0, MAX_INT, DEFAULT_TOMBSTONE_RETENTION_SECONDS),
  MONGODB_URI: uri(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI'),
  MONGODB_POOL_SIZE: int(1, 10_000, 100),
  // A dead MongoDB must answer requests with a fast 503, so connecting and finding a server fail within half
  // a second; a reply may take longer (a large query page) before the socket counts as dead.
  MONGODB_CONNECT_TIMEOUT_MS: int(1, 600_000, 500),
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: int(1, 600_000, 500),
  MONGODB_SOCKET_TIMEOUT_MS: int(1, 600_000, 5000),
  REDIS_URL: uri(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
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
  REDIS_TIMEOUT_MS: int(1, 60_000, 200),
  REDIS_CONNECT_TIMEOUT_MS: int(1, 60_000, 1000),
  REDIS_BREAKER_THRESHOLD: int(1, 10_000, 3),
  REDIS_BREAKER_HALF_OPEN_MS: int(1, 3_600_000, 2000),
  MAX_BODY_BYTES: int(1, MAX_INT, 1024 * 1024),
  LOG_LEVEL: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal'], 'info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  /** Milliseconds between span exports (the OTel SDK's standard variable). */
  OTEL_BSP_SCHEDULE_DELAY: int(0, 3_600_000, 5000),
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
  RATE_LIMIT_BURST: z.optional(int(1, 1_000_000, 1)),
  GRPC_TLS_CERT_FILE: text,
  GRPC_TLS_KEY_FILE: text,
  GRPC_TLS_CA_FILE: text,
  GRPC_TLS_CLIENT_AUTH: oneOf(['none', 'require'], 'none'),
  SHUTDOWN_TIMEOUT_SECONDS: int(1, 3600, 15),
  // The gRPC sidecar: its port, where each function answers, how long a call may take without a deadline,
  // and for how long idempotent calls are retried while a function is unavailable (0 = never).
  GRPC_PORT: int(0, 65535, 50051),
  GRPC_DEFAULT_TIMEOUT_SECONDS: int(1, 3600, 30),
  GRPC_RETRY_SECONDS: int(0, 3600, 10),
  // 0 turns the functions' readiness polling off: on Knative it would keep scaled-to-zero functions awake.
  GRPC_READINESS_POLL_SECONDS: int(0, 3600, 2),
  // The sidecar's Prometheus /metrics over plain HTTP (9464: the port OpenTelemetry's Prometheus exporter uses).
  GRPC_METRICS_PORT: int(0, 65535, 9464),
  FUNCTION_URL_CREATE: httpUrl,
  FUNCTION_URL_GET: httpUrl,
  FUNCTION_URL_UPDATE: httpUrl,
  FUNCTION_URL_DELETE: httpUrl,
  FUNCTION_URL_QUERY: httpUrl,
  /** Local gateway only: start each function on its first request and stop it when idle, as Knative does. */
  SCALE_TO_ZERO: z._default(z.stringbool({ error: 'must be 1 or 0 (or true/false, yes/no, on/off)' }), false),
  SCALE_TO_ZERO_IDLE_SECONDS: int(1, 86_400, 60),
});

/** The validated configuration; JWT_ALGORITHMS is always set (its default follows the key source). */
export type Config = z.infer<typeof configSchema> & { readonly JWT_ALGORITHMS: string[] };

/** Said loudly at start by every function and the local stack when nothing checks who is calling. */
export const AUTH_OFF_WARNING = 'AUTH_MODE=none: authentication is OFF, anyone who can reach this port may read and change every collection';

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; throws ConfigError whose message names every bad variable and what it must be. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') present[key] = value;
  const result = z.safeParse(configSchema, present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      const shown = SECRET_VARIABLES.has(name) ? '(secret)' : JSON.stringify(present[name] ?? '');
      return `${name}=${shown}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const config = result.data;
  const problems = crossChecks(config);
  if (problems.length) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return { ...config, JWT_ALGORITHMS: config.JWT_ALGORITHMS ?? [config.JWT_SECRET ? 'HS256' : 'RS256'] };
}

/** Rules that tie variables together; each message names the variables to set. */
function crossChecks(config: z.infer<typeof configSchema>): string[] {
  const problems: string[] = [];
  if (config.STORE === 'mongodb' && !config.MONGODB_URI) problems.push('MONGODB_URI is required when STORE=mongodb');
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
  }
  if (Boolean(config.GRPC_TLS_CERT_FILE) !== Boolean(config.GRPC_TLS_KEY_FILE)) {
    problems.push('GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE go together');
  }
  if (config.GRPC_TLS_CLIENT_AUTH === 'require' && !(config.GRPC_TLS_CA_FILE && config.GRPC_TLS_CERT_FILE)) {
    problems.push('GRPC_TLS_CLIENT_AUTH=require needs GRPC_TLS_CA_FILE, GRPC_TLS_CERT_FILE and GRPC_TLS_KEY_FILE');
  }
  return problems;
}

/** The variable that holds each function's base URL for the gRPC sidecar (e.g. its Knative service URL). */
export const FUNCTION_URL_VARIABLES = {
  create: 'FUNCTION_URL_CREATE',
  get: 'FUNCTION_URL_GET',
  update: 'FUNCTION_URL_UPDATE',
  delete: 'FUNCTION_URL_DELETE',
  query: 'FUNCTION_URL_QUERY',
} as const satisfies Record<FunctionName, keyof Config>;

export interface SidecarConfig extends Config {
  readonly functionUrls: Readonly<Record<FunctionName, string>>;
}

/** The sidecar's configuration: the common one plus every function URL, which it cannot run without. */
export function loadSidecarConfig(env: NodeJS.ProcessEnv = process.env): SidecarConfig {
  const config = loadConfig(env);
  const entries = Object.entries(FUNCTION_URL_VARIABLES) as Array<[FunctionName, (typeof FUNCTION_URL_VARIABLES)[FunctionName]]>;
  const missing = entries.filter(([, variable]) => !config[variable]).map(([, variable]) => variable);
  if (missing.length) {
    throw new ConfigError(`invalid configuration: ${missing.join(', ')} must be set to the http(s) base URL of each function`);
  }
  const functionUrls = Object.fromEntries(entries.map(([name, variable]) => [name, config[variable]!])) as Record<FunctionName, string>;
  return { ...config, functionUrls };
}
