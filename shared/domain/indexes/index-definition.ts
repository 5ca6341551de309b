import { InterruptedError, InvalidInputError } from '../errors.js';
import { isIntegerLikeKey } from '../query/validation.js';
import { isSortDirection, type SortDirection } from '../query/index.js';

/** A secondary index of a collection: named, over 1..16 dotted data paths, each ascending or descending. */
export interface IndexDefinition {
  readonly name: string;
  readonly keys: ReadonlyArray<readonly [path: string, direction: SortDirection]>;
  readonly unique: boolean;
}

export const INDEX_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
export const MAX_INDEX_KEYS = 16;
export const MAX_INDEXES_PER_COLLECTION = 32;
/** Builds one index creation makes at most, each after its index was dropped under the last (docs/api.md: 503). */
export const MAX_BUILD_ATTEMPTS = 5;

/** What an index creation answers once its index was dropped under each of its MAX_BUILD_ATTEMPTS builds. */
export function buildsInterrupted(collection: string, name: string): InterruptedError {
  return new InterruptedError(`index '${name}' of collection '${collection}' was dropped while being built, ${MAX_BUILD_ATTEMPTS} times; try again`);
}

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
/** Paths reach at most as deep as data nests. */
const MAX_PATH_SEGMENTS = 32;

function fail(path: string, message: string): never {
  throw new InvalidInputError(`${path}: ${message}`, [{ path, message }]);
}

export function validateIndexName(raw: string): string {
  if (!INDEX_NAME.test(raw)) fail('name', `must match ${INDEX_NAME.source}`);
  return raw;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkPath(path: string, at: string): void {
  const segments = path.split('.');
  if (segments.length > MAX_PATH_SEGMENTS) fail(at, `key paths have at most ${MAX_PATH_SEGMENTS} segments`);
  for (const segment of segments) {
    if (segment === '') fail(at, 'key path segments must not be empty');
    if (segment.startsWith('$')) fail(at, `key path segment '${segment}' must not start with $`);
    if (segment.includes('\0')) fail(at, 'key paths must not contain NUL');
    if (FORBIDDEN_SEGMENTS.has(segment)) fail(at, `key path segment '${segment}' is not allowed`);
  }
}

/** `{"keys": {"city": 1, "age": -1}, "unique"?: bool}` with its name → IndexDefinition, or 400 naming the problem. */
export function validateIndexDefinition(name: string, raw: unknown): IndexDefinition {
  validateIndexName(name);
  if (!isPlainObject(raw)) fail('body', 'must be a JSON object');
  for (const key of Object.keys(raw)) {
    if (key !== 'keys' && key !== 'unique') fail(key, 'is not a field of an index definition (allowed: keys, unique)');
  }
  const { keys, unique } = raw;
  if (unique !== undefined && typeof unique !== 'boolean') fail('unique', 'must be a boolean');
  if (!isPlainObject(keys)) fail('keys', 'must be an object of data paths to 1 or -1');
  const entries = Object.entries(keys);
  if (entries.length === 0 || entries.length > MAX_INDEX_KEYS) fail('keys', `must name 1 to ${MAX_INDEX_KEYS} data paths`);
  const paths: Array<readonly [string, SortDirection]> = [];
  for (const [path, direction] of entries) {
    const at = `keys.${path}`;
    checkPath(path, at);
    if (isIntegerLikeKey(path)) fail(at, 'a key path must not be a bare number: its place in the key order would be lost');
    if (!isSortDirection(direction)) fail(at, 'direction must be 1 or -1');
    paths.push([path, direction]);
  }
  for (let i = 0; i < paths.length; i++) {
    for (let j = 0; j < paths.length; j++) {
      const [a] = paths[i]!;
      const [b] = paths[j]!;
      if (i !== j && b.startsWith(`${a}.`)) fail(`keys.${b}`, `overlaps '${a}': an index key may not lie inside another`);
    }
  }
  return { name, keys: paths, unique: unique ?? false };
}

/** Whether two definitions are the same index (PUT of an existing name answers 200 then, else 409). */
export function sameDefinition(a: IndexDefinition, b: IndexDefinition): boolean {
  return a.name === b.name && sameKeys(a, b);
}

/**
 * Whether two definitions key the same paths in the same order and directions, with the same uniqueness: MongoDB
 * refuses a second such index under another name (IndexOptionsConflict), so both stores refuse it (409).
 */
export function sameKeys(a: IndexDefinition, b: IndexDefinition): boolean {
  return (
    a.unique === b.unique &&
    a.keys.length === b.keys.length &&
    a.keys.every(([path, direction], i) => b.keys[i]![0] === path && b.keys[i]![1] === direction)
  );
}

/** The index among `existing` that `index` would repeat under another name, if any. */
export function repeatedBy(index: IndexDefinition, existing: readonly IndexDefinition[]): IndexDefinition | undefined {
  return existing.find((other) => other.name !== index.name && sameKeys(other, index));
}

/** The definition as the API shows it: `{"name", "keys": {"path": 1 | -1}, "unique"}`. */
export function describeIndex(definition: IndexDefinition): { name: string; keys: Record<string, SortDirection>; unique: boolean } {
  return { name: definition.name, keys: Object.fromEntries(definition.keys), unique: definition.unique };
}
