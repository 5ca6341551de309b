import type { IPolicy } from 'cockatiel';
import type { DocumentStore } from '../../domain/ports.js';
import { decorateStore } from './decorate-store.js';
import type { StoreResilience } from './resilience.js';

/**
 * Runs every store call under the process's resilience policies. Only calls that cannot apply twice
 * (`StoreCall.repeatable`) are retried.
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
  return decorateStore(store, (call, work) => run(call.repeatable ? resilience.repeatable() : once, work), {
    ping: () => run(probe, () => store.ping()),
  });
}
