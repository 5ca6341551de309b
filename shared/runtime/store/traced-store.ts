import {
  ATTR_DB_COLLECTION_NAME,
  ATTR_DB_OPERATION_NAME,
  ATTR_DB_SYSTEM_NAME,
} from '@opentelemetry/semantic-conventions';
import type { DocumentStore } from '../../domain/ports.js';
import { inSpan, SpanKind } from '../observability/spans.js';

/**
 * Wraps any DocumentStore so each call is a CLIENT span `<operation> <collection>` with the database
 * semantic-convention attributes. Generic over the store, so it composes: around the SQLite or MongoDB store
 * (`system` = its kind) and around a cache decorator (`system` = 'redis'), whose span then holds the store
 * span of a miss. Probes (`ping`) and `close` are not traced.
 */
export function traceStore(store: DocumentStore, system: string = store.kind): DocumentStore {
  const call = <T>(operation: string, collection: string, work: () => Promise<T>): Promise<T> =>
    inSpan(
      `${operation} ${collection}`,
      {
        kind: SpanKind.CLIENT,
        attributes: {
          [ATTR_DB_SYSTEM_NAME]: system,
          // The pre-1.30 name, still the one many trace backends group databases by.
          'db.system': system,
          [ATTR_DB_OPERATION_NAME]: operation,
          [ATTR_DB_COLLECTION_NAME]: collection,
        },
      },
      work,
    );
  return {
    kind: store.kind,
    create: (document, idempotency) => call('create', document.collection, () => store.create(document, idempotency)),
    get: (collection, id) => call('get', collection, () => store.get(collection, id)),
    replace: (collection, id, data, expectedVersion, now) =>
      call('replace', collection, () => store.replace(collection, id, data, expectedVersion, now)),
    modify: (collection, id, transform, expectedVersion, now) =>
      call('modify', collection, () => store.modify(collection, id, transform, expectedVersion, now)),
    delete: (collection, id, expectedVersion) => call('delete', collection, () => store.delete(collection, id, expectedVersion)),
    query: (collection, spec) => call('query', collection, () => store.query(collection, spec)),
    count: (collection, spec) => call('count', collection, () => store.count(collection, spec)),
    createIndex: (collection, index) => call('createIndex', collection, () => store.createIndex(collection, index)),
    listIndexes: (collection) => call('listIndexes', collection, () => store.listIndexes(collection)),
    dropIndex: (collection, name) => call('dropIndex', collection, () => store.dropIndex(collection, name)),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
