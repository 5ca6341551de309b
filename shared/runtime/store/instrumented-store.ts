import { DomainError } from '../../domain/errors.js';
import type { DocumentStore } from '../../domain/ports.js';
import type { Metrics } from '../observability/metrics.js';

type Operation = 'create' | 'get' | 'replace' | 'modify' | 'delete' | 'query' | 'count' | 'create_index' | 'list_indexes' | 'drop_index';

/**
 * Wraps a store so every call counts in `db_operations_total` and `db_operation_duration_seconds`.
 * Outcome is `ok`, the domain error code (e.g. `version_mismatch`), or `error` for anything unexpected.
 */
export function instrumentStore(store: DocumentStore, metrics: Metrics): DocumentStore {
  const observe = async <T>(operation: Operation, call: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    let outcome = 'ok';
    try {
      return await call();
    } catch (error) {
      outcome = error instanceof DomainError ? error.code : 'error';
      throw error;
    } finally {
      const labels = { operation, store: store.kind, outcome };
      metrics.dbOperations.inc(labels);
      metrics.dbDuration.observe(labels, (performance.now() - started) / 1000);
    }
  };
  return {
    kind: store.kind,
    create: (document, idempotency) => observe('create', () => store.create(document, idempotency)),
    get: (collection, id) => observe('get', () => store.get(collection, id)),
    replace: (collection, id, data, expectedVersion, now) => observe('replace', () => store.replace(collection, id, data, expectedVersion, now)),
    modify: (collection, id, transform, expectedVersion, now) => observe('modify', () => store.modify(collection, id, transform, expectedVersion, now)),
    delete: (collection, id, expectedVersion) => observe('delete', () => store.delete(collection, id, expectedVersion)),
    query: (collection, spec) => observe('query', () => store.query(collection, spec)),
    count: (collection, spec) => observe('count', () => store.count(collection, spec)),
    createIndex: (collection, index) => observe('create_index', () => store.createIndex(collection, index)),
    listIndexes: (collection) => observe('list_indexes', () => store.listIndexes(collection)),
    dropIndex: (collection, name) => observe('drop_index', () => store.dropIndex(collection, name)),
    ping: () => store.ping(),
    close: () => store.close(),
  };
}
