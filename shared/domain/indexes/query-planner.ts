import type { JsonObject, JsonValue } from '../document.js';
import { compareValues, isEmptyArrayKey, type Filter, type SortDirection, type SortPosition, type SortSpec } from '../query/index.js';
import type { IndexDefinition } from './index-definition.js';
import { compareBytes, concat, encodePart, encodesInOrder, encodeValue, prefixEnd, TAG } from './key-encoding.js';

/** An index as the planner sees it: its definition, and whether any document has an array on its paths. */
export interface IndexState {
  readonly definition: IndexDefinition;
  readonly multikey: boolean;
}

/** Keys from `from` (inclusive) to `to` (exclusive; none: to the end of the index). */
export interface KeyRange {
  readonly from: Uint8Array;
  readonly to: Uint8Array | undefined;
}

/**
 * How to read a query through an index: the key ranges that hold every possible match (ascending, disjoint),
 * and what else the ranges promise. The query still tests every document it reads against the whole filter,
 * so a plan narrows what is read and never decides a match alone, unless `exact` says the ranges do.
 */
export interface IndexPlan {
  readonly index: IndexDefinition;
  readonly ranges: KeyRange[];
  /**
   * `forward` or `backward`: reading the ranges in that direction yields documents in the query's sort order
   * (ties, equal keys, still to be put in id order); `none`: in no useful order.
   */
  readonly order: 'forward' | 'backward' | 'none';
  /** Every document with a key in the ranges matches the filter, and only those do (a count needs no reads). */
  readonly exact: boolean;
  /**
   * With an order: the encoded key parts the filter fixes to one value each (the index's first `parts`), after
   * which the index's parts are the sort fields. A position of the sort order then has a key (`positionKey`).
   */
  readonly fixed?: { readonly bytes: Uint8Array; readonly parts: number };
}

/** Most key ranges one plan may hold (the combinations of `$in` lists on several key parts). */
const MAX_RANGES = 256;

type Condition =
  | { readonly kind: 'points'; readonly values: readonly JsonValue[] }
  | { readonly kind: 'range'; readonly operator: '$gt' | '$gte' | '$lt' | '$lte'; readonly bound: number | string };

interface FieldConditions {
  readonly conditions: Condition[];
  /** Some operator on this field cannot be turned into bounds ($ne, $regex, ...). */
  residual: boolean;
}

interface Analysis {
  readonly fields: Map<string, FieldConditions>;
  /** $or / $nor: conditions no bound expresses. */
  residual: boolean;
}

function isOperatorObject(value: JsonValue): value is JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => key.startsWith('$'));
}

function conditionsOn(analysis: Analysis, field: string): FieldConditions {
  let found = analysis.fields.get(field);
  if (!found) {
    found = { conditions: [], residual: false };
    analysis.fields.set(field, found);
  }
  return found;
}

/** The conjuncts of a filter that bounds can express, per field. */
function analyse(filter: JsonObject, analysis: Analysis = { fields: new Map(), residual: false }): Analysis {
  for (const [key, operand] of Object.entries(filter)) {
    if (key === '$and') {
      for (const clause of operand as JsonObject[]) analyse(clause, analysis);
      continue;
    }
    if (key.startsWith('$')) {
      analysis.residual = true;
      continue;
    }
    const field = conditionsOn(analysis, key);
    if (!isOperatorObject(operand)) {
      field.conditions.push({ kind: 'points', values: [operand] });
      continue;
    }
    for (const [operator, value] of Object.entries(operand)) {
      if (operator === '$eq') field.conditions.push({ kind: 'points', values: [value] });
      else if (operator === '$in') field.conditions.push({ kind: 'points', values: value as JsonValue[] });
      else if ((operator === '$gt' || operator === '$gte' || operator === '$lt' || operator === '$lte') && (typeof value === 'number' || typeof value === 'string')) {
        field.conditions.push({ kind: 'range', operator, bound: value });
      } else field.residual = true;
    }
  }
  return analysis;
}

function satisfies(value: JsonValue, range: Extract<Condition, { kind: 'range' }>): boolean {
  if (typeof value !== typeof range.bound) return false;
  const c = compareValues(value, range.bound);
  switch (range.operator) {
    case '$gt':
      return c > 0;
    case '$gte':
      return c >= 0;
    case '$lt':
      return c < 0;
    default:
      return c <= 0;
  }
}

/** What one key part is bounded by: a list of values, a range within one type, or nothing. */
type PartBound =
  | { readonly kind: 'points'; readonly values: readonly JsonValue[] }
  | { readonly kind: 'range'; readonly lower?: { value: number | string; inclusive: boolean }; readonly upper?: { value: number | string; inclusive: boolean }; readonly type: 'number' | 'string' };

/** Equal values (compareValues) have equal encodings: a key to look values up by. */
function valueKey(value: JsonValue): string {
  return encodeValue(value).join(',');
}

/**
 * The bound of one key part and whether it uses every condition on the field (the keys in its ranges then
 * match it). On a multikey index each condition may be met by a different array element, so conditions
 * cannot be intersected: one is used. There, too, a path that runs through an array and reaches nothing
 * (`a.b` in `{a: [1]}`) is keyed as null, so that no match is missed, yet does not match null: null points
 * narrow the read but do not decide the match.
 */
function boundOf(field: FieldConditions, multikey: boolean): { bound: PartBound; complete: boolean } | undefined {
  const { conditions } = field;
  if (conditions.length === 0) return undefined;
  const points = conditions.filter((c): c is Extract<Condition, { kind: 'points' }> => c.kind === 'points');
  const ranges = conditions.filter((c): c is Extract<Condition, { kind: 'range' }> => c.kind === 'range');
  const complete = !field.residual && (!multikey || conditions.length === 1);
  if (points.length > 0) {
    if (multikey) {
      const { values } = points[0]!;
      return { bound: { kind: 'points', values }, complete: complete && !values.includes(null) };
    }
    let values = points[0]!.values;
    for (const other of points.slice(1)) {
      const listed = new Set(other.values.map(valueKey));
      values = values.filter((v) => listed.has(valueKey(v)));
    }
    values = values.filter((v) => ranges.every((range) => satisfies(v, range)));
    return { bound: { kind: 'points', values }, complete };
  }
  const type = typeof ranges[0]!.bound as 'number' | 'string';
  const usable = multikey ? [ranges[0]!] : ranges;
  if (usable.some((range) => typeof range.bound !== type)) {
    // Bounds of two types: nothing can satisfy both (comparisons stay within a type).
    return { bound: { kind: 'points', values: [] }, complete };
  }
  let lower: { value: number | string; inclusive: boolean } | undefined;
  let upper: { value: number | string; inclusive: boolean } | undefined;
  for (const { operator, bound } of usable) {
    if (operator === '$gt' || operator === '$gte') {
      const inclusive = operator === '$gte';
      const c = lower ? compareValues(bound, lower.value) : 1;
      if (c > 0 || (c === 0 && !inclusive)) lower = { value: bound, inclusive };
    } else {
      const inclusive = operator === '$lte';
      const c = upper ? compareValues(bound, upper.value) : -1;
      if (c < 0 || (c === 0 && !inclusive)) upper = { value: bound, inclusive };
    }
  }
  return { bound: { kind: 'range', type, ...(lower && { lower }), ...(upper && { upper }) }, complete };
}

/** [from, to) of the keys whose part after `prefix` lies in `range`, in the part's direction. */
function rangeAfter(prefix: Uint8Array, range: Extract<PartBound, { kind: 'range' }>, direction: SortDirection): KeyRange {
  const tag = new Uint8Array([direction === 1 ? TAG[range.type] : ~TAG[range.type] & 0xff]);
  let from = concat([prefix, tag]);
  let to = prefixEnd(from);
  const at = (value: number | string) => concat([prefix, encodePart(value, direction)]);
  // In a descending part the byte order is reversed: a lower bound on values bounds the bytes from above.
  const low = direction === 1 ? range.lower : range.upper;
  const high = direction === 1 ? range.upper : range.lower;
  if (low) from = low.inclusive ? at(low.value) : prefixEnd(at(low.value))!;
  if (high) to = high.inclusive ? prefixEnd(at(high.value)) : at(high.value);
  return { from, to };
}

/**
 * The encoded parts of the distinct `values`, in byte order, or undefined when there are more than `most`. A
 * `$in` may list many thousands: equal scalars are one JS value (0 and -0 too), so a Set drops their repeats
 * and a list of too many is known before anything is encoded; the rest is sorted, not compared pair by pair.
 */
function distinctParts(values: readonly JsonValue[], direction: SortDirection, most: number): Uint8Array[] | undefined {
  const unique = [...new Set(values)];
  if (unique.filter((value) => typeof value !== 'object' || value === null).length > most) return undefined;
  const sorted = unique.map((value) => encodePart(value, direction)).sort(compareBytes);
  const parts = sorted.filter((part, i) => i === 0 || compareBytes(part, sorted[i - 1]!) !== 0);
  return parts.length > most ? undefined : parts;
}

/** Sort fields after the parts fixed to one value, if they are exactly the index's remaining parts. */
function orderFrom(index: IndexDefinition, fixed: number, sort: SortSpec): IndexPlan['order'] {
  if (sort.length === 0) return 'none';
  const fixedPaths = new Set(index.keys.slice(0, fixed).map(([path]) => path));
  let start = 0;
  while (start < sort.length && fixedPaths.has(sort[start]![0])) start++;
  const rest = sort.slice(start);
  const parts = index.keys.slice(fixed);
  if (rest.length !== parts.length || rest.length === 0) return 'none';
  const sign = rest[0]![1] * parts[0]![1];
  const aligned = rest.every(([path, direction], i) => path === parts[i]![0] && direction * parts[i]![1] === sign);
  if (!aligned) return 'none';
  return sign === 1 ? 'forward' : 'backward';
}

/**
 * The index key of a document at `position` of the sort order, for a plan that reads in that order: a page that
 * resumes after a position starts reading there instead of at the start of its range. The key of a document
 * is made of the values its sort key holds (missing as null), so documents after `position` in the sort order
 * have keys after this one in the index's order (equal keys: the same sort values, in id order).
 */
export function positionKey(plan: IndexPlan, sort: SortSpec, position: SortPosition): Uint8Array | undefined {
  if (!plan.fixed) return undefined;
  const values = plan.index.keys.slice(plan.fixed.parts).map(([path]) => position.values[sort.findIndex(([field]) => field === path)] ?? null);
  // A cursor is the client's to send back, and may hold a value no key of this index places where the sort order
  // does: a string with an unpaired surrogate (encodesInOrder), or the empty-array sort key, which sorts below
  // everything but would be encoded as an object (it comes from a page read before the index or its document
  // changed). Then there is no key: the read starts at its range's start and tests each document's position.
  if (!values.every((value) => encodesInOrder(value) && !isEmptyArrayKey(value))) return undefined;
  return concat([plan.fixed.bytes, ...values.map((value, i) => encodePart(value, plan.index.keys[plan.fixed!.parts + i]![1]))]);
}

interface Candidate {
  readonly plan: IndexPlan;
  readonly score: number;
}

function planFor(state: IndexState, analysis: Analysis, sort: SortSpec): Candidate | undefined {
  const { definition: index, multikey } = state;
  let prefixes: Uint8Array[] = [new Uint8Array(0)];
  let used = 0;
  let fixed = 0;
  let singlePoints = true;
  let ranges: KeyRange[] | undefined;
  let complete = !analysis.residual;
  const boundedLeads = new Set<string>();
  for (const [path, direction] of index.keys) {
    // Two fields of one array of objects are keyed per element (index-keys.ts), so bounds on both would miss a
    // document whose elements meet the conditions apart (only $elemMatch, which no plan uses, asks one element
    // to meet both). Conservative: knowing only that the index as a whole is multikey, a path that shares its
    // first segment with an earlier bounded path ends the bounds, as a field without conditions does.
    const lead = path.split('.')[0]!;
    if (multikey && boundedLeads.has(lead)) break;
    const field = analysis.fields.get(path);
    const found = field && boundOf(field, multikey);
    if (!found) break;
    boundedLeads.add(lead);
    used++;
    complete &&= found.complete;
    const { bound } = found;
    if (bound.kind === 'range') {
      ranges = prefixes.map((prefix) => rangeAfter(prefix, bound, direction));
      break;
    }
    const parts = distinctParts(bound.values, direction, Math.floor(MAX_RANGES / prefixes.length));
    if (parts === undefined) {
      used--;
      complete = false;
      break;
    }
    singlePoints &&= parts.length === 1;
    if (singlePoints) fixed++;
    prefixes = prefixes.flatMap((prefix) => parts.map((part) => concat([prefix, part])));
  }
  ranges ??= prefixes.map((prefix) => ({ from: prefix, to: prefixEnd(prefix) }));
  if (used === 0) ranges = [{ from: new Uint8Array(0), to: undefined }];
  // Conditions on fields outside the parts used are left to the documents.
  const usedPaths = new Set(index.keys.slice(0, used).map(([path]) => path));
  const exact = complete && [...analysis.fields.keys()].every((path) => usedPaths.has(path));
  const order = multikey || !singlePoints ? 'none' : orderFrom(index, fixed, sort);
  if (used === 0 && order === 'none') return undefined;
  const sorted = [...ranges].sort((a, b) => compareBytes(a.from, b.from));
  const plan: IndexPlan = { index, ranges: sorted, order, exact, ...(order !== 'none' && { fixed: { bytes: prefixes[0]!, parts: fixed } }) };
  return { plan, score: used * 4 + (order !== 'none' ? 2 : 0) + (exact ? 1 : 0) };
}

/**
 * The best index for a query, or undefined to scan the collection: the one whose leading parts the filter
 * bounds most, then one that yields the sort order (so a sorted, limited query reads about `limit` keys), then
 * one whose ranges decide the match alone. Only the conjunction at the top of the filter (fields and `$and`)
 * is used: equality, `$in` and ranges over numbers or strings.
 */
export function planQuery(filter: Filter, sort: SortSpec, indexes: readonly IndexState[]): IndexPlan | undefined {
  const analysis = analyse(filter);
  let best: Candidate | undefined;
  for (const state of indexes) {
    const candidate = planFor(state, analysis, sort);
    if (candidate && (!best || candidate.score > best.score)) best = candidate;
  }
  return best?.plan;
}
