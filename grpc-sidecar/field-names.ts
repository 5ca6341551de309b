import type { Violation } from '../shared/domain/errors.js';

/**
 * One RPC's REST names → its request message's field paths, where they differ (`maxTimeMs` → `max_time_ms`,
 * `Idempotency-Key` → `idempotency_key`, `keys.a` → `index.keys[0].path`). An entry renames the path it names
 * and every path inside it. The entry `body` (BODY) names the field an RPC sends as the HTTP body, where one
 * field makes it up: what a 413 (too large) is about.
 */
export type FieldNames = ReadonlyMap<string, string>;

export const SAME_NAMES: FieldNames = new Map();

/** The REST name of the request's whole body. */
export const BODY = 'body';

/** idempotency_key travels as the Idempotency-Key header (CreateDocument, BatchCreateDocuments). */
export const IDEMPOTENCY_KEY_NAMES: FieldNames = new Map([['Idempotency-Key', 'idempotency_key']]);

/** REST carries the request's fields in its body or query string; a gRPC request message holds them itself. */
const REST_ROOT = /^(?:body|query)\./;

/**
 * The function's violations, each path in the gRPC request's terms, so a gRPC client is told which field of
 * its own request is wrong: the longest entry of `fields` that the path starts with (whole segments only) is
 * renamed, and the rest of the path kept.
 */
export function inGrpcFields(errors: readonly Violation[], fields: FieldNames): Violation[] {
  return errors.map(({ path, message }) => ({ path: renamed(path.replace(REST_ROOT, ''), fields), message }));
}

function renamed(path: string, fields: FieldNames): string {
  for (let end = path.length; end > 0; end--) {
    if (end < path.length && path[end] !== '.' && path[end] !== '[') continue;
    const name = fields.get(path.slice(0, end));
    if (name !== undefined) return name + path.slice(end);
  }
  return path;
}
