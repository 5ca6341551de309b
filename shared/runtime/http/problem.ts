import {
  DomainError,
  type DomainErrorCode,
  InterruptedError,
  QueryTimeoutError,
  RateLimitedError,
  UnauthenticatedError,
  UnavailableError,
  type Violation,
} from '../../domain/errors.js';

/**
 * The one place where failures become HTTP: RFC 9457 problem+json. The gRPC sidecar maps these statuses on
 * to gRPC codes, so a rule changed here changes both surfaces.
 */
export interface Problem {
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string;
  /** Each offending input path with what is wrong there (a 400, and the 409 of a reused Idempotency-Key). */
  readonly errors?: readonly Violation[];
}

/** No route matches the method and path; a 404 like a missing document, with the request named. */
export class RouteNotFoundError extends DomainError {
  override readonly name = 'RouteNotFoundError';
  readonly code = 'not_found';
  constructor(method: string, url: string) {
    super(`no route for ${method} ${new URL(url).pathname}`);
  }
}

/** A route's path with a method it does not take: 405 with `Allow` (RFC 9110 §15.5.6). */
export class MethodNotAllowedError extends DomainError {
  override readonly name = 'MethodNotAllowedError';
  readonly code = 'method_not_allowed';
  constructor(
    method: string,
    path: string,
    readonly allowed: readonly string[],
  ) {
    super(`${method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`);
  }
}

/**
 * A function that did not start its answer within the gateway's GATEWAY_TIMEOUT_SECONDS: 504. Unlike a 503, it
 * does not say the request was not carried out: the function may still complete it.
 */
export class GatewayTimeoutError extends DomainError {
  override readonly name = 'GatewayTimeoutError';
  readonly code = 'gateway_timeout';
  constructor(functionName: string, seconds: number) {
    super(`function '${functionName}' did not answer within GATEWAY_TIMEOUT_SECONDS (${seconds} s); a change it was sent may still be made, so read before sending it again`);
  }
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

const BY_CODE: Record<DomainErrorCode, { status: number; title: string }> = {
  invalid_input: { status: 400, title: 'Invalid input' },
  unauthenticated: { status: 401, title: 'Unauthenticated' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not found' },
  already_exists: { status: 409, title: 'Already exists' },
  version_mismatch: { status: 412, title: 'Version mismatch' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  rate_limited: { status: 429, title: 'Rate limited' },
  unavailable: { status: 503, title: 'Service unavailable' },
  duplicate_key: { status: 409, title: 'Duplicate key' },
  not_attempted: { status: 424, title: 'Not attempted' },
  query_timeout: { status: 503, title: 'Query timeout' },
  method_not_allowed: { status: 405, title: 'Method not allowed' },
  gateway_timeout: { status: 504, title: 'Gateway timeout' },
};

/** A problem's `type`: `urn:dbsvc:problem:<kind>`. */
export function problemType(kind: string): string {
  return `urn:dbsvc:problem:${kind}`;
}

export interface ProblemReply {
  readonly problem: Problem;
  readonly headers: Record<string, string>;
}

/** Maps any thrown value to the problem to send. Unknown errors become a 500 that leaks nothing. */
export function toProblem(error: unknown): ProblemReply {
  if (error instanceof DomainError) {
    const { status, title } = BY_CODE[error.code];
    const headers: Record<string, string> = {};
    if (error instanceof UnavailableError || error instanceof RateLimitedError || error instanceof InterruptedError) {
      headers['Retry-After'] = String(Math.max(1, Math.ceil(error.retryAfterSeconds)));
    }
    if (error instanceof QueryTimeoutError) headers['Retry-After'] = '1';
    if (error instanceof UnauthenticatedError) headers['WWW-Authenticate'] = error.challenge;
    if (error instanceof MethodNotAllowedError) headers.Allow = error.allowed.join(', ');
    const errors = 'violations' in error && Array.isArray(error.violations) && error.violations.length ? error.violations : undefined;
    return {
      problem: { type: problemType(error.code.replaceAll('_', '-')), title, status, detail: error.message, ...(errors ? { errors } : {}) },
      headers,
    };
  }
  return {
    problem: { type: problemType('internal'), title: 'Internal error', status: 500, detail: 'the request could not be completed' },
    headers: {},
  };
}

export function problemResponse(error: unknown): Response {
  const { problem, headers } = toProblem(error);
  return new Response(JSON.stringify(problem), {
    status: problem.status,
    headers: { 'Content-Type': PROBLEM_CONTENT_TYPE, ...headers },
  });
}
