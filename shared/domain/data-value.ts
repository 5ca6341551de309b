import type { JsonObject, JsonValue } from './document.js';
import { MAX_DEPTH, validateData } from './data-rules.js';
import { InvalidInputError } from './errors.js';

/**
 * A value that an operation will store somewhere inside `data` (an update operand, a JSON Patch value): the
 * data rules of `validateData` for any JSON value, not only an object, checked where the client sent it so
 * the error names that place (`update.$set.a.$b`, `patch[2].value[0]`). Where the value lands decides its
 * final depth, so the caller still checks the depth of the result.
 */
export function validateDataValue(value: unknown, path: string): JsonValue {
  return checkValue(value, path, 1);
}

function checkValue(value: unknown, path: string, depth: number): JsonValue {
  if (Array.isArray(value)) {
    if (depth > MAX_DEPTH) fail(path, `nesting depth exceeds ${MAX_DEPTH}`);
    for (let i = 0; i < value.length; i++) checkValue(value[i], `${path}[${i}]`, depth + 1);
    return value as JsonValue[];
  }
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      if (!Number.isFinite(value)) fail(path, 'numbers must be finite');
      return value;
    case 'object':
      return value === null ? null : validateData(value, path);
    default:
      return fail(path, 'must be a JSON value');
  }
}

/** Whether a value is a JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The JSON type of a value, as error messages name it. */
export function jsonTypeName(value: JsonValue): string {
  if (value === null) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}

function fail(path: string, message: string): never {
  throw new InvalidInputError(`${path}: ${message}`, [{ path, message }]);
}
