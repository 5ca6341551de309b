import * as z from 'zod/mini';

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
  REDIS_URL: uri(/^rediss?:\/\//, 'a redis:// or rediss:// URL'),
  CACHE_TTL_SECONDS: int(1, MAX_INT, 300),
  // Resilience (README "Cache and resilience"): how long a call may take, how often a safe call is
  // repeated, when a failing dependency is given a rest, how many store calls one process runs at once.
  STORE_TIMEOUT_MS: int(1, 600_000, 5000),
  STORE_RETRY_ATTEMPTS: int(0, 10, 2),
  STORE_RETRY_INITIAL_DELAY_MS: int(1, 60_000, 50),
  STORE_RETRY_MAX_DELAY_MS: int(1, 600_000, 1000),
  STORE_BREAKER_THRESHOLD: int(1, 10_000, 5),
  STORE_BREAKER_HALF_OPEN_MS: int(1, 3_600_000, 5000),
  STORE_MAX_CONCURRENCY: int(1, 100_000, 100),
  STORE_MAX_QUEUE: int(0, 100_000, 100),
  REDIS_TIMEOUT_MS: int(1, 60_000, 200),
  REDIS_CONNECT_TIMEOUT_MS: int(1, 60_000, 1000),
  REDIS_BREAKER_THRESHOLD: int(1, 10_000, 3),
  REDIS_BREAKER_HALF_OPEN_MS: int(1, 3_600_000, 2000),
  MAX_BODY_BYTES: int(1, MAX_INT, 1024 * 1024),
  LOG_LEVEL: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal'], 'info'),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl,
  K_SINK: httpUrl,
  AUTH_MODE: oneOf(['none', 'apikey', 'jwt'], 'none'),
  SHUTDOWN_TIMEOUT_SECONDS: int(1, 3600, 15),
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
