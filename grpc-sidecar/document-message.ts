import type { Document as DocumentJson } from '../shared/domain/document.js';
import type { Document } from './generated/dbsvc/v1/Document.js';
import type { Timestamp } from './generated/google/protobuf/Timestamp.js';
import { jsonToStruct } from './struct.js';

/** A document as the functions answer it (REST JSON) → the gRPC Document message. */
export function toDocumentMessage(document: DocumentJson): Document {
  return {
    id: document.id,
    collection: document.collection,
    // int64 travels as a decimal string: exact for every version, not only up to 2^53.
    version: String(document.version),
    create_time: toTimestamp(document.createdAt),
    update_time: toTimestamp(document.updatedAt),
    data: jsonToStruct(document.data),
  };
}

/** An ISO-8601 instant → google.protobuf.Timestamp (seconds since the epoch, floored, and the rest in nanos). */
export function toTimestamp(iso: string): Timestamp {
  const millis = Date.parse(iso);
  if (Number.isNaN(millis)) throw new TypeError(`not an ISO-8601 instant: ${iso}`);
  const seconds = Math.floor(millis / 1000);
  return { seconds: String(seconds), nanos: (millis - seconds * 1000) * 1_000_000 };
}
