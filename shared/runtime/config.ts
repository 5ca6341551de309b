import * as z from 'zod/mini';
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

export const configSchema = z.object({
  PORT: int(0, 65535, 8080),
  STORE: oneOf(['sqlite', 'mongodb'], 'sqlite'),
  DATA_DIR: z._default(z.string().check(z.minLength(1)), './data'),
  MONGODB_URI: uri(/^mongodb(\+srv)?:\/\//, 'a mongodb:// or mongodb+srv:// URI'),
  MONGODB_POOL_SIZE: int(1, 10_000, 100),
  // A dead MongoDB must answer requests with a fast 503, so connecting and finding a server fail within half
  // a second; a reply may take longer (a large query page) before the socket counts as dead.
  MONGODB_CONNECT_TIMEOUT_MS: int(1, 600_000, 500),
  MONGODB_SERVER_SELECTION_TIMEOUT_MS: int(1, 600_000, 500),
  MONGODB_SOCKET_TIMEOUT_MS: int(1, 600_000, 5000),
  REDIS_URL: uri(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
  CACHE_TTL_SECONDS: int(1, MAX_INT, 300),
  MAX_BODY_BYTES: int(1, MAX_INT, 1024 * 1024),
  LOG_LEVEL: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal'], 'info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  K_SINK: httpUrl,
  AUTH_MODE: oneOf(['none', 'apikey', 'jwt'], 'none'),
  SHUTDOWN_TIMEOUT_SECONDS: int(1, 3600, 15),
  // The gRPC sidecar: its port, where each function answers, how long a call may take without a deadline,
  // and for how long idempotent calls are retried while a function is unavailable (0 = never).
  GRPC_PORT: int(0, 65535, 50051),
  GRPC_DEFAULT_TIMEOUT_SECONDS: int(1, 3600, 30),
  GRPC_RETRY_SECONDS: int(0, 3600, 10),
  // 0 turns the functions' readiness polling off: on Knative it would keep scaled-to-zero functions awake.
  GRPC_READINESS_POLL_SECONDS: int(0, 3600, 2),
  FUNCTION_URL_CREATE: httpUrl,
  FUNCTION_URL_GET: httpUrl,
  FUNCTION_URL_UPDATE: httpUrl,
  FUNCTION_URL_DELETE: httpUrl,
  FUNCTION_URL_QUERY: httpUrl,
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parses the environment; throws ConfigError whose message names every bad variable and what it must be. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') present[key] = value;
  const parsed = z.safeParse(configSchema, present);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}=${JSON.stringify(present[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const config = parsed.data;
  if (config.STORE === 'mongodb' && !config.MONGODB_URI) {
    throw new ConfigError('invalid configuration: MONGODB_URI is required when STORE=mongodb');
  }
  return config;
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
