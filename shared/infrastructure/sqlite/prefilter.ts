import type { Filter } from '../../domain/query/index.js';

/** A SQL condition over `documents.data` with its parameters, to AND into a WHERE clause. */
export interface SqlCondition {
  readonly sql: string;
  readonly params: ReadonlyArray<string | number>;
}

/** Names of top-level fields: a dot would make a path, which may reach into arrays. */
const TOP_LEVEL_FIELD = /^[^.]+$/;
/** Top-level field names that are safe inside a quoted JSON path without escaping. */
const SIMPLE_FIELD = /^[A-Za-z0-9_-]+$/;
/**
 * SQLite parses stored number text with its own float parser, which need not round exactly as JavaScript's
 * does; range bounds are widened by far more than any such difference, so no matching row is left out.
 */
const RANGE_SLACK = 1e-9;
/**
 * Longest list pushed down as one `instr` per value: each is a scan of the row's text, and SQLite nests one
 * expression per OR (it refuses trees deeper than 1000). From about this many values on, parsing the row once
 * and looking its value up in the list is cheaper (measured on documents of 0.3 to 3 KB).
 */
const MAX_NEEDLES = 4;
/**
 * Most conditions pushed down: SQLite nests one expression per AND too. A row that passes this many rarely
 * fails the rest, and leaving conditions out only leaves more rows for the matcher to reject.
 */
const MAX_CONDITIONS = 32;

type Scalar = string | number | boolean;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value whose equality under MongoDB semantics is equality of its JSON text (null also matches missing). */
function isScalar(value: unknown): value is Scalar {
  return typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * `field` equals one of `values`, or is an array, and so may contain one: under MongoDB semantics the only
 * ways a top-level field can match equality or `$in`. A short list looks for text, a long one looks the
 * field's value up; a long list on a field whose name a JSON path cannot hold as it is narrows nothing.
 */
function membership(field: string, values: readonly Scalar[]): SqlCondition | undefined {
  if (values.length <= MAX_NEEDLES) return textMembership(field, values);
  return SIMPLE_FIELD.test(field) ? listMembership(field, values) : undefined;
}

/**
 * `data` is always JSON.stringify output (no whitespace, one canonical spelling of every key and value), so a
 * matching row's text contains `"field":value` or `"field":[`. Looking for those substrings is far cheaper than
 * parsing the JSON in SQL; it also admits rows where they appear deeper or a longer number starts with the
 * value, which the domain's matcher then rejects.
 */
function textMembership(field: string, values: readonly Scalar[]): SqlCondition {
  const key = `${JSON.stringify(field)}:`;
  const needles = [...values.map((value) => key + JSON.stringify(value)), `${key}[`];
  return { sql: `(${needles.map(() => 'instr(data, ?) > 0').join(' OR ')})`, params: needles };
}

/**
 * The field's value is in the list, passed as one JSON array: SQLite builds the list's lookup once per run
 * of the statement, and neither the SQL nor its parameters grow with the list. Both sides are SQLite's reading of
 * JSON text, and equal values have equal JSON text, so no match is left out (`true` also finds 1, which the
 * matcher then rejects).
 */
function listMembership(field: string, values: readonly Scalar[]): SqlCondition {
  const path = `$."${field}"`;
  return {
    sql: `(json_extract(data, '${path}') IN (SELECT value FROM json_each(?)) OR json_type(data, '${path}') = 'array')`,
    params: [JSON.stringify(values)],
  };
}

/**
 * `field` is a number on the right side of `bound`, or something that compares as text in SQL (a string or an
 * object, which no numeric comparison matches; they pass only when that is harmless), or an array, which may
 * hold a match. Null, missing fields and numbers beyond the bound are left out, as MongoDB leaves them out.
 */
function numericRange(field: string, operator: '$gt' | '$gte' | '$lt' | '$lte', bound: number): SqlCondition {
  const path = `$."${field}"`;
  const slack = Math.abs(bound) * RANGE_SLACK + Number.MIN_VALUE;
  const [comparison, widened] = operator === '$gt' || operator === '$gte' ? ['>=', bound - slack] : ['<=', bound + slack];
  return { sql: `(json_extract(data, '${path}') ${comparison} ? OR json_type(data, '${path}') = 'array')`, params: [widened] };
}

const RANGE_OPERATORS = ['$gt', '$gte', '$lt', '$lte'] as const;

function fieldConditions(field: string, operand: unknown): SqlCondition[] {
  if (!TOP_LEVEL_FIELD.test(field)) return [];
  if (!isPlainObject(operand)) return isScalar(operand) ? [textMembership(field, [operand])] : [];
  if (!Object.keys(operand).every((k) => k.startsWith('$'))) return [];
  const conditions: SqlCondition[] = [];
  const { $eq: eq, $in: within } = operand;
  if (isScalar(eq)) conditions.push(textMembership(field, [eq]));
  if (Array.isArray(within) && within.length > 0 && within.every(isScalar)) {
    const listed = membership(field, within);
    if (listed) conditions.push(listed);
  }
  if (SIMPLE_FIELD.test(field)) {
    for (const operator of RANGE_OPERATORS) {
      const bound = operand[operator];
      if (typeof bound === 'number' && Number.isFinite(bound)) conditions.push(numericRange(field, operator, bound));
    }
  }
  return conditions;
}

function conjuncts(filter: Record<string, unknown>): SqlCondition[] {
  return Object.entries(filter).flatMap(([key, operand]) => {
    if (key === '$and' && Array.isArray(operand)) return operand.filter(isPlainObject).flatMap(conjuncts);
    // Other logical operators ($or, $nor, ...) constrain nothing that every match must satisfy alone.
    if (key.startsWith('$')) return [];
    return fieldConditions(key, operand);
  });
}

/**
 * A SQL condition that every row matching `filter` satisfies — a superset prefilter, never the final word —
 * or undefined when nothing can be pushed down. Only equality and `$in` with strings, numbers and booleans,
 * and numeric ranges, on top-level fields are pushed, at most MAX_CONDITIONS of them.
 */
export function supersetCondition(filter: Filter): SqlCondition | undefined {
  const found = conjuncts(filter).slice(0, MAX_CONDITIONS);
  if (found.length === 0) return undefined;
  return { sql: found.map((c) => c.sql).join(' AND '), params: found.flatMap((c) => c.params) };
}
