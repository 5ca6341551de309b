import type { Document, JsonObject } from './document.js';

/** What a stored document keeps beside its fields: its data's JSON text, and the data once parsed. */
interface StoredData {
  /** The document these belong to: a copy made by spreading one carries them, but is not it. */
  readonly owner: Document;
  readonly json: string;
  parsed: JsonObject | undefined;
}

const STORED = Symbol('stored data');

type WithStoredData = Document & { [STORED]?: StoredData };

/** One getter shared by every stored document (a getter written in an object literal is a new function per object). */
const DATA: PropertyDescriptor = {
  enumerable: true,
  get(this: WithStoredData): JsonObject {
    const stored = this[STORED]!;
    return (stored.parsed ??= JSON.parse(stored.json) as JsonObject);
  },
};

/**
 * A document as a store read it: `data` is parsed from the JSON text it was stored as when first read, and the
 * text itself stays available (`storedDataJson`), so a document read only to be sent on is neither parsed nor
 * serialized again. It is a plain object whose `data` is an enumerable getter: spread, compared and serialized
 * like any other document. `dataJson` must be what JSON.stringify wrote for the data.
 */
export function storedDocument(id: string, collection: string, version: number, createdAt: string, updatedAt: string, dataJson: string): Document {
  const document = { id, collection, version, createdAt, updatedAt } as WithStoredData;
  Object.defineProperty(document, 'data', DATA);
  document[STORED] = { owner: document, json: dataJson, parsed: undefined };
  return document;
}

/** The stored JSON text of a document's data, when `document` came from `storedDocument` (not a copy of one). */
export function storedDataJson(document: Document): string | undefined {
  const stored = (document as WithStoredData)[STORED];
  return stored?.owner === document ? stored.json : undefined;
}
