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

/** The first array walking a path through objects meets, and how many of the path's segments lead to it. */
interface MetArray {
  readonly array: JsonValue[];
  readonly segments: number;
}

/** The first array walking `path` through objects meets (the document is then multikey for it), if any. */
function arrayOnPath(data: JsonObject, path: string): MetArray | undefined {
  const segments = path.split('.');
  let current: JsonValue | undefined = data;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    if (!isObject(current)) return undefined;
    current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    if (Array.isArray(current)) return { array: current, segments: i + 1 };
  }
  return undefined;
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
 * has one of its own), so `{e: ["x"]}` and `{e: [["x"]]}` must not share a key in a unique index. Arrays on
 * several paths are keyed per element when they are one array of objects (elementCombinations); other arrays
 * on two paths of one index are refused, as MongoDB refuses parallel arrays: the combinations would multiply.
 */
export function indexKeysOf(data: JsonObject, index: IndexDefinition): DocumentKeys {
  const met = new Map<string, MetArray>();
  for (const [path] of index.keys) {
    const found = arrayOnPath(data, path);
    if (found) met.set(path, found);
  }
  const combinations = met.size > 1 ? elementCombinations(data, index, met) : crossProduct(data, index, [...met.keys()][0]);
  return { keys: distinct(combinations.map(keyOf)), multikey: met.size > 0 };
}

/** Every combination of the parts each path gives; `arrayPath`: the one path an array lies on, if any. */
function crossProduct(data: JsonObject, index: IndexDefinition, arrayPath: string | undefined): Part[][] {
  let combinations: Part[][] = [[]];
  for (const [path, direction] of index.keys) {
    const parts = partsAt(data, path, direction, arrayPath === path);
    if (combinations.length * parts.length > MAX_KEYS_PER_DOCUMENT) throw tooManyKeys(index, path);
    combinations = combinations.flatMap((prefix) => parts.map((part) => [...prefix, part]));
  }
  return combinations;
}

/** A segment that may name an array element by its position rather than a field of each element. */
const POSITION = /^[0-9]+$/;

/** What a path reaches inside an element when it meets another array there. */
const INNER_ARRAY = Symbol('inner array');

/**
 * The keys of a document whose index paths meet one array on several paths (`{"r.score": 1, "r.by": 1}` over
 * `{r: [{score: 2, by: "x"}, {score: 9, by: "y"}]}`): as in MongoDB, one key per element, pairing what the
 * paths reach in that same element, (2, "x") and (9, "y"), not their cross product, which would also hold
 * (2, "y") and so refuse a document with that pair in a unique index. What a path reaches in an element
 * that is not an object, or lacks it, is null, as is every path of an empty array. Refused as parallel arrays
 * unless the paths meet the same array by the same segments, go on past it, reach no other array in its
 * elements and name no position.
 */
function elementCombinations(data: JsonObject, index: IndexDefinition, met: ReadonlyMap<string, MetArray>): Part[][] {
  const arrayPaths = [...met.keys()];
  const shared = sharedArray(met);
  if (!shared) throw parallelArrays(index, arrayPaths);
  const elements: Array<JsonValue | undefined> = shared.array.length === 0 ? [undefined] : shared.array;
  if (elements.length > MAX_KEYS_PER_DOCUMENT) throw tooManyKeys(index, arrayPaths[0]!);
  // A path that meets no array has one value, the same in every key.
  const others = new Map(index.keys.filter(([path]) => !met.has(path)).map(([path, direction]) => [path, partsAt(data, path, direction, false)[0]!]));
  return elements.map((element) =>
    index.keys.map(([path, direction]) => {
      const rest = shared.rests.get(path);
      if (rest === undefined) return others.get(path)!;
      const value = valueInElement(element, rest);
      if (value === INNER_ARRAY) throw parallelArrays(index, arrayPaths);
      return { bytes: encodePart(value, direction), whole: false };
    }),
  );
}

/** The array all of `met` meets by the same segments, and each path's segments past it; undefined if none is. */
function sharedArray(met: ReadonlyMap<string, MetArray>): { array: JsonValue[]; rests: Map<string, string[]> } | undefined {
  const [firstPath, { array, segments }] = met.entries().next().value!;
  const lead = firstPath.split('.').slice(0, segments).join('.');
  const rests = new Map<string, string[]>();
  for (const [path, found] of met) {
    const parts = path.split('.');
    const same = found.array === array && parts.slice(0, found.segments).join('.') === lead;
    if (!same || parts.length === found.segments || parts.some((part) => POSITION.test(part))) return undefined;
    rests.set(path, parts.slice(found.segments));
  }
  return { array, rests };
}

/** What `rest` reaches through objects in one element of the shared array: missing is null. */
function valueInElement(element: JsonValue | undefined, rest: readonly string[]): JsonValue | typeof INNER_ARRAY {
  let current = element;
  for (const segment of rest) {
    if (!isObject(current)) return null;
    current = Object.hasOwn(current, segment) ? current[segment] : undefined;
    if (Array.isArray(current)) return INNER_ARRAY;
  }
  return current ?? null;
}

function parallelArrays(index: IndexDefinition, arrayPaths: readonly string[]): InvalidInputError {
  return new InvalidInputError(`cannot index parallel arrays [${arrayPaths.join('] [')}] in index '${index.name}'`, [
    { path: `data.${arrayPaths[1]}`, message: `an array, as is data.${arrayPaths[0]}; index '${index.name}' cannot hold both` },
  ]);
}

function tooManyKeys(index: IndexDefinition, path: string): InvalidInputError {
  return new InvalidInputError(`data has more than ${MAX_KEYS_PER_DOCUMENT} keys in index '${index.name}'`, [
    { path: `data.${path}`, message: `too many elements to index in '${index.name}'` },
  ]);
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
