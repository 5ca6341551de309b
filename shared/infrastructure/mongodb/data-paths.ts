import type { Document as MongoDocument } from 'mongodb';
import type { JsonObject } from '../../domain/document.js';
import type { Filter } from '../../domain/query/index.js';

/** Every field path of a query is a path inside `data` of the stored document. */
export function dataPath(field: string): string {
  return `data.${field}`;
}

const LOGICAL = new Set(['$and', '$or', '$nor']);

function onData(filter: JsonObject): MongoDocument {
  const translated: MongoDocument = {};
  for (const [key, operand] of Object.entries(filter)) {
    if (LOGICAL.has(key)) translated[key] = (operand as JsonObject[]).map(onData);
    else translated[dataPath(key)] = operand;
  }
  return translated;
}

/**
 * A filter that passed `validateFilter`, as a MongoDB filter over stored documents. Validation admits only the
 * allowlisted operators, whose operands name no fields, so moving each field path under `data` is the whole
 * translation: MongoDB then applies its own semantics to the very operators and operands the client sent.
 */
export function toMongoFilter(filter: Filter): MongoDocument {
  return onData(filter);
}
