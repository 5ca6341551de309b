import type { Document, JsonObject } from '../../domain/document.js';

/**
 * A document as stored in the MongoDB collection named after its collection: the id is `_id` (so the unique
 * `_id` index enforces "create never overwrites" and serves id-ordered paging), timestamps are BSON dates.
 *
 * A delete turns the document into a tombstone in place, in the same atomic update: `deletedAt` is set, the
 * version grows by one, and createdAt, updatedAt, data and claim go. Creating the id again turns the tombstone
 * back into a document at its version + 1, so a version is never reused for an id (until the tombstone is purged).
 */
export interface StoredDocument {
  _id: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
  data: JsonObject;
  /**
   * The token of the Idempotency-Key claim whose create wrote this incarnation (IdempotencyKeys). A retry that
   * finishes the claim finds the id taken and needs to know whether by this very create, and neither the
   * data nor createdAt tell: the items of one bulk create share createdAt and may repeat an id with its data.
   */
  claim?: string;
  /** Set on tombstones only. */
  deletedAt?: Date;
}

/**
 * The condition every read and change adds: documents, never tombstones (which have no data). Written as a
 * positive condition so that it implies the partial filter of secondary indexes, which leave tombstones out
 * (MongoDB uses a partial index only for queries that imply its filter).
 */
export const LIVE = { data: { $exists: true } } as const;

/** `claim`: the token of the Idempotency-Key claim that creates it, if one does. */
export function toStored(document: Document, claim?: string): StoredDocument {
  const stored: StoredDocument = {
    _id: document.id,
    version: document.version,
    createdAt: new Date(document.createdAt),
    updatedAt: new Date(document.updatedAt),
    data: document.data,
  };
  if (claim !== undefined) stored.claim = claim;
  return stored;
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
