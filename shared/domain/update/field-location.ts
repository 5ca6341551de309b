import type { JsonObject, JsonValue } from '../document.js';
import { isJsonObject } from '../data-value.js';
import { describe, fail } from './invalid-update.js';
import { isArrayIndex, type UpdatePath } from './update-path.js';

/**
 * Where an update path leads in a document, found as MongoDB's update code walks it: a segment names a field of
 * an object, or, when it is all digits, an element of an array. There is no implicit traversal of arrays (as a
 * query does): `a.b` where `a` is an array leads nowhere.
 */
export type FieldLocation = FoundField | MissingField;

export interface FoundField {
  readonly found: true;
  /** The object or array that holds the value. */
  readonly container: JsonObject | JsonValue[];
  readonly key: string;
  readonly value: JsonValue;
  /** The first array the walk went through (the container included), as a dotted path; undefined if none. */
  readonly arrayOnPath: string | undefined;
}

export interface MissingField {
  readonly found: false;
  /** The deepest value that exists on the path: an object, an array or a scalar that blocks it. */
  readonly last: JsonValue;
  /** The number of segments that exist (the index of the first missing one); at least 1 below the root. */
  readonly depth: number;
  /** The first array the walk went through (`last` included), as a dotted path; undefined if none. */
  readonly arrayOnPath: string | undefined;
}

const hasOwn = Object.prototype.hasOwnProperty;

export function locate(root: JsonObject, path: UpdatePath): FieldLocation {
  const segments = path.segments;
  let current: JsonValue = root;
  let arrayOnPath: string | undefined;
  for (let i = 0; ; i++) {
    const segment = segments[i]!;
    let child: JsonValue | undefined;
    if (Array.isArray(current)) {
      arrayOnPath ??= segments.slice(0, i).join('.');
      if (isArrayIndex(segment)) child = current[Number(segment)];
    } else if (isJsonObject(current) && hasOwn.call(current, segment)) {
      child = current[segment];
    }
    if (child === undefined) return { found: false, last: current, depth: i, arrayOnPath };
    if (i === segments.length - 1) {
      return { found: true, container: current as JsonObject | JsonValue[], key: segment, value: child, arrayOnPath };
    }
    current = child;
  }
}

/** Replaces the value at an existing location (in place: the document is the update's working copy). */
export function replaceAt(location: FoundField, value: JsonValue): void {
  if (Array.isArray(location.container)) location.container[Number(location.key)] = value;
  else location.container[location.key] = value;
}

/** `$unset`: a field is removed; an array element becomes null, so that the other elements keep their places. */
export function unsetAt(location: FoundField): void {
  if (Array.isArray(location.container)) location.container[Number(location.key)] = null;
  else delete location.container[location.key];
}

/**
 * Most null elements one update may add to pad arrays (`$set: {"a.5000": 1}` on a short array). MongoDB allows
 * 1,500,000 per array; a few bytes of update would then grow a document by megabytes, so this is lower.
 */
export const MAX_ARRAY_PADDING = 10_000;

/** How many padding nulls the update may still add (see createAt). */
export interface PaddingBudget {
  left: number;
}

/**
 * Creates the missing part of a path holding `value`, as MongoDB's `createPathAt`: in an object, a new field
 * (added last) holding nested objects down to the value (a numeric segment there is a field name); in an array,
 * a numeric segment names the element, and the array is first padded with null up to it. A scalar in the way,
 * or a non-numeric segment on an array, cannot be created through.
 */
export function createAt(
  location: MissingField,
  path: UpdatePath,
  value: JsonValue,
  padding: PaddingBudget,
  at: string,
): void {
  const { last, depth } = location;
  const segment = path.segments[depth]!;
  let nested = value;
  for (let i = path.segments.length - 1; i > depth; i--) nested = { [path.segments[i]!]: nested };
  if (Array.isArray(last) && isArrayIndex(segment)) {
    const index = Number(segment);
    const nulls = index - last.length;
    if (nulls > padding.left) {
      const array = path.segments.slice(0, depth).join('.');
      const limit = `an update may add at most ${MAX_ARRAY_PADDING} padding elements`;
      fail(at, `cannot pad the array '${array}' with null up to index ${segment}: ${limit}`);
    }
    padding.left -= nulls;
    while (last.length < index) last.push(null);
    last.push(nested);
  } else if (isJsonObject(last)) {
    last[segment] = nested;
  } else {
    fail(at, `Cannot create field '${segment}' in element {${elementText(location, path)}}`);
  }
}

/**
 * For operators that never create (`$pull`, `$pop`, the source of `$rename`), a missing path is a no-op only
 * if it could have been created (MongoDB's `checkViability`): it stops in an object, or in an array at a
 * numeric segment. A scalar in the way, or a field name on an array, is an error.
 */
export function requireViable(location: MissingField, path: UpdatePath, at: string): void {
  const { last, depth } = location;
  const segment = path.segments[depth]!;
  const viable = Array.isArray(last) ? isArrayIndex(segment) : isJsonObject(last);
  if (!viable) {
    const element = elementText(location, path);
    fail(at, `Cannot use the part (${segment}) of (${path.text}) to traverse the element ({${element}})`);
  }
}

/** The blocking element as MongoDB names it in errors: `a: 1` (its field name, then its value). */
function elementText(location: MissingField, path: UpdatePath): string {
  return `${path.segments[location.depth - 1]}: ${describe(location.last)}`;
}
