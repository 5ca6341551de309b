import type { DocumentStore } from '../../domain/ports.js';

/** Every operation of the store port, as metrics, spans and policies name it. */
export type StoreOperation = 'create' | 'create_many' | 'get' | 'replace' | 'modify' | 'delete' | 'query' | 'count' | 'create_index' | 'list_indexes' | 'drop_index';

/** One call as a decorator sees it. */
export interface StoreCall {
  readonly operation: StoreOperation;
  readonly collection: string;
  /**
   * Whether the call may run twice without applying twice: reads, changes conditional on a version (a repeat
   * after success fails the version check) and creates carrying an Idempotency-Key (a repeat replays).
   */
  readonly repeatable: boolean;
}

/** Runs `call` (the next store's method), doing what the decorator adds around it. */
export type Around = <T>(call: StoreCall, run: () => Promise<T>) => Promise<T>;

/**
 * The one place that lists the port's methods for the decorators (instrumented, traced, resilient): `around`
 * wraps every call; probes (`ping`) and `close` pass through unless the decorator gives its own.
 */
export function decorateStore(store: DocumentStore, around: Around, own: Partial<Pick<DocumentStore, 'ping' | 'close'>> = {}): DocumentStore {
  return {
    kind: store.kind,
    create: (document, idempotency) =>
      around({ operation: 'create', collection: document.collection, repeatable: idempotency !== undefined }, () => store.create(document, idempotency)),
    createMany: (collection, items, ordered) =>
      around(
        { operation: 'create_many', collection, repeatable: items.every((item) => item.idempotency !== undefined) },
        () => store.createMany(collection, items, ordered),
      ),
    get: (collection, id) => around({ operation: 'get', collection, repeatable: true }, () => store.get(collection, id)),
    replace: (collection, id, replacement) =>
      around({ operation: 'replace', collection, repeatable: replacement.expectedVersion !== undefined }, () => store.replace(collection, id, replacement)),
    modify: (collection, id, modification) =>
      around({ operation: 'modify', collection, repeatable: modification.expectedVersion !== undefined }, () => store.modify(collection, id, modification)),
    delete: (collection, id, expectedVersion) =>
      around({ operation: 'delete', collection, repeatable: expectedVersion !== undefined }, () => store.delete(collection, id, expectedVersion)),
    query: (collection, spec) => around({ operation: 'query', collection, repeatable: true }, () => store.query(collection, spec)),
    count: (collection, spec) => around({ operation: 'count', collection, repeatable: true }, () => store.count(collection, spec)),
    createIndex: (collection, index) => around({ operation: 'create_index', collection, repeatable: false }, () => store.createIndex(collection, index)),
    listIndexes: (collection) => around({ operation: 'list_indexes', collection, repeatable: true }, () => store.listIndexes(collection)),
    dropIndex: (collection, name) => around({ operation: 'drop_index', collection, repeatable: false }, () => store.dropIndex(collection, name)),
    ping: own.ping ?? (() => store.ping()),
    close: own.close ?? (() => store.close()),
  };
}

/** The store unchanged, through the same list: a base for test doubles that replace one or two methods. */
export function passThrough(store: DocumentStore): DocumentStore {
  return decorateStore(store, (_call, run) => run());
}
