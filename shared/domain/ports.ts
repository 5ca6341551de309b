import type { Document, JsonObject } from './document.js';
import type { DocumentEvent } from './events.js';
import type { Filter, SortSpec, SortPosition } from './query/index.js';

/** An Idempotency-Key claimed by a create, with a fingerprint of the request it belongs to. */
export interface IdempotencyClaim {
  readonly key: string;
  readonly fingerprint: string;
}

export interface CreateResult {
  readonly document: Document;
  /** True when the key was seen before and the original document is returned; nothing was written. */
  readonly replayed: boolean;
}

export interface QuerySpec {
  /** A filter already checked by `validateFilter`. */
  readonly filter: Filter;
  /** Sort fields in order; the id ascending always breaks ties and is not listed here. */
  readonly sort: SortSpec;
  /** 1..1000. */
  readonly limit: number;
  /** Resume strictly after this position (decoded from the opaque cursor). */
  readonly after?: SortPosition;
  /** Projection of data fields (dotted paths); undefined means the whole of data. */
  readonly fields?: readonly string[];
}

export interface QueryResult {
  readonly documents: Document[];
  /** The position of the last document returned when more may follow; null at the end. */
  readonly next: SortPosition | null;
}

/**
 * The store port. Every method is atomic on its own: a conditional change with a stale version changes
 * nothing and throws VersionMismatchError; a change of a missing document throws DocumentNotFoundError; a
 * create of an existing id throws DocumentAlreadyExistsError. A store that cannot be reached throws
 * UnavailableError.
 */
export interface DocumentStore {
  /** 'sqlite' | 'mongodb'; used as a bounded metric label. */
  readonly kind: string;
  create(document: Document, idempotency?: IdempotencyClaim): Promise<CreateResult>;
  get(collection: string, id: string): Promise<Document | null>;
  /** Replaces data; version + 1. With `expectedVersion`, only when the stored version equals it. */
  replace(collection: string, id: string, data: JsonObject, expectedVersion: number | undefined, now: Date): Promise<Document>;
  /** Deletes and returns the deleted document. With `expectedVersion`, only at that version. */
  delete(collection: string, id: string, expectedVersion: number | undefined): Promise<Document>;
  query(collection: string, spec: QuerySpec): Promise<QueryResult>;
  /** Resolves when the store can serve; rejects with UnavailableError otherwise. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** Receives domain events after each successful change (logs, CloudEvents). Must not throw or block. */
export interface DocumentEventSink {
  publish(event: DocumentEvent): void;
}

export interface Clock {
  now(): Date;
}

export interface IdGenerator {
  next(): string;
}
