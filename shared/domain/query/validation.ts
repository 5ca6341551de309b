import { MAX_DEPTH, UNPAIRED_SURROGATE } from '../data-rules.js';
import { InvalidInputError } from '../errors.js';

/**
 * What a query's input may be, checked before anything runs: page limits, depth, field paths and literal
 * operands. Each failure is an InvalidInputError naming the offending input path (e.g. `filter.a.$gt`).
 */

/** Documents a page holds when the query names no limit, and the most it may name. */
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** A filter nests at most this deep (the filter object itself is depth 1), like `data`. */
export const MAX_FILTER_DEPTH = MAX_DEPTH;
/** A dotted field path has at most this many segments: deeper paths cannot reach anything in `data`. */
export const MAX_PATH_SEGMENTS = MAX_DEPTH;

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
/** Refuses the input at `path`: an InvalidInputError naming it. */
export function fail(path: string, message: string): never {
  throw new InvalidInputError(`${path}: ${message}`, [{ path, message }]);
}

/** A plain JSON object as input (not an array, not a class instance). */
export function isPlainInputObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Whether a key is integer-like. JSON objects list such keys first, whatever order the client wrote them in, so
 * where the order of an object's keys means something (a sort, an index's keys) one would silently move.
 */
export function isIntegerLikeKey(key: string): boolean {
  return /^(?:0|[1-9][0-9]*)$/.test(key);
}

/** Why a dotted field path is unacceptable, or undefined when it is fine. */
export function pathProblem(path: string): string | undefined {
  if (path.length === 0) return 'field paths must not be empty';
  if (path.includes('\0')) return 'field paths must not contain NUL';
  if (!path.isWellFormed()) return UNPAIRED_SURROGATE;
  const segments = path.split('.');
  if (segments.length > MAX_PATH_SEGMENTS) return `field paths have at most ${MAX_PATH_SEGMENTS} segments`;
  for (const segment of segments) {
    if (segment === '') return 'field path segments must not be empty';
    if (segment.startsWith('$')) return `field path segment '${segment}' must not start with $`;
    if (FORBIDDEN_SEGMENTS.has(segment)) return `field path segment '${segment}' is not allowed`;
  }
  return undefined;
}

/** A literal operand (equality value, `$in` element, comparison bound): plain JSON, no `$` keys. */
export function checkLiteral(value: unknown, at: string, depth: number): void {
  switch (typeof value) {
    case 'string':
      if (!value.isWellFormed()) fail(at, UNPAIRED_SURROGATE);
      return;
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value)) fail(at, 'numbers must be finite');
      return;
    case 'object':
      break;
    default:
      fail(at, 'must be a JSON value');
  }
  if (value === null) return;
  if (depth > MAX_FILTER_DEPTH) fail(at, `filter nesting depth exceeds ${MAX_FILTER_DEPTH}`);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) checkLiteral(value[i], `${at}[${i}]`, depth + 1);
    return;
  }
  if (!isPlainInputObject(value)) fail(at, 'must be a JSON value');
  for (const key of Object.keys(value)) {
    if (key.startsWith('$')) {
      fail(`${at}.${key}`, `operator ${key} is not allowed inside a literal value`);
    }
    if (key.includes('\0')) fail(`${at}.${key}`, 'keys must not contain NUL');
    if (!key.isWellFormed()) fail(`${at}.${key}`, UNPAIRED_SURROGATE);
    if (FORBIDDEN_SEGMENTS.has(key)) fail(`${at}.${key}`, `key '${key}' is not allowed`);
    checkLiteral(value[key], `${at}.${key}`, depth + 1);
  }
}

/** Refuses a filter nested deeper than MAX_FILTER_DEPTH at `at`. */
export function checkDepth(depth: number, at: string): void {
  if (depth > MAX_FILTER_DEPTH) fail(at, `filter nesting depth exceeds ${MAX_FILTER_DEPTH}`);
}
