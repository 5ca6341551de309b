import { isoTimestamp } from './timestamps.js';

/** JSON values as stored in `data`. */
export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** The document as the contract shows it (docs/api.md "Document"). Timestamps are ISO-8601 UTC strings. */
export interface Document {
  readonly id: string;
  readonly collection: string;
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly data: JsonObject;
}

export const FIRST_VERSION = 1;

export function newDocument(collection: string, id: string, data: JsonObject, now: Date): Document {
  const at = isoTimestamp(now);
  return { id, collection, version: FIRST_VERSION, createdAt: at, updatedAt: at, data };
}
