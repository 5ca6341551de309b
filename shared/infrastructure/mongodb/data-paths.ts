import type { Document as MongoDocument } from 'mongodb';
import type { JsonObject, JsonValue } from '../../domain/document.js';
import type { Filter } from '../../domain/query/index.js';

/** Every field path of a query is a path inside `data` of the stored document. */
export function dataPath(field: string): string {
  return `data.${field}`;
}

const LOGICAL = new Set(['$and', '$or', '$nor']);

function isOperatorObject(condition: JsonValue): condition is JsonObject {
  return typeof condition === 'object' && condition !== null && !Array.isArray(condition) && Object.keys(condition).some((key) => key.startsWith('$'));
}

/**
 * A field's condition as sent, but with `$exists` (also under `$not`) as a boolean. The domain accepts a
 * number there, which MongoDB reads by truthiness; FerretDB v1 ignores a number and matches every document.
 * Implicit equality with a literal is left alone.
 */
function onCondition(condition: JsonValue): JsonValue {
  if (!isOperatorObject(condition)) return condition;
  const translated: JsonObject = {};
  for (const [operator, operand] of Object.entries(condition)) {
    if (operator === '$exists') translated[operator] = Boolean(operand);
    else if (operator === '$not') translated[operator] = onCondition(operand);
    else translated[operator] = operand;
  }
  return translated;
}

function onData(filter: JsonObject): MongoDocument {
  const translated: MongoDocument = {};
  for (const [key, operand] of Object.entries(filter)) {
    if (LOGICAL.has(key)) translated[key] = (operand as JsonObject[]).map(onData);
    else translated[dataPath(key)] = onCondition(operand);
  }
  return translated;
}

/**
 * A filter that passed `validateFilter`, as a MongoDB filter over stored documents. Validation admits only the
 * allowlisted operators, whose operands name no fields, so moving each field path under `data` is the whole
 * translation, apart from `$exists` operands made booleans: MongoDB then applies its own semantics to the very
 * operators and operands the client sent.
 */
export function toMongoFilter(filter: Filter): MongoDocument {
  return onData(filter);
}
