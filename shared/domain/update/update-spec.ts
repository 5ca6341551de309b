import type { JsonObject } from '../document.js';
import { isJsonObject } from '../data-value.js';
import { fail } from './invalid-update.js';
import {
  type Operation,
  parseOperation,
  parseRenameTarget,
  UPDATE_OPERATORS,
  type UpdateOperator,
} from './operations.js';
import { compareUpdatePaths, parseUpdatePath, PathClaims, type UpdatePath } from './update-path.js';

/**
 * A MongoDB update document over `data` that passed `validateUpdate`, e.g.
 * `{"$set": {"profile.name": "Ada"}, "$inc": {"visits": 1}, "$push": {"tags": {"$each": ["a", "b"]}}}`.
 * It stays the client's JSON (nothing is rewritten), so it can be logged or forwarded as sent.
 */
export type UpdateSpec = JsonObject & { readonly __validUpdate?: never };

/** Most field paths in one update, over all operators (a `$rename` counts once). */
export const MAX_UPDATE_PATHS = 1000;

/** One operator at one path. `at` names it in errors (`update.$inc.visits`; for `$rename`, the source). */
export interface PlannedChange {
  readonly path: UpdatePath;
  readonly operation: Operation;
  readonly at: string;
}

/** A validated update, ready to apply: its changes in MongoDB's order of application. */
export interface UpdatePlan {
  readonly changes: readonly PlannedChange[];
  /** The top-level data fields the update may change. */
  readonly fields: ReadonlySet<string>;
}

/** Known MongoDB operators that are not implemented, refused with a message that says so. */
const UNSUPPORTED_OPERATORS = new Set(['$setOnInsert', '$pullAll', '$pushAll', '$bit']);

/**
 * Checks an update document and returns it typed, or throws an InvalidInputError naming the offending part
 * (`update.$inc.a`). The rules are MongoDB's: only update operators at the top level, each with an object of
 * field paths; well-formed operands; no two paths that are equal or one inside the other (over all operators).
 * Unlike MongoDB, an update with no operator at all is refused (MongoDB would read it as a replacement).
 */
export function validateUpdate(raw: unknown): UpdateSpec {
  plans.set(raw as object, parseUpdate(raw));
  return raw as UpdateSpec;
}

/** Plans by update object: an update is treated as immutable once validated. */
const plans = new WeakMap<object, UpdatePlan>();

/** The plan of a valid update, parsed once (cached by object). Throws InvalidInputError if it is not valid. */
export function updatePlanOf(spec: UpdateSpec): UpdatePlan {
  let plan = plans.get(spec);
  if (plan === undefined) {
    plan = parseUpdate(spec);
    plans.set(spec, plan);
  }
  return plan;
}

/**
 * The top-level fields of `data` the update may change (both ends of a `$rename`), e.g. to know which indexed
 * values to recompute. A superset: an operator that turns out to be a no-op is still listed.
 */
export function fieldsTouchedBy(spec: UpdateSpec): ReadonlySet<string> {
  return updatePlanOf(spec).fields;
}

function parseUpdate(raw: unknown): UpdatePlan {
  if (!isJsonObject(raw)) fail('update', 'must be a JSON object of update operators such as {"$set": {"a": 1}}');
  const operators = Object.keys(raw);
  if (operators.length === 0) fail('update', 'must contain at least one update operator such as $set');
  const claims = new PathClaims();
  const changes: PlannedChange[] = [];
  for (const operator of operators) {
    const at = `update.${operator}`;
    if (!isUpdateOperator(operator)) fail(at, unknownOperatorMessage(operator));
    const operands = raw[operator];
    if (!isJsonObject(operands)) {
      fail(at, `${operator} takes an object of field paths, such as {"${operator}": {"a.b": ...}}`);
    }
    for (const field of Object.keys(operands)) {
      if (changes.length === MAX_UPDATE_PATHS) {
        fail('update', `an update names at most ${MAX_UPDATE_PATHS} field paths`);
      }
      const here = `${at}.${field}`;
      const path = parseUpdatePath(field, here);
      claims.claim(path, here);
      if (operator === '$rename') {
        const to = parseRenameTarget(path, operands[field], here);
        claims.claim(to, here);
        changes.push({ path: to, operation: { operator, from: path }, at: here });
      } else {
        changes.push({ path, operation: parseOperation(operator, operands[field], here), at: here });
      }
    }
  }
  changes.sort((a, b) => compareUpdatePaths(a.path, b.path));
  const fields = new Set<string>();
  for (const { path, operation } of changes) {
    fields.add(path.segments[0]!);
    if (operation.operator === '$rename') fields.add(operation.from.segments[0]!);
  }
  return { changes, fields };
}

function isUpdateOperator(key: string): key is UpdateOperator {
  return (UPDATE_OPERATORS as readonly string[]).includes(key);
}

function unknownOperatorMessage(key: string): string {
  const supported = `supported: ${UPDATE_OPERATORS.join(', ')}`;
  if (UNSUPPORTED_OPERATORS.has(key)) return `the update operator ${key} is not supported (${supported})`;
  if (key.startsWith('$')) return `Unknown modifier: ${key} (${supported})`;
  return (
    `'${key}' is not an update operator: an update holds only operators such as {"$set": {"${key}": ...}}; ` +
    'to replace all of data, send it as a replacement'
  );
}
