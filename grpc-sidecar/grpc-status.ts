import { status } from '@grpc/grpc-js';

/**
 * The one table from what a function answered (its HTTP status, as `problem.ts` chose it) to the gRPC status
 * the sidecar returns. Two outcomes have no HTTP status: `timeout`, no answer before the deadline, and
 * `cancelled`, the caller gave up on the call first. Anything not listed is UNKNOWN, so a new status shows up
 * instead of passing for another.
 */
export type FunctionOutcome = number | 'timeout' | 'cancelled';

export const GRPC_STATUS_BY_OUTCOME: ReadonlyMap<FunctionOutcome, status> = new Map<FunctionOutcome, status>([
  [400, status.INVALID_ARGUMENT],
  [401, status.UNAUTHENTICATED],
  [403, status.PERMISSION_DENIED],
  [404, status.NOT_FOUND],
  [409, status.ALREADY_EXISTS],
  [412, status.ABORTED],
  [413, status.INVALID_ARGUMENT],
  [415, status.INVALID_ARGUMENT],
  // Node refuses headers past its limit before the function sees them: here, metadata passed on as headers.
  [431, status.INVALID_ARGUMENT],
  [429, status.RESOURCE_EXHAUSTED],
  [500, status.INTERNAL],
  // A proxy in front of a function (Knative's activator) answers 502 while it cannot reach it.
  [502, status.UNAVAILABLE],
  [503, status.UNAVAILABLE],
  [504, status.DEADLINE_EXCEEDED],
  ['timeout', status.DEADLINE_EXCEEDED],
  ['cancelled', status.CANCELLED],
]);

/**
 * What a function's answer counts as: its status, except a query stopped at its time limit (503
 * `urn:dbsvc:problem:query-timeout`), which ran out of time like a call past its deadline.
 */
export function outcomeOf(httpStatus: number, body: string): FunctionOutcome {
  if (httpStatus !== 503 || !body.includes('query-timeout')) return httpStatus;
  try {
    return (JSON.parse(body) as { type?: unknown }).type === 'urn:dbsvc:problem:query-timeout' ? 'timeout' : httpStatus;
  } catch {
    return httpStatus;
  }
}

export function grpcStatusOf(outcome: FunctionOutcome): status {
  return GRPC_STATUS_BY_OUTCOME.get(outcome) ?? status.UNKNOWN;
}

/** The gRPC message for a failed answer: the problem's detail, else its title, else the bare status. */
export function grpcMessageOf(httpStatus: number, body: string): string {
  try {
    const problem = JSON.parse(body) as { detail?: unknown; title?: unknown };
    if (typeof problem.detail === 'string' && problem.detail) return problem.detail;
    if (typeof problem.title === 'string' && problem.title) return problem.title;
  } catch {
    // Not problem+json (e.g. a proxy's HTML error page): fall through to the status.
  }
  return `HTTP ${httpStatus}`;
}
