import { bulkhead, BulkheadRejectedError } from 'cockatiel';
import Gauge from 'prom-client/lib/gauge.js';
import { UnavailableError } from '../../domain/errors.js';
import type { Metrics } from '../observability/metrics.js';

export interface BulkAdmissionLimits {
  /** Bulk requests one process runs at once. */
  readonly BULK_MAX_CONCURRENCY: number;
  /** Bulk requests that may wait for their turn; beyond, 503 at once. */
  readonly BULK_MAX_QUEUE: number;
}

/** Runs one bulk request's work in its turn; 503 when every turn is taken and the queue is full. */
export type BulkTurn = <T>(work: () => Promise<T>) => Promise<T>;

/**
 * Lets a few bulk requests of a process run at once and keeps the rest waiting, in order of arrival, with their
 * bodies read but not yet parsed. A bulk request holds up to a thousand parsed documents until its last one is
 * written; a hundred at once (one Knative pod's concurrency) held 200+ MiB, while the process, which runs one
 * request's JavaScript at a time, wrote no faster for it. Bodies are read before the turn, so a client that sends
 * its body slowly keeps no other request from its turn. `bulk_requests{state}` shows the running and the waiting.
 */
export function bulkTurns(limits: BulkAdmissionLimits, metrics: Pick<Metrics, 'registry'>): BulkTurn {
  const turns = bulkhead(limits.BULK_MAX_CONCURRENCY, limits.BULK_MAX_QUEUE);
  new Gauge({
    name: 'bulk_requests',
    help: 'Bulk requests running and waiting for their turn (BULK_MAX_CONCURRENCY, BULK_MAX_QUEUE).',
    labelNames: ['state'],
    registers: [metrics.registry],
    collect() {
      this.set({ state: 'running' }, limits.BULK_MAX_CONCURRENCY - turns.executionSlots);
      this.set({ state: 'waiting' }, limits.BULK_MAX_QUEUE - turns.queueSlots);
    },
  });
  return async (work) => {
    try {
      return await turns.execute(work);
    } catch (error) {
      if (error instanceof BulkheadRejectedError) {
        throw new UnavailableError(
          `too many bulk requests in progress (${limits.BULK_MAX_CONCURRENCY} at once, ${limits.BULK_MAX_QUEUE} waiting); try again shortly`,
        );
      }
      throw error;
    }
  };
}
