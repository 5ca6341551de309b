/**
 * MongoDB-semantics query over `data` (docs/api.md "Query"): filters, sort and projection. One implementation
 * serves both the validation of input and the exact in-process evaluation that the SQLite store relies on.
 * Each concern is a module of its own; this is the surface the rest of the service uses.
 */
export { DEFAULT_LIMIT, MAX_FILTER_DEPTH, MAX_LIMIT, MAX_PATH_SEGMENTS } from './validation.js';
export { valuesAtPath } from './paths.js';
export { compareStrings, compareValues } from './value-order.js';
export { MAX_REGEX_LENGTH } from './regex.js';
export { compileFilter, matchesFilter, validateFilter, type Filter, type FilterMatcher } from './matcher.js';
export {
  comparePositions,
  EMPTY_ARRAY_SORT_KEY,
  isEmptyArrayKey,
  isSortDirection,
  MAX_SORT_FIELDS,
  sortKeyOf,
  validateSort,
  type SortDirection,
  type SortPosition,
  type SortSpec,
} from './sort.js';
export { MAX_FIELDS, projectData, validateFields } from './projection.js';
