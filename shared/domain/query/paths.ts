import type { JsonObject, JsonValue } from '../document.js';

/**
 * Dotted field paths and MongoDB's element iteration over them: what values a path reaches in `data`.
 */

const hasOwn = Object.prototype.hasOwnProperty;

export interface CompiledPath {
  readonly parts: readonly string[];
  /** For each part: the array position it names when it is a canonical non-negative integer, else -1. */
  readonly positions: readonly number[];
}

export function compilePath(path: string): CompiledPath {
  const parts = path.split('.');
  const positions = parts.map((part) => (/^(?:0|[1-9][0-9]{0,8})$/.test(part) ? Number(part) : -1));
  return { parts, positions };
}

const PATH_CACHE_LIMIT = 1024;
const pathCache = new Map<string, CompiledPath>();

/** Compiled paths for sort and projection, shared across calls (bounded: cleared when full). */
export function cachedPath(path: string): CompiledPath {
  let compiled = pathCache.get(path);
  if (compiled === undefined) {
    if (pathCache.size >= PATH_CACHE_LIMIT) pathCache.clear();
    compiled = compilePath(path);
    pathCache.set(path, compiled);
  }
  return compiled;
}

export function isObjectValue(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own member of a data object; inherited properties (e.g. `toString`) are missing, as in BSON. */
export function member(object: JsonObject, key: string): JsonValue | undefined {
  const value = object[key];
  return value === undefined || hasOwn.call(object, key) ? value : undefined;
}

/**
 * Receives each value a path yields; `undefined` stands for "missing" (BSON EOO). Returning true stops the
 * iteration (a match was found).
 */
export type Visitor = (value: JsonValue | undefined) => boolean;

/**
 * MongoDB's BSONElementIterator over `object` for `path.parts[start..]`. Calls `visit` with every value the
 * path yields, in MongoDB's order, and returns true as soon as `visit` does.
 */
export function visitPath(object: JsonObject, path: CompiledPath, start: number, visit: Visitor): boolean {
  const parts = path.parts;
  const count = parts.length;
  // getFieldDottedOrArray: descend through objects; stop at an array, a scalar or a missing field.
  let current: JsonObject = object;
  let index = start;
  let found: JsonValue | undefined;
  for (;;) {
    found = member(current, parts[index]!);
    if (found === undefined || Array.isArray(found)) break;
    if (isObjectValue(found)) {
      index++;
      if (index === count) break;
      current = found;
      continue;
    }
    // A scalar (or null) before the end of the path: the path yields "missing".
    if (index + 1 < count) found = undefined;
    break;
  }
  if (!Array.isArray(found)) return visit(found);
  return visitArray(found, path, index + 1, visit);
}

/**
 * Every value `path` yields in `data` under MongoDB's traversal (what a filter on the path is tested against),
 * in MongoDB's order; `undefined` stands for "missing". Index keys are made of these, so that an index holds a
 * key for every value a filter could match.
 */
export function valuesAtPath(data: JsonObject, path: string): Array<JsonValue | undefined> {
  const values: Array<JsonValue | undefined> = [];
  visitPath(data, cachedPath(path), 0, (value) => {
    values.push(value);
    return false;
  });
  return values;
}

/** The IN_ARRAY state of BSONElementIterator: `array` was reached and `next` indexes the rest of the path. */
function visitArray(array: JsonValue[], path: CompiledPath, next: number, visit: Visitor): boolean {
  const count = path.parts.length;
  if (next === count) {
    // The path ends at this array: each element, then the array itself.
    for (let k = 0; k < array.length; k++) if (visit(array[k]!)) return true;
    return visit(array);
  }
  const position = path.positions[next]!;
  const entireRest = next + 1 === count;
  for (let k = 0; k < array.length; k++) {
    const element = array[k]!;
    if (isObjectValue(element)) {
      // The rest of the path applies inside each subdocument...
      if (visitPath(element, path, next, visit)) return true;
      // ...and a numeric next segment also names this element by its position.
      if (position === k) {
        if (entireRest) {
          if (visit(element)) return true;
        } else if (visitPath(element, path, next + 1, visit)) {
          return true;
        }
      }
    } else if (position === k) {
      if (entireRest) {
        if (visit(element)) return true;
      } else if (Array.isArray(element)) {
        if (visitArray(element, path, next + 1, visit)) return true;
      }
    }
  }
  // A path that continues past the array yields nothing more (not even "missing").
  return false;
}
