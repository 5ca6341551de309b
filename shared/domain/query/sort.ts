import type { JsonObject, JsonValue } from '../document.js';
import { cachedPath, type CompiledPath, isObjectValue, member } from './paths.js';
import { fail, isIntegerLikeKey, isPlainInputObject, pathProblem } from './validation.js';
import { compareValues } from './value-order.js';

/**
 * Sorting as MongoDB sorts: the sort specification, each document's sort key, and the order of positions
 * (sort key, then id) that pages and cursors rest on.
 */

export type SortDirection = 1 | -1;

/** The one rule for a direction, of a sort or of an index key: 1 ascending, -1 descending, nothing else. */
export function isSortDirection(value: unknown): value is SortDirection {
  return value === 1 || value === -1;
}
/** Sort fields (dotted data paths) in priority order. The id ascending breaks ties and is implicit. */
export type SortSpec = ReadonlyArray<readonly [field: string, direction: SortDirection]>;

/** Where a page ended: the sort key of the last document (missing fields as null) and its id. */
export interface SortPosition {
  readonly values: readonly JsonValue[];
  readonly id: string;
}

/** Most sort fields (MongoDB's own limit for a sort pattern). */
export const MAX_SORT_FIELDS = 32;

/**
 * The sort key of a field whose value is an empty array. MongoDB sorts an empty array below null and missing
 * (its index key is BSON `undefined`); JSON has no such value, so the key is this object, which is also the
 * canonical Extended JSON of `undefined`. It cannot collide with stored data, whose keys never start with `$`.
 * `comparePositions` ranks it below every other value, in both directions.
 */
export const EMPTY_ARRAY_SORT_KEY: JsonObject = Object.freeze({ $undefined: true }) as unknown as JsonObject;

const hasOwn = Object.prototype.hasOwnProperty;

/** `{"field": 1 | -1, ...}` in key order → SortSpec. Throws InvalidInputError on anything else. */
export function validateSort(raw: unknown): SortSpec {
  if (raw === undefined || raw === null) return [];
  if (!isPlainInputObject(raw)) fail('sort', 'must be a JSON object such as {"age": -1}');
  const keys = Object.keys(raw);
  if (keys.length > MAX_SORT_FIELDS) fail('sort', `at most ${MAX_SORT_FIELDS} sort fields`);
  const spec: Array<readonly [string, SortDirection]> = [];
  for (const key of keys) {
    const at = `sort.${key}`;
    const problem = pathProblem(key);
    if (problem) fail(at, problem);
    if (keys.length > 1 && isIntegerLikeKey(key)) fail(at, 'a sort key beside others must not be a bare number: its place in the sort order would be lost');
    const direction = raw[key];
    if (!isSortDirection(direction)) fail(at, 'sort direction must be 1 or -1');
    spec.push([key, direction]);
  }
  return spec;
}

/** Whether a sort key value is the empty-array marker (see EMPTY_ARRAY_SORT_KEY). */
export function isEmptyArrayKey(value: JsonValue | undefined): boolean {
  return isObjectValue(value) && hasOwn.call(value, '$undefined');
}

/** Sort key order: the empty-array marker first, then MongoDB's order of values. */
function compareSortValues(a: JsonValue, b: JsonValue): number {
  const ea = isEmptyArrayKey(a);
  const eb = isEmptyArrayKey(b);
  if (ea || eb) return ea === eb ? 0 : ea ? -1 : 1;
  return compareValues(a, b);
}

/** The best key found so far for one field: the smallest, or the largest when the field sorts descending. */
interface Candidate {
  key: JsonValue;
  found: boolean;
  descending: boolean;
}

function considerKey(best: Candidate, value: JsonValue): void {
  if (!best.found) {
    best.key = value;
    best.found = true;
    return;
  }
  const c = compareSortValues(value, best.key);
  if (best.descending ? c > 0 : c < 0) best.key = value;
}

/**
 * The index keys MongoDB generates for a path (BtreeKeyGenerator): missing → null; a leaf array → each
 * element (nested arrays as values), an empty leaf array → undefined (EMPTY_ARRAY_SORT_KEY); arrays along the
 * path are expanded over their subdocuments, other elements giving null; a numeric segment on an array
 * selects that element.
 */
function collectKeys(value: JsonValue | undefined, path: CompiledPath, i: number, best: Candidate): void {
  if (i === path.parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) considerKey(best, EMPTY_ARRAY_SORT_KEY);
      else for (let k = 0; k < value.length; k++) considerKey(best, value[k]!);
    } else {
      considerKey(best, value === undefined ? null : value);
    }
    return;
  }
  if (typeof value !== 'object' || value === null) {
    considerKey(best, null);
    return;
  }
  if (!Array.isArray(value)) {
    collectKeys(member(value, path.parts[i]!), path, i + 1, best);
    return;
  }
  const position = path.positions[i]!;
  if (position >= 0) {
    const element = position < value.length ? value[position] : undefined;
    if (i + 1 === path.parts.length && Array.isArray(element)) {
      // A positionally selected array is one value, not expanded.
      considerKey(best, element.length === 0 ? EMPTY_ARRAY_SORT_KEY : element);
    } else {
      collectKeys(element, path, i + 1, best);
    }
    return;
  }
  if (value.length === 0) {
    considerKey(best, null);
    return;
  }
  for (let k = 0; k < value.length; k++) {
    const element = value[k]!;
    if (isObjectValue(element)) collectKeys(element, path, i, best);
    else considerKey(best, null);
  }
}

/**
 * The sort key of `data` under `sort`, as MongoDB sorts: per field, the value at the path (missing → null);
 * where the path reaches several values (arrays), the smallest for an ascending field and the largest for a
 * descending one. An empty array sorts below null and missing (MongoDB's rule), as EMPTY_ARRAY_SORT_KEY.
 */
export function sortKeyOf(data: JsonObject, sort: SortSpec): JsonValue[] {
  const key: JsonValue[] = new Array<JsonValue>(sort.length);
  const best: Candidate = { key: null, found: false, descending: false };
  for (let s = 0; s < sort.length; s++) {
    const [field, direction] = sort[s]!;
    best.key = null;
    best.found = false;
    best.descending = direction === -1;
    collectKeys(data, cachedPath(field), 0, best);
    key[s] = best.key;
  }
  return key;
}

/** Orders two positions under `sort`, ties broken by id ascending. */
export function comparePositions(a: SortPosition, b: SortPosition, sort: SortSpec): number {
  for (let s = 0; s < sort.length; s++) {
    const c = compareSortValues(a.values[s] ?? null, b.values[s] ?? null);
    if (c !== 0) return sort[s]![1] === -1 ? -c : c;
  }
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1;
}
