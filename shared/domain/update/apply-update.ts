import type { JsonObject, JsonValue } from '../document.js';
import { validateData } from '../data-rules.js';
import { jsonTypeName } from '../data-value.js';
import { compareValues } from '../query/index.js';
import { isoTimestamp } from '../timestamps.js';
import { addedToSet, popped, pulled, pushed } from './array-changes.js';
import {
  createAt,
  type FieldLocation,
  locate,
  MAX_ARRAY_PADDING,
  type PaddingBudget,
  replaceAt,
  requireViable,
  unsetAt,
} from './field-location.js';
import { fail } from './invalid-update.js';
import type { Operation } from './operations.js';
import type { UpdatePath } from './update-path.js';
import { type PlannedChange, type UpdateSpec, updatePlanOf } from './update-spec.js';

/**
 * Applies a validated update to `data` as MongoDB applies it to a document's fields, and returns the new data;
 * `data` is not changed (the update works on a copy, so a failure leaves nothing half done). `now` is the
 * time `$currentDate` writes, as an ISO-8601 string.
 *
 * Throws InvalidInputError where MongoDB fails at run time, naming the operator and path (`update.$inc.a`):
 * an operator on a value of the wrong type (`$inc` on a string, `$push` on a non-array), a path that cannot
 * be created or walked (through a scalar, or a field name on an array), a `$rename` through an array, a
 * result that is not a finite number, too much array padding; or when the result breaks the data rules
 * (`data.…`: nesting deeper than MAX_DEPTH). The result is valid data.
 */
export function applyUpdate(data: JsonObject, spec: UpdateSpec, now: Date): JsonObject {
  const plan = updatePlanOf(spec);
  const document = structuredClone(data);
  const context: ApplyContext = { now: isoTimestamp(now), padding: { left: MAX_ARRAY_PADDING } };
  for (const change of plan.changes) applyChange(document, change, context);
  return validateData(document);
}

interface ApplyContext {
  readonly now: string;
  readonly padding: PaddingBudget;
}

/** Operators that create a missing field (MongoDB's `allowCreation`). */
type CreatingOperation = Exclude<Operation, { operator: '$unset' | '$pull' | '$pop' | '$rename' }>;

function applyChange(document: JsonObject, change: PlannedChange, context: ApplyContext): void {
  const { path, operation, at } = change;
  if (operation.operator === '$rename') {
    rename(document, operation.from, path, at, context.padding);
    return;
  }
  const location = locate(document, path);
  if (!location.found) {
    if (operation.operator === '$unset') return; // MongoDB: unsetting what is not there (even past a scalar) is a no-op
    if (operation.operator === '$pull' || operation.operator === '$pop') {
      requireViable(location, path, at);
      return;
    }
    createAt(location, path, initialValue(operation, context.now), context.padding, at);
    return;
  }
  if (operation.operator === '$unset') {
    unsetAt(location);
    return;
  }
  const value = changedValue(operation, location.value, path, at, context.now);
  if (value !== location.value) replaceAt(location, value);
}

/** The value an operator gives a field that does not exist yet. */
function initialValue(operation: CreatingOperation, now: string): JsonValue {
  switch (operation.operator) {
    case '$set':
    case '$min':
    case '$max':
      return structuredClone(operation.value);
    case '$inc':
      return operation.by;
    case '$mul':
      // MongoDB: "If the field does not exist, $mul creates the field and sets the value to zero."
      return 0;
    case '$currentDate':
      return now;
    case '$push':
      return pushed([], operation.each, operation.position, operation.slice);
    case '$addToSet':
      return addedToSet([], operation.each);
  }
}

/** The new value of an existing field (the same value when the operator changes nothing). */
function changedValue(
  operation: Exclude<Operation, { operator: '$unset' | '$rename' }>,
  current: JsonValue,
  path: UpdatePath,
  at: string,
  now: string,
): JsonValue {
  switch (operation.operator) {
    case '$set':
      return structuredClone(operation.value);
    case '$currentDate':
      return now;
    case '$inc':
    case '$mul': {
      if (typeof current !== 'number') {
        const field = `the field '${path.text}' is of type ${jsonTypeName(current)}`;
        fail(at, `Cannot apply ${operation.operator} to a value of non-numeric type: ${field}`);
      }
      const result = operation.operator === '$inc' ? current + operation.by : current * operation.by;
      if (!Number.isFinite(result)) {
        fail(at, `${operation.operator} would make the field '${path.text}' ${result}; numbers in data must be finite`);
      }
      return result;
    }
    case '$min':
      // MongoDB's order across types (null < numbers < strings < objects < arrays < booleans).
      return compareValues(operation.value, current) < 0 ? structuredClone(operation.value) : current;
    case '$max':
      return compareValues(operation.value, current) > 0 ? structuredClone(operation.value) : current;
    case '$push':
      if (!Array.isArray(current)) {
        fail(at, `The field '${path.text}' must be an array but is of type ${jsonTypeName(current)}`);
      }
      return pushed(current, operation.each, operation.position, operation.slice);
    case '$addToSet':
      if (!Array.isArray(current)) {
        const type = jsonTypeName(current);
        fail(at, `Cannot apply $addToSet to non-array field: the field '${path.text}' has non-array type ${type}`);
      }
      return addedToSet(current, operation.each);
    case '$pull':
      if (!Array.isArray(current)) {
        const type = jsonTypeName(current);
        fail(at, `Cannot apply $pull to a non-array value: the field '${path.text}' is of type ${type}`);
      }
      return pulled(current, operation.removes);
    case '$pop':
      if (!Array.isArray(current)) {
        fail(at, `Path '${path.text}' contains an element of non-array type '${jsonTypeName(current)}'`);
      }
      return popped(current, operation.end);
  }
}

/**
 * `$rename` as MongoDB's RenameNode: a missing source is a no-op (its path must still be walkable); neither
 * path may go through an array (the renamed value may be one, and so may a value it overwrites); the value is
 * set at the destination (replacing one there, in place, or creating the path) and the source field removed.
 */
function rename(document: JsonObject, from: UpdatePath, to: UpdatePath, at: string, padding: PaddingBudget): void {
  const source = locate(document, from);
  if (!source.found) {
    requireViable(source, from, at);
    return;
  }
  rejectArrayOnPath(source, 'source', from, at);
  const target = locate(document, to);
  rejectArrayOnPath(target, 'destination', to, at);
  if (target.found) replaceAt(target, source.value);
  else createAt(target, to, source.value, padding, at);
  unsetAt(source);
}

function rejectArrayOnPath(location: FieldLocation, end: string, path: UpdatePath, at: string): void {
  if (location.arrayOnPath !== undefined) {
    const where = `'${path.text}' goes through the array '${location.arrayOnPath}'`;
    fail(at, `The ${end} field for $rename cannot be an array element: ${where}`);
  }
}
