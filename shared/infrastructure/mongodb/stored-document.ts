import type { Document, JsonObject } from '../../domain/document.js';

/**
 * A document as stored in the MongoDB collection named after its collection: the id is `_id` (so the unique
 * `_id` index enforces "create never overwrites" and serves id-ordered paging), timestamps are BSON dates.
 */
export interface StoredDocument {
  _id: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  data: JsonObject;
}

export function toStored(document: Document): StoredDocument {
  return {
    _id: document.id,
    version: document.version,
    createdAt: new Date(document.createdAt),
    updatedAt: new Date(document.updatedAt),
    data: document.data,
  };
}

/** `data` may be left out of a projected read when none of the projected fields exist. */
export function toDocument(collection: string, stored: StoredDocument, data: JsonObject = stored.data ?? {}): Document {
  return {
    id: stored._id,
    collection,
    version: stored.version,
    createdAt: stored.createdAt.toISOString(),
    updatedAt: stored.updatedAt.toISOString(),
    data,
  };
}
