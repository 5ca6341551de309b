import type { Document as MongoDocument, Sort } from 'mongodb';
import type { JsonValue } from '../../domain/document.js';
import { EMPTY_ARRAY_SORT_KEY, type SortDirection, type SortPosition, type SortSpec } from '../../domain/query/index.js';
import { dataPath } from './data-paths.js';

/** The sort fields under `data`, then `_id` ascending: the tie-break of the contract and the `_id` index's order. */
export function mongoSort(sort: SortSpec): Sort {
  const spec: Record<string, SortDirection> = {};
  for (const [field, direction] of sort) spec[dataPath(field)] = direction;
  spec['_id'] = 1;
  return spec;
}

/** The one key of EMPTY_ARRAY_SORT_KEY; data keys never start with `$`, so no stored object has it. */
const EMPTY_ARRAY_MARKER = Object.keys(EMPTY_ARRAY_SORT_KEY)[0]!;

/** BSON type brackets of non-array values, in MongoDB's sort order (null and missing sort alike). */
const BRACKETS = ['null', 'number', 'string', 'object', 'bool'] as const;
type Bracket = (typeof BRACKETS)[number];

/** The bracket of a sort key value; undefined for arrays and the empty-array marker, which get no bound. */
function bracketOf(value: JsonValue): Bracket | undefined {
  switch (typeof value) {
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'boolean':
      return 'bool';
    default:
      if (value === null) return 'null';
      if (Array.isArray(value) || Object.hasOwn(value, EMPTY_ARRAY_MARKER)) return undefined;
      return 'object';
  }
}

function and(conditions: MongoDocument[]): MongoDocument {
  if (conditions.length === 0) return {};
  return conditions.length === 1 ? (conditions[0] as MongoDocument) : { $and: conditions };
}

function or(conditions: MongoDocument[]): MongoDocument {
  return conditions.length === 1 ? (conditions[0] as MongoDocument) : { $or: conditions };
}

/**
 * Documents with an array anywhere along `field`. Their sort key is the least (or greatest) of several values,
 * which no single comparison of the path can bound, so every bound below also admits them.
 */
function arraysOn(field: string): MongoDocument[] {
  const parts = field.split('.');
  return parts.map((_, i) => ({ [dataPath(parts.slice(0, i + 1).join('.'))]: { $type: 'array' } }));
}

/**
 * Documents whose key on `field` may equal `value` (exactly those, when no array lies on the path). `$eq`
 * keeps a value from a cursor literal: an object in it is never read as an operator expression.
 */
function equalOn(field: string, value: JsonValue): MongoDocument {
  return or([{ [dataPath(field)]: { $eq: value } }, ...arraysOn(field)]);
}

/**
 * Documents whose key on `field` may come strictly after `value` in `direction`. Without arrays on the path
 * the key is the value there (null when missing), and MongoDB's comparisons only match within one type
 * bracket, so the bound is: past `value` within its bracket, or in a bracket beyond it.
 */
function beyondOn(field: string, value: JsonValue, bracket: Bracket, direction: SortDirection): MongoDocument {
  const path = dataPath(field);
  const at = BRACKETS.indexOf(bracket);
  const beyond = direction === 1 ? BRACKETS.slice(at + 1) : BRACKETS.slice(0, at);
  const conditions: MongoDocument[] = [];
  if (value !== null) conditions.push({ [path]: { [direction === 1 ? '$gt' : '$lt']: value } });
  const typed = beyond.filter((b) => b !== 'null');
  if (typed.length > 0) conditions.push({ [path]: { $type: typed } });
  // `$type: 'null'` would miss absent fields; equality with null matches both.
  if (beyond.includes('null')) conditions.push({ [path]: { $eq: null } });
  return or([...conditions, ...arraysOn(field)]);
}

/**
 * A condition that every document strictly after `after` (in `sort` order, ties by `_id`) satisfies: the
 * keyset "(k1 > v1) or (k1 = v1 and k2 > v2) or ... or (all equal and _id > id)", with each comparison
 * widened as above. Exact for documents without arrays on the sort paths; for the others it is a superset,
 * and the caller drops what is not strictly after the position by the domain's own order. A key that is an
 * array (or the empty-array marker) bounds nothing: from that field on, only the equal prefix constrains.
 */
export function afterPosition(sort: SortSpec, after: SortPosition): MongoDocument {
  const disjuncts: MongoDocument[] = [];
  const equalSoFar: MongoDocument[] = [];
  for (let i = 0; i < sort.length; i++) {
    const [field, direction] = sort[i]!;
    const value = after.values[i] ?? null;
    const bracket = bracketOf(value);
    if (bracket === undefined) return or([...disjuncts, and(equalSoFar)]);
    disjuncts.push(and([...equalSoFar, beyondOn(field, value, bracket, direction)]));
    equalSoFar.push(equalOn(field, value));
  }
  disjuncts.push(and([...equalSoFar, { _id: { $gt: after.id } }]));
  return or(disjuncts);
}
