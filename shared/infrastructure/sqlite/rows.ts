import type { Document, JsonObject } from '../../domain/document.js';
import { storedDocument } from '../../domain/stored-document.js';

/** A `documents` row as selected by every statement that returns whole documents. */
export interface DocumentRow {
  readonly collection: string;
  readonly id: string;
  readonly version: number;
  readonly created_at: string;
  readonly updated_at: string;
  readonly data: string;
}

export const DOCUMENT_COLUMNS = 'collection, id, version, created_at, updated_at, data';

export function toDocument(row: DocumentRow, data: JsonObject = JSON.parse(row.data) as JsonObject): Document {
  return {
    id: row.id,
    collection: row.collection,
    version: row.version,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    data,
  };
}

/** A row as a stored document: its data is parsed only when read (an answer can carry the stored text as it is). */
export function toStoredDocument(row: DocumentRow): Document {
  return storedDocument(row.id, row.collection, row.version, row.created_at, row.updated_at, row.data);
}
