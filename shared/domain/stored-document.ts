import type { Document, JsonObject } from './document.js';

/** The JSON text each document made by `storedDocument` was read as; a copy of the object is not in here. */
const dataJsonOf = new WeakMap<Document, string>();

/**
 * A document as a store read it: `data` is parsed from the JSON text it was stored as when first read, and the
 * text itself stays available (`storedDataJson`), so a document read only to be sent on is neither parsed nor
 * serialized again. It is a plain object with a `data` getter: spread, compared and serialized like any other.
 * `dataJson` must be what JSON.stringify wrote for the data.
 */
export function storedDocument(id: string, collection: string, version: number, createdAt: string, updatedAt: string, dataJson: string): Document {
  let data: JsonObject | undefined;
  const document: Document = {
    id,
    collection,
    version,
    createdAt,
    updatedAt,
    get data(): JsonObject {
      return (data ??= JSON.parse(dataJson) as JsonObject);
    },
  };
  dataJsonOf.set(document, dataJson);
  return document;
}

/** The stored JSON text of a document's data, when `document` came from `storedDocument` (not a copy of one). */
export function storedDataJson(document: Document): string | undefined {
  return dataJsonOf.get(document);
}
