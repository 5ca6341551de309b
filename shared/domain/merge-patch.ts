import type { JsonObject, JsonValue } from './document.js';

/**
 * RFC 7386 JSON Merge Patch applied to a document's data. Returns a new object; the target is not mutated.
 * A null member removes the key; an object member merges recursively; anything else replaces.
 */
export function applyMergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  return mergeValue(target, patch) as JsonObject;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function mergeValue(target: JsonValue | undefined, patch: JsonValue): JsonValue {
  if (!isObject(patch)) return patch;
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergeValue(result[key], value);
  }
  return result;
}
