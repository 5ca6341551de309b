import type { JsonObject, JsonValue } from './document.js';
import { keyProblem, MAX_DEPTH } from './data-rules.js';
import { isJsonObject, validateDataValue } from './data-value.js';
import { InvalidInputError, JsonPatchTestFailedError, PayloadTooLargeError } from './errors.js';
import { END_OF_ARRAY, isArrayIndexToken, parseJsonPointer } from './json-pointer.js';

/**
 * RFC 6902 JSON Patch over a document's `data`: a list of operations applied in order, all or nothing.
 * Paths are RFC 6901 JSON Pointers into `data` (`/tags/0`, `/a~1b` for the key `a/b`, `/tags/-` to append).
 */

export type JsonPatchOperation =
  | { readonly op: 'add' | 'replace' | 'test'; readonly path: string; readonly value: JsonValue }
  | { readonly op: 'remove'; readonly path: string }
  | { readonly op: 'move' | 'copy'; readonly from: string; readonly path: string };

/** A patch that passed `validateJsonPatch`. */
export type JsonPatch = readonly JsonPatchOperation[] & { readonly __validJsonPatch?: never };

/** Most operations in one patch. */
export const MAX_PATCH_OPERATIONS = 1000;

const OPERATIONS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** An operation with its pointers decoded, and where it sits in the patch (for errors). */
interface CompiledOperation {
  readonly operation: JsonPatchOperation;
  readonly index: number;
  readonly path: readonly string[];
  /** move and copy only. */
  readonly from: readonly string[];
}

/**
 * Checks a JSON Patch and returns its operations (members an operation does not define are dropped: RFC 6902
 * §4 says to ignore them), or throws InvalidInputError naming the offending member (`patch[2].path`). Values
 * must be valid data values, and every pointer token a possible data key: a pointer that can never name
 * anything in `data` (`/a.b`, `/$x`) is refused up front rather than at apply. Duplicate members in one
 * operation (RFC 6902 A.13) cannot be seen here: JSON.parse has already kept the last.
 */
export function validateJsonPatch(raw: unknown): JsonPatch {
  if (!Array.isArray(raw)) fail('patch', 'must be a JSON array of operations (RFC 6902)');
  if (raw.length > MAX_PATCH_OPERATIONS) fail('patch', `a patch has at most ${MAX_PATCH_OPERATIONS} operations`);
  const compiled = raw.map(parseOperation);
  const patch = compiled.map(({ operation }) => operation);
  compiledPatches.set(patch, compiled);
  return patch;
}

/**
 * Applies a validated patch to `data` and returns the new data; `data` is not changed, and a failing
 * operation leaves nothing half done. Throws JsonPatchTestFailedError when a `test` fails, and
 * InvalidInputError naming the operation (`patch[2].path`, `patch[2].from`, `patch[2].value`) when a
 * location is missing (remove, replace, move and copy sources, the parent of an add), an array index is out
 * of range, the whole data would be removed or replaced by something other than an object, or the result would
 * nest deeper than MAX_DEPTH.
 *
 * `maxCopiedBytes` bounds the values the `copy` operations copy, in all, as UTF-8 JSON; past it the patch
 * throws PayloadTooLargeError naming the copy. Every other operation adds only what the patch carries, but a
 * copy doubles what it copies: a few dozen copies of the whole data would build gigabytes before the result
 * could be measured.
 */
export function applyJsonPatch(data: JsonObject, patch: JsonPatch, maxCopiedBytes = Infinity): JsonObject {
  let compiled = compiledPatches.get(patch);
  if (compiled === undefined) {
    compiled = patch.map(parseOperation);
    compiledPatches.set(patch, compiled);
  }
  const document: Document = { root: structuredClone(data), copiedBytes: 0, maxCopiedBytes, heights: new WeakMap() };
  for (const operation of compiled) apply(document, operation);
  return document.root;
}

/** Compiled operations by patch: a patch is treated as immutable once validated. */
const compiledPatches = new WeakMap<object, readonly CompiledOperation[]>();

function parseOperation(item: unknown, index: number): CompiledOperation {
  const at = `patch[${index}]`;
  if (!isJsonObject(item)) fail(at, 'must be an operation object such as {"op": "add", "path": "/a", "value": 1}');
  const { op } = item;
  if (typeof op !== 'string' || !OPERATIONS.has(op)) {
    fail(`${at}.op`, 'must be one of add, remove, replace, move, copy, test');
  }
  const path = pointer(item['path'], `${at}.path`);
  switch (op) {
    case 'add':
    case 'replace':
    case 'test': {
      if (!Object.hasOwn(item, 'value')) fail(`${at}.value`, `${op} requires a value`);
      const value = validateDataValue(item['value'], `${at}.value`);
      return { operation: { op, path: path.text, value }, index, path: path.tokens, from: [] };
    }
    case 'remove':
      return { operation: { op, path: path.text }, index, path: path.tokens, from: [] };
    default: {
      const from = pointer(item['from'], `${at}.from`);
      const intoItself = from.tokens.length < path.tokens.length && from.tokens.every((t, i) => t === path.tokens[i]);
      if (op === 'move' && intoItself) {
        fail(`${at}.from`, `'${from.text}' cannot be moved into its own child '${path.text}'`);
      }
      const operation = { op: op as 'move' | 'copy', from: from.text, path: path.text };
      return { operation, index, path: path.tokens, from: from.tokens };
    }
  }
}

interface Pointer {
  readonly text: string;
  readonly tokens: string[];
}

/** A pointer that could name something in data: every token a possible key (an index or '-' is one). */
function pointer(raw: unknown, at: string): Pointer {
  if (typeof raw !== 'string') fail(at, 'must be a JSON Pointer string such as "/a/0"');
  const tokens = parseJsonPointer(raw, at);
  for (const token of tokens) {
    const problem = keyProblem(token);
    if (problem) {
      fail(at, `'${raw}' can never name a value in data: its token '${token}' breaks the key rules (${problem})`);
    }
  }
  return { text: raw, tokens };
}

interface Document {
  root: JsonObject;
  /** What the copies have copied so far, and may copy in all (applyJsonPatch's maxCopiedBytes). */
  copiedBytes: number;
  readonly maxCopiedBytes: number;
  /**
   * Heights of the values operations placed, while nothing inside them changes: a move keeps a value's height,
   * and walking a large value on each of a thousand moves would cost a thousand times moving it once.
   */
  readonly heights: WeakMap<object, number>;
}

function apply(document: Document, compiled: CompiledOperation): void {
  const { operation, index, path, from } = compiled;
  const at = `patch[${index}]`;
  switch (operation.op) {
    case 'add':
      add(document, path, structuredClone(operation.value), `${at}.path`, `${at}.value`);
      return;
    case 'remove':
      remove(document, path, `${at}.path`);
      return;
    case 'replace':
      replace(document, path, structuredClone(operation.value), `${at}.path`, `${at}.value`);
      return;
    case 'move': {
      if (samePath(from, path)) {
        found(document, from, `${at}.from`);
        return;
      }
      add(document, path, remove(document, from, `${at}.from`), `${at}.path`, `${at}.path`);
      return;
    }
    case 'copy':
      add(document, path, copied(document, found(document, from, `${at}.from`), `${at}.from`), `${at}.path`, `${at}.path`);
      return;
    case 'test': {
      const actual = lookup(document.root, path);
      if (actual === undefined || !jsonEqual(actual, operation.value)) {
        throw new JsonPatchTestFailedError(index, operation.path, actual !== undefined);
      }
      return;
    }
  }
}

const utf8 = new TextEncoder();

/** A copy of `value`, counted (before it is made) against what the patch's copies may copy in all. */
function copied(document: Document, value: JsonValue, at: string): JsonValue {
  document.copiedBytes += utf8.encode(JSON.stringify(value)).length;
  if (document.copiedBytes > document.maxCopiedBytes) {
    throw new PayloadTooLargeError(`${at}: the patch's copy operations would copy more than ${document.maxCopiedBytes} bytes of data`);
  }
  return structuredClone(value);
}

/**
 * RFC 6902 §4.1: into an object, a member is added or replaced; into an array, the value is inserted at the
 * index (0 to length; `-` appends); at the root, the whole document is replaced. The parent must exist.
 */
function add(document: Document, path: readonly string[], value: JsonValue, pathAt: string, valueAt: string): void {
  checkDepth(document, path, value, valueAt);
  if (path.length === 0) {
    document.root = asDocument(value, valueAt);
    return;
  }
  const parent = lookup(document.root, path.slice(0, -1));
  const token = path[path.length - 1]!;
  const parentText = pointerText(path.slice(0, -1));
  forgetHeightsAbove(document, path);
  if (Array.isArray(parent)) {
    if (token === END_OF_ARRAY) parent.push(value);
    else if (isArrayIndexToken(token) && Number(token) <= parent.length) parent.splice(Number(token), 0, value);
    else fail(pathAt, `'${token}' is not a position in the array at ${parentText} (0 to ${parent.length}, or '-')`);
  } else if (isJsonObject(parent)) {
    parent[token] = value;
  } else {
    fail(
      pathAt,
      parent === undefined
        ? `there is no value at ${parentText} to add to`
        : `the value at ${parentText} is neither an object nor an array`,
    );
  }
}

/** RFC 6902 §4.2: the value must exist; an array closes the gap. Returns the removed value. */
function remove(document: Document, path: readonly string[], at: string): JsonValue {
  if (path.length === 0) fail(at, 'the whole document cannot be removed');
  const { parent, token, value } = member(document, path, at);
  forgetHeightsAbove(document, path);
  if (Array.isArray(parent)) parent.splice(Number(token), 1);
  else delete parent[token];
  return value;
}

/** RFC 6902 §4.3: the value must exist and is replaced in place. */
function replace(document: Document, path: readonly string[], value: JsonValue, pathAt: string, valueAt: string): void {
  checkDepth(document, path, value, valueAt);
  if (path.length === 0) {
    document.root = asDocument(value, valueAt);
    return;
  }
  const { parent, token } = member(document, path, pathAt);
  forgetHeightsAbove(document, path);
  if (Array.isArray(parent)) parent[Number(token)] = value;
  else parent[token] = value;
}

interface Member {
  readonly parent: JsonObject | JsonValue[];
  readonly token: string;
  readonly value: JsonValue;
}

/** An existing value below the root, with the object or array that holds it. */
function member(document: Document, path: readonly string[], at: string): Member {
  const parent = lookup(document.root, path.slice(0, -1));
  const token = path[path.length - 1]!;
  const value = parent === undefined ? undefined : lookup(parent, [token]);
  if (value === undefined) fail(at, `there is no value at ${pointerText(path)}`);
  return { parent: parent as JsonObject | JsonValue[], token, value };
}

/** The value at `path`, which must exist: the source of a move or a copy (the root too). */
function found(document: Document, path: readonly string[], at: string): JsonValue {
  const value = lookup(document.root, path);
  if (value === undefined) fail(at, `there is no value at ${pointerText(path)}`);
  return value;
}

/** The value a pointer names, or undefined. An array is indexed only by a canonical index (never `-`). */
function lookup(root: JsonValue, path: readonly string[]): JsonValue | undefined {
  let current: JsonValue | undefined = root;
  for (const token of path) {
    if (Array.isArray(current)) current = isArrayIndexToken(token) ? current[Number(token)] : undefined;
    else if (isJsonObject(current) && Object.hasOwn(current, token)) current = current[token];
    else return undefined;
  }
  return current;
}

function samePath(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((token, i) => token === b[i]);
}

/** `data` is an object: the root can only be replaced by one. */
function asDocument(value: JsonValue, at: string): JsonObject {
  if (!isJsonObject(value)) fail(at, 'the whole document can only be replaced by a JSON object');
  return value;
}

/**
 * The data rule on depth (MAX_DEPTH, the top-level object at depth 1) for a value placed at `path`: it sits at
 * depth path.length + 1, so its deepest object or array sits at path.length + its height.
 */
function checkDepth(document: Document, path: readonly string[], value: JsonValue, at: string): void {
  if (typeof value !== 'object' || value === null) return;
  let levels = document.heights.get(value);
  if (levels === undefined) {
    levels = height(value);
    document.heights.set(value, levels);
  }
  if (path.length + levels > MAX_DEPTH) fail(at, `the result would nest deeper than ${MAX_DEPTH} levels`);
}

/** Before a change at `path`: the heights of the values holding it (the root down to its parent) may change. */
function forgetHeightsAbove(document: Document, path: readonly string[]): void {
  let current: JsonValue | undefined = document.root;
  for (let i = 0; i < path.length && typeof current === 'object' && current !== null; i++) {
    document.heights.delete(current);
    current = lookup(current, [path[i]!]);
  }
}

/** Levels of objects and arrays in a value: 0 for a scalar, 1 for `{}` or `[1]`. */
function height(value: JsonValue): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  for (const child of Array.isArray(value) ? value : Object.values(value)) deepest = Math.max(deepest, height(child));
  return deepest + 1;
}

/**
 * RFC 6902 §4.6 equality: numbers by value, strings by code points, arrays element by element, objects by the
 * same set of members (in any order, unlike MongoDB's equality).
 */
function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]!));
  }
  const keys = Object.keys(a);
  return (
    keys.length === Object.keys(b).length &&
    keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key]!, b[key]!))
  );
}

/** A pointer for a message: the tokens escaped again, the root as `""`. */
function pointerText(path: readonly string[]): string {
  if (path.length === 0) return '""';
  return `'${path.map((token) => `/${token.replaceAll('~', '~0').replaceAll('/', '~1')}`).join('')}'`;
}

function fail(path: string, message: string): never {
  throw new InvalidInputError(`${path}: ${message}`, [{ path, message }]);
}
