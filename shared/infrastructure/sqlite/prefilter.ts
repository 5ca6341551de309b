import type { Filter } from '../../domain/query.js';

/** A SQL condition over `documents.data` with its parameters, to AND into a WHERE clause. */
export interface SqlCondition {
  readonly sql: string;
  readonly params: readonly string[];
}

/** Top-level field names that are safe inside a quoted JSON path without escaping. */
const SIMPLE_FIELD = /^[A-Za-z0-9_-]+$/;
/** Strings SQLite's JSON functions decode exactly as JSON.parse does: no NUL, no lone surrogate. */
const EXACT_STRING = /^[^\0\p{Surrogate}]*$/u;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function exactStrings(values: readonly unknown[]): values is string[] {
  return values.length > 0 && values.every((v) => typeof v === 'string' && EXACT_STRING.test(v));
}

/**
 * `field` equals one of `values` (strings), or is an array, and so may contain one. Under MongoDB semantics
 * these are the only ways a top-level field can match string equality or `$in`, so the condition admits
 * every matching row; rows it admits are still checked exactly by the domain's matcher.
 */
function stringMembership(field: string, values: readonly string[]): SqlCondition {
  const path = `$."${field}"`;
  const slots = values.map(() => '?').join(', ');
  return {
    sql: `(json_extract(data, '${path}') IN (${slots}) OR json_type(data, '${path}') = 'array')`,
    params: values,
  };
}

function fieldConditions(field: string, operand: unknown): SqlCondition[] {
  if (!SIMPLE_FIELD.test(field)) return [];
  if (typeof operand === 'string') return exactStrings([operand]) ? [stringMembership(field, [operand])] : [];
  const isOperatorObject = isPlainObject(operand) && Object.keys(operand).every((k) => k.startsWith('$'));
  if (!isOperatorObject) return [];
  const conditions: SqlCondition[] = [];
  const { $eq: eq, $in: within } = operand;
  if (exactStrings([eq])) conditions.push(stringMembership(field, [eq as string]));
  if (Array.isArray(within) && exactStrings(within)) conditions.push(stringMembership(field, within));
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
 * or undefined when nothing can be pushed down. Only string equality and `$in` on top-level fields are
 * pushed: number text is parsed by SQLite's own float parser, which need not agree with JavaScript's.
 */
export function supersetCondition(filter: Filter): SqlCondition | undefined {
  const found = conjuncts(filter);
  if (found.length === 0) return undefined;
  return { sql: found.map((c) => c.sql).join(' AND '), params: found.flatMap((c) => c.params) };
}
