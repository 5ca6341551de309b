import type { Document, JsonObject } from '../../domain/document.js';

/**
 * A document as stored in the MongoDB collection named after its collection: the id is `_id` (so the unique
 * `_id` index enforces "create never overwrites" and serves id-ordered paging), timestamps are BSON dates.
 *
 * A delete turns the document into a tombstone in place, in the same atomic update: `deletedAt` is set, the
 * version grows by one, and createdAt, updatedAt and data go. Creating the id again turns the tombstone back
 * into a document at its version + 1, so a version is never reused for an id (until the tombstone is purged).
 */
export interface StoredDocument {
  _id: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  data: JsonObject;
  /** Set on tombstones only. */
  deletedAt?: Date;
}

/**
 * The condition every read and change adds: documents, never tombstones (which have no data). Written as a
 * positive condition so that it implies the partial filter of secondary indexes, which leave tombstones out
 * (MongoDB uses a partial index only for queries that imply its filter).
 */
export const LIVE = { data: { $exists: true } } as const;

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
