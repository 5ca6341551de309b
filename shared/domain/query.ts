import type { JsonObject, JsonValue } from './document.js';

/**
 * MongoDB-semantics query over `data` (DESIGN.md "Query filter"). One implementation serves both the
 * validation of input and the exact in-process evaluation that the SQLite store relies on.
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

/** Throws InvalidInputError naming the offending operator or path (e.g. `filter.$where`). */
export function validateFilter(raw: unknown): Filter {
  throw new Error('not implemented');
}

/** `{"field": 1 | -1, ...}` in key order → SortSpec. Throws InvalidInputError on anything else. */
export function validateSort(raw: unknown): SortSpec {
  throw new Error('not implemented');
}

/** A list of dotted data paths, or undefined. Throws InvalidInputError on bad paths. */
export function validateFields(raw: unknown): readonly string[] | undefined {
  throw new Error('not implemented');
}

/** Whether `data` matches the filter exactly as MongoDB would match `{data: ...}` with paths prefixed. */
export function matchesFilter(filter: Filter, data: JsonObject): boolean {
  throw new Error('not implemented');
}

/** MongoDB's total order over JSON values (null < numbers < strings < objects < arrays < booleans). */
export function compareValues(a: JsonValue, b: JsonValue): number {
  throw new Error('not implemented');
}

/** The sort key of `data` under `sort`, as MongoDB sorts (arrays by min ascending / max descending). */
export function sortKeyOf(data: JsonObject, sort: SortSpec): JsonValue[] {
  throw new Error('not implemented');
}

/** Orders two positions under `sort`, ties broken by id ascending. */
export function comparePositions(a: SortPosition, b: SortPosition, sort: SortSpec): number {
  throw new Error('not implemented');
}

/** Projection of data fields (dotted paths), as MongoDB's inclusion projection on `data`. */
export function projectData(data: JsonObject, fields: readonly string[]): JsonObject {
  throw new Error('not implemented');
}
