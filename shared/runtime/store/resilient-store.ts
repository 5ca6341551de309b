import type { DocumentStore } from '../../domain/ports.js';
import { decorateStore } from './decorate-store.js';
import type { StoreResilience } from './resilience.js';

/**
 * Runs every store call under the process's resilience policies. Only calls that cannot apply twice
 * (`StoreCall.repeatable`) are retried.
 */
export function resilientStore(store: DocumentStore, resilience: StoreResilience): DocumentStore {
  return decorateStore(store, (call, work) => resilience.call(call.repeatable, work), {
    ping: () => resilience.probe(() => store.ping()),
  });
}
