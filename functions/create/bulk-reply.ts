import type { BulkItemOutcome } from '../../shared/application/bulk-create.js';
import { type Problem, toProblem } from '../../shared/runtime/http/problem.js';

export type BulkItemResult = { readonly status: 201; readonly id: string; readonly version: number } | { readonly status: number; readonly problem: Problem };

export interface BulkCreateReply {
  readonly results: BulkItemResult[];
  /** Retry-After when an item failed in a way worth trying again; otherwise none. */
  readonly headers: Record<string, string>;
}

/**
 * The 200 of a bulk create: each item's result as a create alone would answer it. When any item's own answer
 * carries Retry-After (a 503: the store was down, busy or paused), the response carries the longest of them, so
 * a client that reads the status line and headers (a proxy, a retrying HTTP client) still waits before sending
 * the failed items again instead of hammering a store that is down.
 */
export function bulkCreateReply(outcomes: readonly BulkItemOutcome[]): BulkCreateReply {
  let retryAfter = 0;
  const results = outcomes.map((outcome): BulkItemResult => {
    if ('document' in outcome) return { status: 201, id: outcome.document.id, version: outcome.document.version };
    const { problem, headers } = toProblem(outcome.error);
    const seconds = headers['Retry-After'];
    if (seconds !== undefined) retryAfter = Math.max(retryAfter, Number(seconds));
    return { status: problem.status, problem };
  });
  return { results, headers: retryAfter ? { 'Retry-After': String(retryAfter) } : {} };
}
