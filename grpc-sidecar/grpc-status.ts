import { status } from '@grpc/grpc-js';
import type { Violation } from '../shared/domain/errors.js';

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
 * `urn:dbsvc:problem:query-timeout`), which ran out of time like a call past its deadline, and a 404 that is
 * not a problem. A function answers every 404 with one; a bare 404 comes from something in front of it with no
 * route to it (an ingress while a Knative route is not ready, a wrong FUNCTION_URL_*), which could not reach the
 * function, as a 502 says. NOT_FOUND would tell the caller that the document does not exist.
 */
export function outcomeOf(httpStatus: number, body: string): FunctionOutcome {
  if (httpStatus === 404 && !isProblem(body)) return 502;
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

/** What a failed answer says: its problem's detail (else title, else the bare status) and its `errors`, if any. */
export interface Refusal {
  readonly message: string;
  readonly errors: readonly Violation[];
}

export function refusalOf(httpStatus: number, body: string): Refusal {
  const problem = membersOf(body);
  const bare = httpStatus === 404 ? 'HTTP 404 without a problem: not the function, but something in front of it with no route to it' : `HTTP ${httpStatus}`;
  return {
    message: textOf(problem.detail) ?? textOf(problem.title) ?? bare,
    errors: Array.isArray(problem.errors) ? problem.errors.filter(isViolation) : [],
  };
}

/** Whether the body is a problem (RFC 9457), as every function's error answer is: a JSON object with a `type`. */
function isProblem(body: string): boolean {
  return typeof membersOf(body).type === 'string';
}

/** The problem's members; none when the body is not problem+json (e.g. a proxy's HTML error page). */
function membersOf(body: string): { type?: unknown; detail?: unknown; title?: unknown; errors?: unknown } {
  try {
    const value: unknown = JSON.parse(body);
    return typeof value === 'object' && value !== null ? value : {};
  } catch {
    return {};
  }
}

function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value ? value : undefined;
}

function isViolation(value: unknown): value is Violation {
  const { path, message } = (value ?? {}) as { path?: unknown; message?: unknown };
  return typeof path === 'string' && typeof message === 'string';
}
