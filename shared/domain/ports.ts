import type { Document, JsonObject } from './document.js';
import type { DocumentEvent } from './events.js';
import type { IndexDefinition } from './indexes/index-definition.js';
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

/** One document of a `createMany`, with the Idempotency-Key it claims, if any. */
export interface NewDocument {
  readonly document: Document;
  readonly idempotency?: IdempotencyClaim | undefined;
}

/** How one of several operations ended: its value, or what it threw. */
export type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/** How one create of a `createMany` ended: its result, or what a lone `create` of it would have thrown. */
export type CreateOutcome = Outcome<CreateResult>;

/** What a replace writes, and on which condition. */
export interface Replacement {
  readonly data: JsonObject;
  /** Only when the stored version equals this; undefined: whatever version is current. */
  readonly expectedVersion?: number | undefined;
  /** The document's new updatedAt. */
  readonly now: Date;
}

/** What a modify computes from the current document, and on which condition. */
export interface Modification {
  readonly transform: DocumentTransform;
  /** Only when the stored version equals this; undefined: whatever version is current. */
  readonly expectedVersion?: number | undefined;
  /** The document's new updatedAt. */
  readonly now: Date;
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
  /** The query stops with QueryTimeoutError once it has run this long. */
  readonly maxTimeMs?: number;
  /** The caller wants `stats` to say what the database did (a store may then ask its database to explain). */
  readonly explain?: boolean;
}

/** What a query did: the index it read (null: it scanned the collection), and how much it read. */
export interface QueryStats {
  readonly index: string | null;
  readonly keysExamined: number;
  readonly documentsExamined: number;
  readonly durationMs: number;
}

export interface QueryResult {
  readonly documents: Document[];
  /** The position of the last document returned when more may follow; null at the end. */
  readonly next: SortPosition | null;
  readonly stats: QueryStats;
}

export interface CountSpec {
  /** A filter already checked by `validateFilter`. */
  readonly filter: Filter;
  readonly maxTimeMs?: number;
}

/** New data from the current document; pure (it may run more than once), may throw (then nothing changes). */
export type DocumentTransform = (current: Document) => JsonObject;

/**
 * The store port. Every method is atomic on its own: a conditional change with a stale version changes
 * nothing and throws VersionMismatchError; a change of a missing document throws DocumentNotFoundError; a
 * create of an existing id throws DocumentAlreadyExistsError; a change that would break a unique index
 * changes nothing and throws DuplicateKeyError. A store that cannot be reached throws UnavailableError.
 */
export interface DocumentStore {
  /** 'sqlite' | 'mongodb'; used as a bounded metric label. */
  readonly kind: string;
  create(document: Document, idempotency?: IdempotencyClaim): Promise<CreateResult>;
  /**
   * Creates each document (all in `collection`) as `create` would: each is its own atomic change, with no
   * transaction around them all. Ordered: one after another, and the outcomes end at the first failure;
   * unordered: every item is tried. Throws only when the store as a whole failed (then each item may or may not
   * have been written, as with a lone create); otherwise one outcome per item tried, in order.
   */
  createMany(collection: string, items: readonly NewDocument[], ordered: boolean): Promise<CreateOutcome[]>;
  get(collection: string, id: string): Promise<Document | null>;
  /** Replaces data; version + 1. With `expectedVersion`, only when the stored version equals it. */
  replace(collection: string, id: string, change: Replacement): Promise<Document>;
  /**
   * Read-modify-write as one change: writes `transform(current)` as version + 1, and no other change can land
   * between the read and the write (nothing is lost under contention). With `expectedVersion`, only at that
   * version. The write is always conditional on the version read, so it never lands on another incarnation.
   */
  modify(collection: string, id: string, change: Modification): Promise<Document>;
  /** Deletes and returns the deleted document. With `expectedVersion`, only at that version. */
  delete(collection: string, id: string, expectedVersion: number | undefined): Promise<Document>;
  query(collection: string, spec: QuerySpec): Promise<QueryResult>;
  /** How many documents match. */
  count(collection: string, spec: CountSpec): Promise<number>;
  /**
   * Creates the index, or does nothing when the same definition exists (false then). Throws
   * IndexConflictError when the name has another definition or another index has the same keys and uniqueness,
   * DuplicateKeyError when a unique index meets
   * documents that share a key (nothing is created then), InvalidInputError past the per-collection limit.
   */
  createIndex(collection: string, index: IndexDefinition): Promise<boolean>;
  listIndexes(collection: string): Promise<IndexDefinition[]>;
  /** Throws IndexNotFoundError when there is no such index. */
  dropIndex(collection: string, name: string): Promise<void>;
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
