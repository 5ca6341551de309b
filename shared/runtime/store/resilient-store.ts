import type { IPolicy } from 'cockatiel';
import type { DocumentStore } from '../../domain/ports.js';
import type { StoreResilience } from './resilience.js';

/**
 * Runs every store call under the process's resilience policies. Only calls that cannot apply twice are
 * retried: reads, changes conditional on a version (a repeat after success fails the version check instead
 * of applying again) and creates carrying an Idempotency-Key (a repeat replays the first result).
 */
export function resilientStore(store: DocumentStore, resilience: StoreResilience): DocumentStore {
  const run = async <T>(policy: IPolicy, call: () => Promise<T>): Promise<T> => {
    try {
      return await policy.execute(call, resilience.signal());
    } catch (error) {
      throw resilience.translate(error);
    }
  };
  const { once, probe } = resilience;
  const repeatable = resilience.repeatable;
  return {
    kind: store.kind,
    create: (document, idempotency) => run(idempotency ? repeatable() : once, () => store.create(document, idempotency)),
    get: (collection, id) => run(repeatable(), () => store.get(collection, id)),
    replace: (collection, id, data, expectedVersion, now) =>
      run(expectedVersion === undefined ? once : repeatable(), () => store.replace(collection, id, data, expectedVersion, now)),
    modify: (collection, id, transform, expectedVersion, now) =>
      run(expectedVersion === undefined ? once : repeatable(), () => store.modify(collection, id, transform, expectedVersion, now)),
    delete: (collection, id, expectedVersion) =>
      run(expectedVersion === undefined ? once : repeatable(), () => store.delete(collection, id, expectedVersion)),
    query: (collection, spec) => run(repeatable(), () => store.query(collection, spec)),
    count: (collection, spec) => run(repeatable(), () => store.count(collection, spec)),
    createIndex: (collection, index) => run(once, () => store.createIndex(collection, index)),
    listIndexes: (collection) => run(repeatable(), () => store.listIndexes(collection)),
    dropIndex: (collection, name) => run(once, () => store.dropIndex(collection, name)),
    ping: () => run(probe, () => store.ping()),
    close: () => store.close(),
  };
}
