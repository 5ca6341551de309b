import * as z from 'zod/mini';
import { COLLECTION_PATTERN, DOCUMENT_ID_PATTERN } from '../../domain/values.js';
import { INDEX_NAME } from '../../domain/indexes/index-definition.js';
import { MAX_LIMIT } from '../../domain/query/index.js';
import { InvalidInputError, type Violation } from '../../domain/errors.js';

/**
 * The REST contract's request and response shapes. Functions validate with these (zod/mini keeps cold start
 * low); the gateway turns the same schemas into the OpenAPI document. Deep rules on `data` (key rules, depth)
 * and on filters live in the domain and run after these shape checks.
 */
const jsonObject = z.record(z.string(), z.unknown());

export const collectionParam = z.string().check(z.regex(COLLECTION_PATTERN));
export const idParam = z.string().check(z.regex(DOCUMENT_ID_PATTERN));

export const createBody = z.strictObject({
  id: z.optional(idParam),
  data: jsonObject,
});

export const replaceBody = z.strictObject({
  data: jsonObject,
});

/** A merge patch is any JSON object; null members delete keys (RFC 7386). */
export const mergePatchBody = jsonObject;

export const queryBody = z.strictObject({
  filter: z.optional(jsonObject),
  sort: z.optional(z.record(z.string(), z.union([z.literal(1), z.literal(-1)]))),
  limit: z.optional(z.number().check(z.int(), z.minimum(1), z.maximum(MAX_LIMIT))),
  cursor: z.optional(z.nullable(z.string())),
  fields: z.optional(z.array(z.string())),
  explain: z.optional(z.boolean()),
  maxTimeMs: z.optional(z.number().check(z.int(), z.minimum(1))),
});

export const countBody = z.strictObject({
  filter: z.optional(jsonObject),
  maxTimeMs: z.optional(z.number().check(z.int(), z.minimum(1))),
});

export const indexNameParam = z.string().check(z.regex(INDEX_NAME));

/** `{"keys": {"city": 1, "age": -1}, "unique"?: bool}`; key paths and limits are checked by the domain. */
export const indexBody = z.strictObject({
  keys: z.record(z.string(), z.union([z.literal(1), z.literal(-1)])),
  unique: z.optional(z.boolean()),
});

export const documentSchema = z.object({
  id: idParam,
  collection: collectionParam,
  version: z.number().check(z.int(), z.minimum(1)),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
  data: jsonObject,
});

export const queryResponse = z.object({
  documents: z.array(documentSchema),
  nextCursor: z.nullable(z.string()),
});

export const queryPlanResponse = z.object({
  plan: z.object({
    index: z.nullable(z.string()),
    keysExamined: z.number(),
    documentsExamined: z.number(),
    returned: z.number(),
    durationMs: z.number(),
  }),
});

export const countResponse = z.object({ count: z.number().check(z.int(), z.minimum(0)) });

export const indexSchema = z.object({ name: indexNameParam, keys: z.record(z.string(), z.union([z.literal(1), z.literal(-1)])), unique: z.boolean() });

export const indexesResponse = z.object({ indexes: z.array(indexSchema) });

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  errors: z.optional(z.array(z.object({ path: z.string(), message: z.string() }))),
});

/** Parses `value` with `schema`, or throws one InvalidInputError naming every offending path. */
export function parseInput<S extends z.ZodMiniType>(schema: S, value: unknown, root: string): z.infer<S> {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const violations = result.error.issues.map((issue) => toViolation(issue, root));
  throw new InvalidInputError(violations.map((v) => `${v.path}: ${v.message}`).join('; '), violations);
}

function toViolation(issue: z.core.$ZodIssue, root: string): Violation {
  const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
  switch (issue.code) {
    case 'invalid_type':
      return { path, message: `expected ${issue.expected}` };
    case 'unrecognized_keys':
      return { path, message: `unknown field(s): ${issue.keys.join(', ')}` };
    case 'invalid_format':
      return { path, message: issue.format === 'regex' && 'pattern' in issue ? `must match ${String(issue.pattern)}` : `must be a valid ${issue.format}` };
    case 'too_small':
      return { path, message: `must be at least ${String(issue.minimum)}` };
    case 'too_big':
      return { path, message: `must be at most ${String(issue.maximum)}` };
    case 'invalid_union':
    case 'invalid_value':
      return { path, message: 'has a value that is not allowed' };
    default:
      return { path, message: 'is invalid' };
  }
}
