import type { JsonObject, JsonValue } from './document.js';
import { MAX_DEPTH } from './data-rules.js';
import { InvalidInputError } from './errors.js';
import { type CompiledPattern, patternEngine } from './pattern-engine.js';

/**
 * MongoDB-semantics query over `data` (DESIGN.md "Query filter"). One implementation serves both the
 * validation of input and the exact in-process evaluation that the SQLite store relies on.
 *
 * The evaluation follows MongoDB's classic matcher (`src/mongo/db/matcher`): a dotted path yields every value
 * it reaches (`path.cpp`: arrays are traversed implicitly, a numeric segment also indexes an array, a leaf
 * array yields its elements and then itself, a path that runs into a scalar or a missing field yields
 * "missing"), and a leaf operator matches when any yielded value satisfies it. `$ne`, `$nin`, `$not` and
 * `$exists: false` are negations of the whole path expression, exactly as MongoDB parses them.
 *
 * Target: the released MongoDB 7.0/8.0 matcher. MongoDB 9.0 (SERVER-36681) changes one corner: there
 * `{"a.b": null}` also matches an array `a` holding no objects (`[]`, `[1, 2]`); here, as in 8.0, it does not.
 */

/** A filter that passed `validateFilter`: only allowlisted operators, well-formed operands. */
export type Filter = JsonObject & { readonly __validFilter?: never };

export type SortDirection = 1 | -1;
/** Sort fields (dotted data paths) in priority order. The id ascending breaks ties and is implicit. */
export type SortSpec = ReadonlyArray<readonly [field: string, direction: SortDirection]>;

/** Where a page ended: the sort key of the last document (missing fields as null) and its id. */
export interface SortPosition {
  readonly values: readonly JsonValue[];
  readonly id: string;
}

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

/** A filter nests at most this deep (the filter object itself is depth 1), like `data`. */
export const MAX_FILTER_DEPTH = MAX_DEPTH;
/** A dotted field path has at most this many segments: deeper paths cannot reach anything in `data`. */
export const MAX_PATH_SEGMENTS = MAX_DEPTH;
/** Longest `$regex` pattern accepted. */
export const MAX_REGEX_LENGTH = 512;
/** Most sort fields (MongoDB's own limit for a sort pattern). */
export const MAX_SORT_FIELDS = 32;
/** Most projected fields. */
export const MAX_FIELDS = 256;

/**
 * The sort key of a field whose value is an empty array. MongoDB sorts an empty array below null and missing
 * (its index key is BSON `undefined`); JSON has no such value, so the key is this object, which is also the
 * canonical Extended JSON of `undefined`. It cannot collide with stored data, whose keys never start with `$`.
 * `comparePositions` ranks it below every other value, in both directions.
 */
export const EMPTY_ARRAY_SORT_KEY: JsonObject = Object.freeze({ $undefined: true }) as unknown as JsonObject;

/** A compiled filter: whether `data` matches. Pure and synchronous; safe to call once per row. */
export type FilterMatcher = (data: JsonObject) => boolean;

// ---------------------------------------------------------------------------------------------------------
// Input validation helpers

const FORBIDDEN_SEGMENTS = new Set(['__proto__', 'constructor', 'prototype']);
const hasOwn = Object.prototype.hasOwnProperty;

function fail(path: string, message: string): never {
  throw new InvalidInputError(`${path}: ${message}`, [{ path, message }]);
}

/** A plain JSON object as input (not an array, not a class instance). */
function isPlainInputObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Why a dotted field path is unacceptable, or undefined when it is fine. */
function pathProblem(path: string): string | undefined {
  if (path.length === 0) return 'field paths must not be empty';
  if (path.includes('\0')) return 'field paths must not contain NUL';
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
function checkLiteral(value: unknown, at: string, depth: number): void {
  switch (typeof value) {
    case 'string':
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
    if (FORBIDDEN_SEGMENTS.has(key)) fail(`${at}.${key}`, `key '${key}' is not allowed`);
    checkLiteral(value[key], `${at}.${key}`, depth + 1);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Paths and MongoDB's element iteration

interface CompiledPath {
  readonly parts: readonly string[];
  /** For each part: the array position it names when it is a canonical non-negative integer, else -1. */
  readonly positions: readonly number[];
}

function compilePath(path: string): CompiledPath {
  const parts = path.split('.');
  const positions = parts.map((part) => (/^(?:0|[1-9][0-9]{0,8})$/.test(part) ? Number(part) : -1));
  return { parts, positions };
}

const PATH_CACHE_LIMIT = 1024;
const pathCache = new Map<string, CompiledPath>();

/** Compiled paths for sort and projection, shared across calls (bounded: cleared when full). */
function cachedPath(path: string): CompiledPath {
  let compiled = pathCache.get(path);
  if (compiled === undefined) {
    if (pathCache.size >= PATH_CACHE_LIMIT) pathCache.clear();
    compiled = compilePath(path);
    pathCache.set(path, compiled);
  }
  return compiled;
}

function isObjectValue(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An own member of a data object; inherited properties (e.g. `toString`) are missing, as in BSON. */
function member(object: JsonObject, key: string): JsonValue | undefined {
  const value = object[key];
  return value === undefined || hasOwn.call(object, key) ? value : undefined;
}

/**
 * Receives each value a path yields; `undefined` stands for "missing" (BSON EOO). Returning true stops the
 * iteration (a match was found).
 */
type Visitor = (value: JsonValue | undefined) => boolean;

/**
 * MongoDB's BSONElementIterator over `object` for `path.parts[start..]`. Calls `visit` with every value the
 * path yields, in MongoDB's order, and returns true as soon as `visit` does.
 */
function visitPath(object: JsonObject, path: CompiledPath, start: number, visit: Visitor): boolean {
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

// ---------------------------------------------------------------------------------------------------------
// BSON order over JSON values

const RANK_NULL = 5;
const RANK_NUMBER = 10;
const RANK_STRING = 15;
const RANK_OBJECT = 20;
const RANK_ARRAY = 25;
const RANK_BOOLEAN = 40;

/** BSON canonical type rank: null < numbers < strings < objects < arrays < booleans. Missing ranks 0. */
function rankOf(value: JsonValue | undefined): number {
  switch (typeof value) {
    case 'number':
      return RANK_NUMBER;
    case 'string':
      return RANK_STRING;
    case 'boolean':
      return RANK_BOOLEAN;
    case 'object':
      if (value === null) return RANK_NULL;
      return Array.isArray(value) ? RANK_ARRAY : RANK_OBJECT;
    default:
      return 0;
  }
}

/** Strings in UTF-8 byte order, which is code point order (not UTF-16 code unit order, not locale order). */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = a.length < b.length ? a.length : b.length;
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i);
    let y = b.charCodeAt(i);
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        // Surrogates (code points above U+FFFF) sort after U+E000..U+FFFF in code point order.
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
      }
      return x < y ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function compareSameRank(a: JsonValue, b: JsonValue, rank: number): number {
  switch (rank) {
    case RANK_NUMBER:
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    case RANK_STRING:
      return compareStrings(a as string, b as string);
    case RANK_BOOLEAN:
      return a === b ? 0 : a ? 1 : -1;
    case RANK_ARRAY: {
      const x = a as JsonValue[];
      const y = b as JsonValue[];
      const n = x.length < y.length ? x.length : y.length;
      for (let i = 0; i < n; i++) {
        const c = compareValues(x[i]!, y[i]!);
        if (c !== 0) return c;
      }
      return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
    }
    case RANK_OBJECT: {
      // BSONObj::woCompare: field by field, each by canonical type, then field name, then value.
      const x = a as JsonObject;
      const y = b as JsonObject;
      const kx = Object.keys(x);
      const ky = Object.keys(y);
      const n = kx.length < ky.length ? kx.length : ky.length;
      for (let i = 0; i < n; i++) {
        const vx = x[kx[i]!]!;
        const vy = y[ky[i]!]!;
        const rx = rankOf(vx);
        const ry = rankOf(vy);
        if (rx !== ry) return rx < ry ? -1 : 1;
        const names = compareStrings(kx[i]!, ky[i]!);
        if (names !== 0) return names;
        const c = compareSameRank(vx, vy, rx);
        if (c !== 0) return c;
      }
      return kx.length === ky.length ? 0 : kx.length < ky.length ? -1 : 1;
    }
    default:
      return 0; // null == null
  }
}

/** MongoDB's total order over JSON values (null < numbers < strings < objects < arrays < booleans). */
export function compareValues(a: JsonValue, b: JsonValue): number {
  const ra = rankOf(a);
  const rb = rankOf(b);
  if (ra !== rb) return ra < rb ? -1 : 1;
  return compareSameRank(a, b, ra);
}

/** BSON equality: same type, same value; objects key by key in order; numbers by value. */
function equalValues(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!equalValues(a[i]!, b[i]!)) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (let i = 0; i < ka.length; i++) {
    const key = ka[i]!;
    if (key !== kb[i]) return false;
    if (!equalValues(a[key]!, b[key]!)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------------
// Leaf predicates (MongoDB's matchesSingleElement), `undefined` being a missing value

function equalityPredicate(rhs: JsonValue): Visitor {
  if (rhs === null) return (value) => value === null || value === undefined;
  if (typeof rhs !== 'object') return (value) => value === rhs;
  return (value) => typeof value === 'object' && value !== null && equalValues(value, rhs);
}

type ComparisonOperator = '$gt' | '$gte' | '$lt' | '$lte';

function comparisonPredicate(operator: ComparisonOperator, rhs: JsonValue): Visitor {
  if (typeof rhs === 'number') {
    switch (operator) {
      case '$gt':
        return (value) => typeof value === 'number' && value > rhs;
      case '$gte':
        return (value) => typeof value === 'number' && value >= rhs;
      case '$lt':
        return (value) => typeof value === 'number' && value < rhs;
      case '$lte':
        return (value) => typeof value === 'number' && value <= rhs;
    }
  }
  const rank = rankOf(rhs);
  // Missing compares equal to null (MongoDB canonicalizes EOO with undefined, and undefined "equals" null).
  const missingMatches = rank === RANK_NULL && (operator === '$gte' || operator === '$lte');
  const test = (c: number): boolean =>
    operator === '$gt' ? c > 0 : operator === '$gte' ? c >= 0 : operator === '$lt' ? c < 0 : c <= 0;
  return (value) => {
    if (value === undefined) return missingMatches;
    // Type bracketing: values of another canonical type never satisfy a comparison.
    if (rankOf(value) !== rank) return false;
    return test(compareSameRank(value, rhs, rank));
  };
}

function inPredicate(values: readonly JsonValue[]): Visitor {
  let hasNull = false;
  const scalars = new Set<string | number | boolean>();
  const composites: JsonValue[] = [];
  for (const value of values) {
    if (value === null) hasNull = true;
    else if (typeof value === 'object') composites.push(value);
    else scalars.add(value);
  }
  return (value) => {
    // With a null in the list, $in also matches missing, like {$eq: null}.
    if (value === undefined || value === null) return hasNull;
    if (typeof value !== 'object') return scalars.has(value);
    for (let i = 0; i < composites.length; i++) if (equalValues(value, composites[i]!)) return true;
    return false;
  };
}

const existsPredicate: Visitor = (value) => value !== undefined;

function regexPredicate(regex: CompiledPattern): Visitor {
  return (value) => typeof value === 'string' && regex.test(value);
}

/**
 * Translates a MongoDB (PCRE, UTF mode, no UCP) pattern into an equivalent pattern for the linear-time engine
 * (RE2, given JavaScript `u`-mode syntax), or fails on constructs whose meaning differs and cannot be
 * translated exactly:
 * - `.` excludes only `\n` in PCRE (JavaScript also excludes `\r`, U+2028, U+2029) → `[^\n]`;
 * - `$` and `\Z` also match before a final `\n` in PCRE → `(?:\n?$)` (RE2 has no lookahead, so the final
 *   newline is consumed: exact unless more pattern after the anchor must match that newline, as in `a$\n`);
 *   `\A` → `^`; `\z` → `$`;
 * - `\s` is ASCII whitespace in PCRE (JavaScript's includes Unicode spaces) → an explicit class;
 * - an escaped non-alphanumeric is a literal in PCRE (JavaScript `u` mode refuses most) → `\u{...}`;
 * - backreferences and lookarounds (which no linear-time engine has), `\v`, `\h`, `\R`, `\G`, `\Q`, POSIX
 *   classes, `\u` and an empty or `]`-first character class are rejected.
 * What the engine rejects besides (e.g. a repetition count over 1000) is reported as an invalid pattern.
 * (Known residue: with `$options: "i"`, `\w`/`\b` also fold U+017F and U+212A.)
 */
/** Characters that `u`-mode JavaScript lets a backslash escape (outside a class; `-` too inside one). */
const SYNTAX_CHARACTERS = '^$\\.*+?()[]{}|/';

function translatePattern(pattern: string): string {
  const ASCII_SPACE = '\\t\\n\\x0B\\f\\r ';
  let out = '';
  let inClass = false;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\') {
      const d = pattern[i + 1];
      if (d === undefined) throw new Error('pattern ends with a lone backslash');
      i += 2;
      switch (d) {
        case 's':
          out += inClass ? ASCII_SPACE : `[${ASCII_SPACE}]`;
          continue;
        case 'S':
          if (inClass) throw new Error('\\S inside a character class is not supported');
          out += `[^${ASCII_SPACE}]`;
          continue;
        case 'A':
          if (inClass) throw new Error('\\A inside a character class is not supported');
          out += '^';
          continue;
        case 'z':
          if (inClass) throw new Error('\\z inside a character class is not supported');
          out += '$';
          continue;
        case 'Z':
          if (inClass) throw new Error('\\Z inside a character class is not supported');
          out += '(?:\\n?$)';
          continue;
        case '0':
          if (/[0-9]/.test(pattern[i] ?? '')) throw new Error('octal escapes are not supported');
          out += '\\0';
          continue;
        case 'd':
        case 'D':
        case 'w':
        case 'W':
        case 'b':
        case 'B':
        case 'n':
        case 'r':
        case 't':
        case 'f':
        case 'x':
        case 'c':
        case 'p':
        case 'P':
          out += `\\${d}`;
          continue;
        default: {
          if (/[0-9]/.test(d) || d === 'k' || d === 'g') throw new Error('backreferences are not supported');
          if (/[A-Za-z]/.test(d)) throw new Error(`the escape \\${d} is not supported`);
          if (SYNTAX_CHARACTERS.includes(d) || (inClass && d === '-')) {
            out += `\\${d}`;
            continue;
          }
          // PCRE reads any other escaped non-alphanumeric as itself; `u`-mode JavaScript only allows that for
          // syntax characters, so spell the character out by code point.
          const codePoint = pattern.codePointAt(i - 1)!;
          if (codePoint > 0xffff) i++;
          out += `\\u{${codePoint.toString(16)}}`;
          continue;
        }
      }
    }
    if (inClass) {
      if (c === ']') inClass = false;
      else if (c === '[' && /[:=.]/.test(pattern[i + 1] ?? '')) {
        throw new Error('POSIX character classes are not supported');
      }
      out += c;
      i++;
      continue;
    }
    i++;
    if (c === '[') {
      inClass = true;
      out += '[';
      if (pattern[i] === '^') {
        out += '^';
        i++;
      }
      if (pattern[i] === ']') throw new Error("a character class must not be empty or start with ']'");
      continue;
    }
    if (c === '(' && /^\?<?[=!]/.test(pattern.slice(i, i + 3))) throw new Error('lookarounds are not supported');
    if (c === '.') out += '[^\\n]';
    else if (c === '$') out += '(?:\\n?$)';
    else out += c;
  }
  return out;
}

/** The compiled pattern that matches exactly what MongoDB's `$regex` would, or a reason it cannot. */
function compileRegex(pattern: string, options: string, at: string): CompiledPattern {
  if (pattern.length > MAX_REGEX_LENGTH) fail(at, `$regex patterns are at most ${MAX_REGEX_LENGTH} characters`);
  if (pattern.includes('\0')) fail(at, '$regex patterns must not contain NUL');
  let source: string;
  try {
    source = translatePattern(pattern);
  } catch (error) {
    return fail(at, `unsupported regular expression: ${(error as Error).message}`);
  }
  const engine = patternEngine();
  try {
    return engine.compile(source, options === 'i');
  } catch (error) {
    return fail(at, `invalid regular expression: ${(error as Error).message}`);
  }
}

// ---------------------------------------------------------------------------------------------------------
// Parsing a filter into a matcher

function onPath(path: CompiledPath, predicate: Visitor): FilterMatcher {
  return (data) => visitPath(data, path, 0, predicate);
}

function not(matcher: FilterMatcher): FilterMatcher {
  return (data) => !matcher(data);
}

function allOf(matchers: FilterMatcher[]): FilterMatcher {
  if (matchers.length === 0) return () => true;
  if (matchers.length === 1) return matchers[0]!;
  if (matchers.length === 2) {
    const [a, b] = matchers as [FilterMatcher, FilterMatcher];
    return (data) => a(data) && b(data);
  }
  return (data) => {
    for (let i = 0; i < matchers.length; i++) if (!matchers[i]!(data)) return false;
    return true;
  };
}

function anyOf(matchers: FilterMatcher[]): FilterMatcher {
  if (matchers.length === 1) return matchers[0]!;
  return (data) => {
    for (let i = 0; i < matchers.length; i++) if (matchers[i]!(data)) return true;
    return false;
  };
}

function checkDepth(depth: number, at: string): void {
  if (depth > MAX_FILTER_DEPTH) fail(at, `filter nesting depth exceeds ${MAX_FILTER_DEPTH}`);
}

/** A filter document: an implicit AND of its members. */
function parseFilterDocument(raw: unknown, at: string, depth: number): FilterMatcher {
  if (!isPlainInputObject(raw)) fail(at, 'must be a JSON object');
  checkDepth(depth, at);
  const matchers: FilterMatcher[] = [];
  for (const key of Object.keys(raw)) {
    const here = `${at}.${key}`;
    const value = raw[key];
    if (key.startsWith('$')) {
      if (key === '$and' || key === '$or' || key === '$nor') {
        matchers.push(parseLogical(key, value, here, depth + 1));
      } else {
        fail(here, `unsupported top-level operator ${key} (allowed: $and, $or, $nor)`);
      }
      continue;
    }
    const problem = pathProblem(key);
    if (problem) fail(here, problem);
    matchers.push(parseCondition(compilePath(key), value, here, depth + 1));
  }
  return allOf(matchers);
}

function parseLogical(operator: '$and' | '$or' | '$nor', raw: unknown, at: string, depth: number): FilterMatcher {
  if (!Array.isArray(raw) || raw.length === 0) fail(at, `${operator} takes a non-empty array of filters`);
  checkDepth(depth, at);
  const children = raw.map((item, i) => parseFilterDocument(item, `${at}[${i}]`, depth + 1));
  if (operator === '$and') return allOf(children);
  if (operator === '$or') return anyOf(children);
  return not(anyOf(children));
}

/** Whether a value is an operator expression (`{$gt: 1}`); mixing operators and fields is refused. */
function isOperatorObject(raw: unknown, at: string): raw is Record<string, unknown> {
  if (!isPlainInputObject(raw)) return false;
  const keys = Object.keys(raw);
  const operators = keys.filter((key) => key.startsWith('$'));
  if (operators.length === 0) return false;
  if (operators.length !== keys.length) {
    fail(at, `cannot mix operators (${operators[0]}) and field names in one condition`);
  }
  return true;
}

/** The value of a field path in a filter: an operator expression or an implicit equality. */
function parseCondition(path: CompiledPath, raw: unknown, at: string, depth: number): FilterMatcher {
  if (isOperatorObject(raw, at)) return parseOperators(path, raw, at, depth);
  checkLiteral(raw, at, depth);
  return onPath(path, equalityPredicate(raw as JsonValue));
}

function parseOperators(
  path: CompiledPath,
  operators: Record<string, unknown>,
  at: string,
  depth: number,
): FilterMatcher {
  checkDepth(depth, at);
  const matchers: FilterMatcher[] = [];
  let regex: string | undefined;
  let options: string | undefined;
  for (const operator of Object.keys(operators)) {
    const operand = operators[operator];
    const here = `${at}.${operator}`;
    switch (operator) {
      case '$eq':
        checkLiteral(operand, here, depth + 1);
        matchers.push(onPath(path, equalityPredicate(operand as JsonValue)));
        break;
      case '$ne':
        checkLiteral(operand, here, depth + 1);
        matchers.push(not(onPath(path, equalityPredicate(operand as JsonValue))));
        break;
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        checkLiteral(operand, here, depth + 1);
        matchers.push(onPath(path, comparisonPredicate(operator, operand as JsonValue)));
        break;
      case '$in':
      case '$nin': {
        if (!Array.isArray(operand)) fail(here, `${operator} takes an array`);
        checkLiteral(operand, here, depth + 1);
        const matcher = onPath(path, inPredicate(operand as JsonValue[]));
        matchers.push(operator === '$in' ? matcher : not(matcher));
        break;
      }
      case '$exists': {
        if (typeof operand !== 'boolean' && typeof operand !== 'number') {
          fail(here, '$exists takes a boolean');
        }
        const matcher = onPath(path, existsPredicate);
        // MongoDB reads the operand by truthiness: 1 means true, 0 means false.
        matchers.push(operand ? matcher : not(matcher));
        break;
      }
      case '$not':
        if (!isOperatorObject(operand, here) || Object.keys(operand).length === 0) {
          fail(here, '$not takes a non-empty operator expression such as {"$gt": 1}');
        }
        matchers.push(not(parseOperators(path, operand, here, depth + 1)));
        break;
      case '$regex':
        if (typeof operand !== 'string') fail(here, '$regex takes a string');
        regex = operand;
        break;
      case '$options':
        if (operand !== 'i' && operand !== '') fail(here, '$options may only be "i" or ""');
        options = operand;
        break;
      default:
        fail(here, `unsupported operator ${operator}`);
    }
  }
  if (options !== undefined && regex === undefined) fail(`${at}.$options`, '$options requires $regex');
  if (regex !== undefined) {
    matchers.push(onPath(path, regexPredicate(compileRegex(regex, options ?? '', `${at}.$regex`))));
  }
  return allOf(matchers);
}

/** Compiled matchers by filter object; filters are treated as immutable once validated. */
const compiledFilters = new WeakMap<object, FilterMatcher>();

/** Throws InvalidInputError naming the offending operator or path (e.g. `filter.$where`). */
export function validateFilter(raw: unknown): Filter {
  // An absent filter (undefined, or null from a JSON body or an unset gRPC Struct) matches everything.
  const filter = raw === undefined || raw === null ? {} : raw;
  const matcher = parseFilterDocument(filter, 'filter', 1);
  compiledFilters.set(filter as object, matcher);
  return filter as Filter;
}

/**
 * The filter compiled once into a matcher (patterns compiled, paths split, `$in` lists hashed), for stores that
 * evaluate it per row: call once per query, then once per document. Cached by filter object, so repeated
 * calls with the same filter are free. Throws InvalidInputError if the filter was never valid.
 */
export function compileFilter(filter: Filter): FilterMatcher {
  let matcher = compiledFilters.get(filter);
  if (matcher === undefined) {
    matcher = parseFilterDocument(filter, 'filter', 1);
    compiledFilters.set(filter, matcher);
  }
  return matcher;
}

/** Whether `data` matches the filter exactly as MongoDB would match `{data: ...}` with paths prefixed. */
export function matchesFilter(filter: Filter, data: JsonObject): boolean {
  return compileFilter(filter)(data);
}

// ---------------------------------------------------------------------------------------------------------
// Sort

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
    const direction = raw[key];
    if (direction !== 1 && direction !== -1) fail(at, 'sort direction must be 1 or -1');
    spec.push([key, direction]);
  }
  return spec;
}

/** Whether a sort key value is the empty-array marker (see EMPTY_ARRAY_SORT_KEY). */
function isEmptyArrayKey(value: JsonValue | undefined): boolean {
  return isObjectValue(value) && hasOwn.call(value, '$undefined');
}

/** Sort key order: the empty-array marker first, then MongoDB's order of values. */
function compareSortValues(a: JsonValue, b: JsonValue): number {
  const ea = isEmptyArrayKey(a);
  const eb = isEmptyArrayKey(b);
  if (ea || eb) return ea === eb ? 0 : ea ? -1 : 1;
  return compareValues(a, b);
}

// The running candidate while collecting one field's sort key (no allocation per row; not reentrant).
let bestKey: JsonValue = null;
let bestSet = false;
let bestDescending = false;

function considerKey(value: JsonValue): void {
  if (!bestSet) {
    bestKey = value;
    bestSet = true;
    return;
  }
  const c = compareSortValues(value, bestKey);
  if (bestDescending ? c > 0 : c < 0) bestKey = value;
}

/**
 * The index keys MongoDB generates for a path (BtreeKeyGenerator): missing → null; a leaf array → each
 * element (nested arrays as values), an empty leaf array → undefined (EMPTY_ARRAY_SORT_KEY); arrays along the
 * path are expanded over their subdocuments, other elements giving null; a numeric segment on an array
 * selects that element.
 */
function collectKeys(value: JsonValue | undefined, path: CompiledPath, i: number): void {
  if (i === path.parts.length) {
    if (Array.isArray(value)) {
      if (value.length === 0) considerKey(EMPTY_ARRAY_SORT_KEY);
      else for (let k = 0; k < value.length; k++) considerKey(value[k]!);
    } else {
      considerKey(value === undefined ? null : value);
    }
    return;
  }
  if (typeof value !== 'object' || value === null) {
    considerKey(null);
    return;
  }
  if (!Array.isArray(value)) {
    collectKeys(member(value, path.parts[i]!), path, i + 1);
    return;
  }
  const position = path.positions[i]!;
  if (position >= 0) {
    const element = position < value.length ? value[position] : undefined;
    if (i + 1 === path.parts.length && Array.isArray(element)) {
      // A positionally selected array is one value, not expanded.
      considerKey(element.length === 0 ? EMPTY_ARRAY_SORT_KEY : element);
    } else {
      collectKeys(element, path, i + 1);
    }
    return;
  }
  if (value.length === 0) {
    considerKey(null);
    return;
  }
  for (let k = 0; k < value.length; k++) {
    const element = value[k]!;
    if (isObjectValue(element)) collectKeys(element, path, i);
    else considerKey(null);
  }
}

/**
 * The sort key of `data` under `sort`, as MongoDB sorts: per field, the value at the path (missing → null);
 * where the path reaches several values (arrays), the smallest for an ascending field and the largest for a
 * descending one. An empty array sorts below null and missing (MongoDB's rule), as EMPTY_ARRAY_SORT_KEY.
 */
export function sortKeyOf(data: JsonObject, sort: SortSpec): JsonValue[] {
  const key: JsonValue[] = new Array<JsonValue>(sort.length);
  for (let s = 0; s < sort.length; s++) {
    const [field, direction] = sort[s]!;
    bestSet = false;
    bestKey = null;
    bestDescending = direction === -1;
    collectKeys(data, cachedPath(field), 0);
    key[s] = bestKey;
  }
  bestKey = null;
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

// ---------------------------------------------------------------------------------------------------------
// Projection

/** A list of dotted data paths, or undefined. Throws InvalidInputError on bad paths. */
export function validateFields(raw: unknown): readonly string[] | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (!Array.isArray(raw)) fail('fields', 'must be an array of field paths');
  if (raw.length > MAX_FIELDS) fail('fields', `at most ${MAX_FIELDS} fields`);
  const fields: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    const field: unknown = raw[i];
    const at = `fields[${i}]`;
    if (typeof field !== 'string') fail(at, 'must be a string');
    const problem = pathProblem(field);
    if (problem) fail(at, problem);
    if (!fields.includes(field)) fields.push(field);
  }
  // MongoDB refuses a projection that names both a path and a path inside it ("path collision").
  for (const a of fields) {
    for (const b of fields) {
      if (b.startsWith(`${a}.`)) fail('fields', `path collision: '${b}' is inside '${a}'`);
    }
  }
  return fields;
}

/** A projection tree: `true` includes the whole value; a map projects inside it. */
type ProjectionNode = Map<string, ProjectionNode | true>;

const projectionTrees = new WeakMap<readonly string[], ProjectionNode>();

function projectionTree(fields: readonly string[]): ProjectionNode {
  let tree = projectionTrees.get(fields);
  if (tree !== undefined) return tree;
  tree = new Map();
  for (const field of fields) {
    const parts = cachedPath(field).parts;
    let node: ProjectionNode = tree;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i]!;
      const existing = node.get(part);
      if (existing === true) break; // an enclosing path is already included whole
      if (i === parts.length - 1) {
        node.set(part, true);
        break;
      }
      let child = existing;
      if (child === undefined) {
        child = new Map();
        node.set(part, child);
      }
      node = child;
    }
  }
  projectionTrees.set(fields, tree);
  return tree;
}

function projectObject(object: JsonObject, node: ProjectionNode): JsonObject {
  const out: JsonObject = {};
  // Output keeps the document's field order, as MongoDB's inclusion projection does.
  for (const key of Object.keys(object)) {
    const child = node.get(key);
    if (child === undefined) continue;
    const value = object[key]!;
    if (child === true) {
      out[key] = value;
    } else {
      const projected = projectValue(value, child);
      if (projected !== undefined) out[key] = projected;
    }
  }
  return out;
}

function projectValue(value: JsonValue, node: ProjectionNode): JsonValue | undefined {
  if (isObjectValue(value)) return projectObject(value, node);
  if (Array.isArray(value)) {
    // Each element is projected; scalars have no subfields and are dropped; nested arrays recurse.
    const out: JsonValue[] = [];
    for (const element of value) {
      const projected = projectValue(element, node);
      if (projected !== undefined) out.push(projected);
    }
    return out;
  }
  return undefined;
}

/**
 * Projection of data fields (dotted paths), as MongoDB's inclusion projection on `data`: subdocuments keep
 * only the named fields (an object without them stays as `{}`), arrays project each element and drop
 * scalars, a path through a scalar or a missing field is omitted. An empty list projects to `{}`.
 */
export function projectData(data: JsonObject, fields: readonly string[]): JsonObject {
  return projectObject(data, projectionTree(fields));
}
