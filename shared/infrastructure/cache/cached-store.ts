import type { Document } from '../../domain/document.js';
import { DomainError, UnavailableError } from '../../domain/errors.js';
import type { CreateOutcome, DocumentStore } from '../../domain/ports.js';

/**
 * A shared cache of single documents. Every method fails open: when the cache cannot answer it resolves as
 * if it had nothing, and never throws. Ordering is the cache's job: a copy older than what the cache has
 * learned (through `changed` and `deleted`) is refused, so a slow reader cannot put an old version back.
 */
export interface DocumentCache {
  /** The cached copy, or undefined (absent, evicted, or the cache is unavailable). */
  read(collection: string, id: string): Promise<Document | undefined>;
  /** Offers a copy just read from the store; kept only if no newer version is known. */
  fill(document: Document): Promise<void>;
  /** This version now exists: older copies go. */
  changed(document: Document): Promise<void>;
  /** This version was deleted: it and older copies go, and none of them may come back. */
  deleted(document: Document): Promise<void>;
  /** A change may or may not have happened (its outcome is unknown): drop the copy. */
  drop(collection: string, id: string): Promise<void>;
  close(): Promise<void>;
}

export interface CachedStoreOptions {
  /** Whether `get` is answered from the cache. Off where a read must see the store (read-modify-write). */
  readonly readThrough: boolean;
  readonly onHit: () => void;
  readonly onMiss: () => void;
}

/**
 * A read-through cache in front of a store for `get`, kept coherent by every change. The store stays the
 * source of truth: changes go to the store first, then tell the cache what happened.
 */
export function cachedStore(store: DocumentStore, cache: DocumentCache, options: CachedStoreOptions): DocumentStore {
  /** A change that failed without a domain answer may or may not have happened. */
  const outcomeUnknown = (error: unknown) => !(error instanceof DomainError) || error instanceof UnavailableError;
  /** Runs a change; if its outcome is unknown, the cached copy can no longer be trusted. */
  const change = async <T>(collection: string, id: string, call: () => Promise<T>, tell: (result: T) => Promise<void>): Promise<T> => {
    let result: T;
    try {
      result = await call();
    } catch (error) {
      if (outcomeUnknown(error)) await cache.drop(collection, id);
      throw error;
    }
    await tell(result);
    return result;
  };

  return {
    kind: store.kind,
    async get(collection, id) {
      if (!options.readThrough) return store.get(collection, id);
      const cached = await cache.read(collection, id);
      if (cached) {
        options.onHit();
        return cached;
      }
      options.onMiss();
      const document = await store.get(collection, id);
      if (document) await cache.fill(document);
      return document;
    },
    create: (document, idempotency) =>
      change(
        document.collection,
        document.id,
        () => store.create(document, idempotency),
        (result) => (result.replayed ? Promise.resolve() : cache.changed(result.document)),
      ),
    async createMany(collection, items, ordered) {
      let outcomes: CreateOutcome[];
      try {
        outcomes = await store.createMany(collection, items, ordered);
      } catch (error) {
        if (outcomeUnknown(error)) await Promise.all(items.map(({ document }) => cache.drop(collection, document.id)));
        throw error;
      }
      await Promise.all(
        outcomes.map((outcome, i) => {
          if (outcome.ok) return outcome.value.replayed ? undefined : cache.changed(outcome.value.document);
          return outcomeUnknown(outcome.error) ? cache.drop(collection, items[i]!.document.id) : undefined;
        }),
      );
      return outcomes;
    },
    replace: (collection, id, replacement) =>
      change(collection, id, () => store.replace(collection, id, replacement), (document) => cache.changed(document)),
    modify: (collection, id, modification) =>
      change(collection, id, () => store.modify(collection, id, modification), (document) => cache.changed(document)),
    delete: (collection, id, expectedVersion) =>
      change(collection, id, () => store.delete(collection, id, expectedVersion), (document) => cache.deleted(document)),
    query: (collection, spec) => store.query(collection, spec),
    count: (collection, spec) => store.count(collection, spec),
    createIndex: (collection, index) => store.createIndex(collection, index),
    listIndexes: (collection) => store.listIndexes(collection),
    dropIndex: (collection, name) => store.dropIndex(collection, name),
    ping: () => store.ping(),
    async close() {
      try {
        await store.close();
      } finally {
        await cache.close();
      }
    },
  };
}
