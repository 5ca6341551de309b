import * as z from 'zod/mini';
import { COLLECTION_PATTERN, DOCUMENT_ID_PATTERN } from '../../domain/values.js';
import { INDEX_NAME } from '../../domain/indexes/index-definition.js';
import { MAX_LIMIT } from '../../domain/query/index.js';
import { InvalidInputError, type Violation } from '../../domain/errors.js';
import { MAX_BULK_DOCUMENTS } from '../../application/bulk-create.js';

/**
 * The REST contract's request and response shapes. Functions validate with these (zod/mini keeps cold start
 * low); the gateway turns the same schemas into the OpenAPI document. Deep rules on `data` (key rules, depth)
 * and on filters live in the domain and run after these shape checks.
 */
// Any JSON object. A loose object with no declared members copies them as they are; a record of unknown values
// would run a key schema and a value schema on every member (a create body: 2.5–2.7 → 1.3–1.4 µs in one process).
const jsonObject = z.looseObject({});

/**
 * Update operators, `{"$inc": {"n": 1}, …}`: a JSON object. MongoDB also takes an array there, an aggregation
 * pipeline, which this service does not run; such an array is told so instead of only "expected object".
 */
const updateOperators = z.looseObject(
  {},
  { error: (issue) => (Array.isArray(issue.input) ? 'expected an object of update operators; update pipelines (an array of stages) are not supported' : undefined) },
);

export const collectionParam = z.string().check(z.regex(COLLECTION_PATTERN));
export const idParam = z.string().check(z.regex(DOCUMENT_ID_PATTERN));

export const createBody = z.strictObject({
  id: z.optional(idParam),
  data: jsonObject,
});

/** Items are checked one by one with `createBody` (a bad item is that item's 400, not the request's). */
export const bulkCreateBody = z.strictObject({
  documents: z.array(z.unknown()).check(z.minLength(1), z.maxLength(MAX_BULK_DOCUMENTS)),
  ordered: z.optional(z.boolean()),
});

/** Bulk update and delete: which documents (a filter, required: `{}` means all), at most how many. */
export const bulkUpdateBody = z.strictObject({
  filter: jsonObject,
  update: updateOperators,
  limit: z.optional(z.number().check(z.int(), z.minimum(1))),
});

export const bulkDeleteBody = z.strictObject({
  filter: jsonObject,
  limit: z.optional(z.number().check(z.int(), z.minimum(1))),
});

export const bulkUpdateResponse = z.object({ matched: z.number().check(z.int(), z.minimum(0)), modified: z.number().check(z.int(), z.minimum(0)) });
export const bulkDeleteResponse = z.object({ deleted: z.number().check(z.int(), z.minimum(0)) });

export const replaceBody = z.strictObject({
  data: jsonObject,
});

/**
 * A request's query parameters, each given once: a parameter repeated (`?upsert=true&upsert=false`) is a 400
 * naming it, rather than one of its values quietly winning.
 */
export function singleQueryParameters(all: Record<string, string[]>): Record<string, string> {
  const single: Record<string, string> = {};
  for (const [name, values] of Object.entries(all)) {
    if (values.length > 1) throw new InvalidInputError(`query.${name}: must be given once`, [{ path: `query.${name}`, message: 'must be given once' }]);
    single[name] = values[0]!;
  }
  return single;
}

/** PUT's query: `?upsert=true` creates the document when it is absent. */
export const replaceQuery = z.object({ upsert: z.optional(z.enum(['true', 'false'])) });

/** A merge patch is any JSON object; null members delete keys (RFC 7386). */
export const mergePatchBody = jsonObject;

/** `{"$inc": {"n": 1}, …}`; which operators and operands are allowed is the domain's rule (docs/updates.md). */
export const operatorsBody = updateOperators;

/** RFC 6902: an array of operations; each operation's shape is checked by the domain. */
export const jsonPatchBody = z.array(jsonObject);

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

/** Each item's HTTP status alone, with its id and version or its problem. */
const bulkItemResult = z.union([
  z.object({ status: z.number(), id: idParam, version: z.number() }),
  z.object({ status: z.number(), problem: problemSchema }),
]);

export const bulkCreateResponse = z.object({ results: z.array(bulkItemResult) });

/** Parses `value` with `schema`, or throws one InvalidInputError naming every offending path. */
export function parseInput<S extends z.ZodMiniType>(schema: S, value: unknown, root: string): z.infer<S> {
  const result = z.safeParse(schema, value);
  if (result.success) return result.data;
  const violations = result.error.issues.map((issue) => toViolation(issue, root));
  throw new InvalidInputError(violations.map((v) => `${v.path}: ${v.message}`).join('; '), violations);
}

/** zod/mini's wording when a schema gives none of its own (it loads no locale): then the issue's code says it. */
const DEFAULT_MESSAGE = 'Invalid input';

function toViolation(issue: z.core.$ZodIssue, root: string): Violation {
  const path = [root, ...issue.path.map(String)].filter(Boolean).join('.');
  if (issue.message !== DEFAULT_MESSAGE) return { path, message: issue.message };
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
