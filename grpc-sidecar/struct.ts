import type { JsonObject, JsonValue } from '../shared/domain/document.js';
import type { ListValue } from './generated/google/protobuf/ListValue.js';
import { invalidField } from './invalid-field.js';
import type { Struct, Struct__Output } from './generated/google/protobuf/Struct.js';
import type { Value, Value__Output } from './generated/google/protobuf/Value.js';

/**
 * google.protobuf.Struct ⇄ JSON, exactly: objects, arrays, numbers, strings, booleans and null map one to one
 * (Struct's numbers are doubles, like JSON's in JavaScript). Keys are copied as own properties, so a key such
 * as `__proto__` stays data (the domain then rejects it with a 400). Recursion is bounded by protobufjs,
 * which refuses to decode messages nested deeper than 100 levels.
 */

export function structToJson(struct: Struct__Output, path: string): JsonObject {
  return objectOf(struct, path);
}

export function jsonToStruct(object: JsonObject): Struct {
  return { fields: Object.fromEntries(Object.entries(object).map(([key, value]) => [key, jsonToValue(value)])) };
}

function objectOf(struct: Struct__Output, path: string): JsonObject {
  return Object.fromEntries(Object.entries(struct.fields).map(([key, value]) => [key, valueOf(value, `${path}.${key}`)]));
}

function valueOf(value: Value__Output, path: string): JsonValue {
  switch (value.kind) {
    case 'nullValue':
      return null;
    case 'numberValue': {
      const number = value.numberValue!;
      if (!Number.isFinite(number)) throw invalidField(path, `${number} is not a JSON number`);
      return number;
    }
    case 'stringValue':
      return value.stringValue!;
    case 'boolValue':
      return value.boolValue!;
    case 'structValue':
      return objectOf(value.structValue!, path);
    case 'listValue':
      return value.listValue!.values.map((item, index) => valueOf(item, `${path}[${index}]`));
    default:
      throw invalidField(path, 'is a google.protobuf.Value with no kind set');
  }
}

function jsonToValue(value: JsonValue): Value {
  if (value === null) return { nullValue: 'NULL_VALUE' };
  switch (typeof value) {
    case 'number':
      return { numberValue: value };
    case 'string':
      return { stringValue: value };
    case 'boolean':
      return { boolValue: value };
  }
  if (Array.isArray(value)) return { listValue: { values: value.map(jsonToValue) } satisfies ListValue };
  return { structValue: jsonToStruct(value) };
}
