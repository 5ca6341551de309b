import * as z from 'zod/mini';

/**
 * Reading settings from environment variables, the only source of configuration, validated once at start.
 * Each program (a function, the gRPC sidecar, the local stack) has its own schema of the variables it reads,
 * built from these kinds, so it never refuses to start over a variable it does not use.
 * Empty variables count as unset so `FOO=` in a manifest falls back to the default.
 */
// Decimal digits only: Number() would read "" and "  " as 0, "0x50" as 80 and "1e3" as 1000, so a stray space
// in a manifest would have silently meant PORT=0 or STORE_MAX_QUEUE=0.
const integer = (min: number, max: number) => {
  const error = `must be an integer from ${min} to ${max}`;
  return z.pipe(
    z.pipe(z.string().check(z.regex(/^-?\d+$/, { error })), z.transform((value: string) => Number(value))),
    z.number().check(z.int({ error }), z.minimum(min, { error }), z.maximum(max, { error })),
  );
};
export const int = (min: number, max: number, fallback: number) => z._default(integer(min, max), fallback);
/** An integer that is undefined when unset (`z.optional(int(…))` would still give int's fallback). */
export const optionalInt = (min: number, max: number) => z.optional(integer(min, max));
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T, fallback: T[number]) =>
  z._default(z.enum(values, { error: `must be one of ${values.join(', ')}` }), fallback);
export const uri = (pattern: RegExp, what: string) => z.optional(z.string().check(z.regex(pattern, { error: `must be ${what}` })));
export const httpUrl = z.optional(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }));
export const MAX_INT = 2 ** 31 - 1;
export const text = z.optional(z.string());
/** A variable whose text a parser turns into a value; the parser's error message becomes the config error. */
export const parsed = <T>(parse: (value: string) => T) =>
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

/** Variables whose values are secrets: a config error names them but never echoes their value. */
const SECRET_VARIABLES = new Set(['API_KEYS', 'JWT_SECRET']);
/** URLs that may carry a user and password (`redis://:<password>@host`): a config error echoes them without it. */
const CREDENTIAL_URL_VARIABLES = new Set(['MONGODB_URI', 'REDIS_URL']);

/** The value a config error quotes: secrets hidden, and the user info of a URL replaced, up to its last `@`. */
function shownValue(name: string, value: string): string {
  if (SECRET_VARIABLES.has(name)) return '(secret)';
  if (!CREDENTIAL_URL_VARIABLES.has(name) || !value.includes('@')) return JSON.stringify(value);
  const at = value.lastIndexOf('@');
  const scheme = /^[^:/@]*:\/\//.exec(value)?.[0] ?? '';
  return JSON.stringify(`${scheme}(credentials)${value.slice(at)}`);
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Parses `env` with `schema`, then applies `crossChecks` (rules that tie variables together, each message
 * naming the variables to set). Throws one ConfigError whose message names every bad variable and what it must be.
 */
export function parseEnvironment<S extends z.ZodMiniObject>(
  schema: S,
  env: NodeJS.ProcessEnv,
  crossChecks: (settings: z.infer<S>) => string[],
): z.infer<S> {
  const present: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined && value !== '') present[key] = value;
  const result = z.safeParse(schema, present);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0]);
      return `${name}=${shownValue(name, present[name] ?? '')}: ${issue.message}`;
    });
    throw new ConfigError(`invalid configuration: ${lines.join('; ')}`);
  }
  const problems = crossChecks(result.data);
  if (problems.length) throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  return result.data;
}
