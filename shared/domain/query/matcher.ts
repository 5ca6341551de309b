import type { JsonObject, JsonValue } from '../document.js';
import { UNPAIRED_SURROGATE } from '../data-rules.js';
import type { CompiledPattern } from '../pattern-engine.js';
import { compilePath, type CompiledPath, visitPath, type Visitor } from './paths.js';
import { compileRegex } from './regex.js';
import { checkDepth, checkLiteral, fail, isPlainInputObject, pathProblem } from './validation.js';
import { compareSameRank, equalValues, RANK_NULL, rankOf } from './value-order.js';

/**
 * Filters: validation and compilation into a matcher, one implementation for both, so the SQLite store
 * evaluates exactly what was validated.
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

declare const VALID_FILTER: unique symbol;
/**
 * A filter that passed `validateFilter`: only allowlisted operators, well-formed operands. The brand exists
 * only in the type system; a plain object is not a Filter, so no unvalidated input reaches a store.
 */
export type Filter = JsonObject & { readonly [VALID_FILTER]: true };

/** A compiled filter: whether `data` matches. Pure and synchronous; safe to call once per row. */
export type FilterMatcher = (data: JsonObject) => boolean;

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
        if (!operand.isWellFormed()) fail(here, UNPAIRED_SURROGATE);
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
