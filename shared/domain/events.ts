import type { Document } from './document.js';
import { isoTimestamp } from './timestamps.js';

/** What happened to a document; the CloudEvent types of docs/api.md are `document.<kind>`. */
export type DocumentEventType = 'document.created' | 'document.updated' | 'document.deleted';

export interface DocumentEvent {
  readonly type: DocumentEventType;
  readonly collection: string;
  readonly id: string;
  /** The version after the change; for a delete, the version that was deleted. */
  readonly version: number;
  readonly time: string;
}

export function documentEvent(type: DocumentEventType, document: Document, time: Date): DocumentEvent {
  return { type, collection: document.collection, id: document.id, version: document.version, time: isoTimestamp(time) };
}
