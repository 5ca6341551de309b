import { bulkhead, BulkheadRejectedError } from 'cockatiel';
import type { MiddlewareHandler } from 'hono';
import { UnavailableError } from '../../domain/errors.js';

export interface BulkAdmissionLimits {
  /** Bulk requests one process runs at once. */
  readonly BULK_MAX_CONCURRENCY: number;
  /** Bulk requests that may wait for their turn; beyond, 503 at once. */
  readonly BULK_MAX_QUEUE: number;
}

/**
 * Lets a few bulk requests run at once and keeps the rest waiting, in order of arrival, before their bodies are
 * read. A bulk request holds up to a thousand parsed documents until its last one is written; a hundred of them
 * at once (one Knative pod's concurrency) held 200+ MiB and spent a sixth of their CPU collecting garbage, while
 * the process, which runs one request's JavaScript at a time, wrote no faster for it. A waiting request's body
 * stays in its socket, where Node leaves it until it is read. Past the queue: 503 with Retry-After.
 */
export function bulkAdmission(limits: BulkAdmissionLimits): MiddlewareHandler {
  const turns = bulkhead(limits.BULK_MAX_CONCURRENCY, limits.BULK_MAX_QUEUE);
  return async (_c, next) => {
    try {
      await turns.execute(next);
    } catch (error) {
      if (error instanceof BulkheadRejectedError) {
        throw new UnavailableError(`too many bulk requests in progress (${limits.BULK_MAX_CONCURRENCY} at once, ${limits.BULK_MAX_QUEUE} waiting); try again shortly`);
      }
      throw error;
    }
  };
}
