import { DomainError } from '../../domain/errors.js';
import type { DocumentStore } from '../../domain/ports.js';
import type { Metrics } from '../observability/metrics.js';
import { decorateStore, type StoreOperation } from './decorate-store.js';

/**
 * Wraps a store so every call counts in `db_operations_total` and `db_operation_duration_seconds`.
 * Outcome is `ok`, the domain error code (e.g. `version_mismatch`), or `error` for anything unexpected.
 */
export function instrumentStore(store: DocumentStore, metrics: Metrics): DocumentStore {
  const observe = async <T>(operation: StoreOperation, call: () => Promise<T>): Promise<T> => {
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
  return decorateStore(store, (call, run) => observe(call.operation, run));
}
