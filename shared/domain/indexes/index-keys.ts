import type { JsonObject, JsonValue } from '../document.js';
import { InvalidInputError } from '../errors.js';
import { valuesAtPath, type SortDirection } from '../query/index.js';
import { cachedPath, type CompiledPath } from '../query/paths.js';
import type { IndexDefinition } from './index-definition.js';
import { compareBytes, concat, encodePart, WHOLE_ARRAY_MARK } from './key-encoding.js';

/** The keys one document has in one index. */
export interface DocumentKeys {
  /** Distinct encoded compound keys, in byte order. */
  readonly keys: Uint8Array[];
  /** Whether an array lies on one of the index's paths in this document (it then has a key per element). */
  readonly multikey: boolean;
}

/** Most keys one document may have in one index (one per array element, across the index's paths). */
export const MAX_KEYS_PER_DOCUMENT = 10_000;

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether walking `path` through objects meets an array (the document is then multikey for it). */
function arrayOnPath(data: JsonObject, path: string): boolean {
  let current: JsonValue | undefined = data;
  for (const segment of path.split('.')) {
    if (!isObject(current)) return false;
    current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    if (Array.isArray(current)) return true;
  }
  return false;
}

/**
 * The arrays `path` ends at in `data`, as the value of a field (not as an element of another array): the path
 * yields each of them whole, after its elements. Follows the path as MongoDB's traversal does (paths.ts):
 * through objects, through each object in an array, and through an array element named by its position.
 */
function wholeArrays(value: JsonValue | undefined, path: CompiledPath, at: number, found: Set<unknown>): void {
  if (at === path.parts.length) return;
  if (Array.isArray(value)) {
    for (const element of value) if (isObject(element)) wholeArrays(element, path, at, found);
    const position = path.positions[at]!;
    if (position >= 0 && position < value.length) wholeArrays(value[position], path, at + 1, found);
    return;
  }
  if (!isObject(value)) return;
  const segment = path.parts[at]!;
  const member = Object.hasOwn(value, segment) ? value[segment] : undefined;
  if (at + 1 < path.parts.length) wholeArrays(member, path, at + 1, found);
  else if (Array.isArray(member)) found.add(member);
}

function wholeArraysOf(data: JsonObject, path: string): ReadonlySet<unknown> {
  const found = new Set<unknown>();
  wholeArrays(data, cachedPath(path), 0, found);
  return found;
}

/** One path's part of a key, and whether it is an array as a whole. */
interface Part {
  readonly bytes: Uint8Array;
  readonly whole: boolean;
}

const NONE: ReadonlySet<unknown> = new Set();

function samePart(a: Part, b: Part): boolean {
  return a.whole === b.whole && compareBytes(a.bytes, b.bytes) === 0;
}

/** The distinct parts `path` gives the keys of `data`; `arrayOnIt`: an array lies on the path. */
function partsAt(data: JsonObject, path: string, direction: SortDirection, arrayOnIt: boolean): Part[] {
  const found = valuesAtPath(data, path);
  if (found.length === 0) return [{ bytes: encodePart(null, direction), whole: false }];
  const whole = arrayOnIt ? wholeArraysOf(data, path) : NONE;
  const parts = found.map((value) => ({ bytes: encodePart(value, direction), whole: whole.has(value) }));
  parts.sort((a, b) => compareBytes(a.bytes, b.bytes) || Number(a.whole) - Number(b.whole));
  return parts.filter((part, i) => i === 0 || !samePart(part, parts[i - 1]!));
}

/**
 * The index keys of `data`: for each path, every value a filter on that path is tested against (array
 * elements, the array itself, "missing" as null), encoded in the path's direction; the compound keys are their
 * combinations. So every document a filter on the index's paths can match has a key inside that filter's
 * bounds, and an index scan never misses a match (the query still tests each document it reads). A key made
 * with an array as a whole is marked (WHOLE_ARRAY_MARK): MongoDB's keys are the elements alone (an empty array
 * has one of its own), so `{e: ["x"]}` and `{e: [["x"]]}` must not share a key in a unique index. Like
 * MongoDB, a document with arrays on two paths of one index is refused: the combinations would multiply.
 */
export function indexKeysOf(data: JsonObject, index: IndexDefinition): DocumentKeys {
  const arrayPaths = index.keys.filter(([path]) => arrayOnPath(data, path)).map(([path]) => path);
  if (arrayPaths.length > 1) {
    throw new InvalidInputError(`cannot index parallel arrays [${arrayPaths.join('] [')}] in index '${index.name}'`, [
      { path: `data.${arrayPaths[1]}`, message: `an array, as is data.${arrayPaths[0]}; index '${index.name}' cannot hold both` },
    ]);
  }
  let combinations: Part[][] = [[]];
  for (const [path, direction] of index.keys) {
    const parts = partsAt(data, path, direction, arrayPaths[0] === path);
    if (combinations.length * parts.length > MAX_KEYS_PER_DOCUMENT) {
      throw new InvalidInputError(`data has more than ${MAX_KEYS_PER_DOCUMENT} keys in index '${index.name}'`, [
        { path: `data.${path}`, message: `too many elements to index in '${index.name}'` },
      ]);
    }
    combinations = combinations.flatMap((prefix) => parts.map((part) => [...prefix, part]));
  }
  return { keys: distinct(combinations.map(keyOf)), multikey: arrayPaths.length > 0 };
}

function keyOf(parts: readonly Part[]): Uint8Array {
  const bytes = parts.map((part) => part.bytes);
  return concat(parts.some((part) => part.whole) ? [...bytes, MARK] : bytes);
}

const MARK = new Uint8Array([WHOLE_ARRAY_MARK]);

function distinct(keys: Uint8Array[]): Uint8Array[] {
  const sorted = [...keys].sort(compareBytes);
  return sorted.filter((key, i) => i === 0 || compareBytes(key, sorted[i - 1]!) !== 0);
}
