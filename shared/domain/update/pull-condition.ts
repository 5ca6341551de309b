import type { JsonObject, JsonValue } from '../document.js';
import { isJsonObject, validateDataValue } from '../data-value.js';
import { InvalidInputError } from '../errors.js';
import { compareValues, compileFilter, type FilterMatcher, validateFilter } from '../query/index.js';

/** Whether `$pull` removes an element. */
export type ElementPredicate = (element: JsonValue) => boolean;

/** Top-level query operators: an object starting with one is a query on an element's fields, not on the element. */
const QUERY_LOGICAL_OPERATORS = new Set(['$and', '$or', '$nor']);

/** The field an element is wrapped under when an operator condition applies to the element itself. */
const WRAPPER_FIELD = 'element';

/**
 * The condition of `$pull`, read as MongoDB's PullNode reads it:
 * - an object whose first key is a field operator (`{"$gte": 6}`, `{"$in": [1, 2]}`) is a condition on the
 *   element itself, evaluated as the query `{"": condition}` on the document `{"": element}` (so an element
 *   that is an array matches when one of its items does, as in a query);
 * - any other object (`{"score": {"$lt": 5}}`, `{"$or": [...]}`, `{}`) is a query on the fields of an element,
 *   and only elements that are objects can match it; extra fields in the element do not prevent a match;
 * - a scalar or an array is compared for equality with each element (BSON equality: numbers by value,
 *   objects field by field in order).
 * Conditions are validated and compiled by the query module; `at` (`update.$pull.scores`) names errors.
 */
export function pullCondition(operand: unknown, at: string): ElementPredicate {
  if (!isJsonObject(operand)) {
    const value = validateDataValue(operand, at);
    return (element) => compareValues(element, value) === 0;
  }
  const first = Object.keys(operand)[0];
  if (first !== undefined && first.startsWith('$') && !QUERY_LOGICAL_OPERATORS.has(first)) {
    const matches = compileCondition({ [WRAPPER_FIELD]: operand }, `filter.${WRAPPER_FIELD}`, at);
    return (element) => matches({ [WRAPPER_FIELD]: element });
  }
  const matches = compileCondition(operand, 'filter', at);
  return (element) => isJsonObject(element) && matches(element);
}

/** Compiles a query, its errors renamed from the query's own paths (`filter.…`) to where the client wrote it. */
function compileCondition(filter: JsonObject, filterPath: string, at: string): FilterMatcher {
  try {
    return compileFilter(validateFilter(filter));
  } catch (error) {
    if (!(error instanceof InvalidInputError)) throw error;
    const violations = error.violations.map(({ path, message }) => ({
      path: path.startsWith(filterPath) ? at + path.slice(filterPath.length) : at,
      message,
    }));
    const first = violations[0];
    throw new InvalidInputError(first ? `${first.path}: ${first.message}` : error.message, violations);
  }
}
