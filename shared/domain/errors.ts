/**
 * Typed failures of the domain. Every layer throws these; `runtime/http/problem.ts` is the one place that maps
 * them to HTTP statuses (and the sidecar maps those to gRPC codes). `code` is stable and machine-readable.
 */
export type DomainErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'already_exists'
  | 'version_mismatch'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'duplicate_key'
  | 'query_timeout'
  | 'not_attempted'
  | 'method_not_allowed'
  | 'gateway_timeout';

export abstract class DomainError extends Error {
  abstract readonly code: DomainErrorCode;
  /** Spelled out by each class: bundles are minified, and a class's own name (`constructor.name`) does not survive that. */
  abstract override readonly name: string;
}

/** A violation found in one part of the input, named by its path (e.g. `data.a.$b`, `filter.$where`). */
export interface Violation {
  readonly path: string;
  readonly message: string;
}

export class InvalidInputError extends DomainError {
  override readonly name = 'InvalidInputError';
  readonly code = 'invalid_input';
  constructor(
    message: string,
    readonly violations: readonly Violation[] = [],
  ) {
    super(message);
  }
}

export class UnauthenticatedError extends DomainError {
  override readonly name = 'UnauthenticatedError';
  readonly code = 'unauthenticated';
  /** The `WWW-Authenticate` challenge that tells the client which credentials to send. */
  constructor(
    message: string,
    readonly challenge = 'Bearer realm="dbsvc"',
  ) {
    super(message);
  }
}

export class ForbiddenError extends DomainError {
  override readonly name = 'ForbiddenError';
  readonly code = 'forbidden';
}

export class DocumentNotFoundError extends DomainError {
  override readonly name = 'DocumentNotFoundError';
  readonly code = 'not_found';
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`document '${id}' does not exist in collection '${collection}'`);
  }
}

export class DocumentAlreadyExistsError extends DomainError {
  override readonly name = 'DocumentAlreadyExistsError';
  readonly code = 'already_exists';
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`document '${id}' already exists in collection '${collection}'`);
  }
}

/**
 * An Idempotency-Key seen before with a different request body: the retry is not a retry. It names the header
 * as its violation, so the problem's `errors` say which input is at fault (the gRPC sidecar names its field).
 */
export class IdempotencyKeyReusedError extends DomainError {
  override readonly name = 'IdempotencyKeyReusedError';
  readonly code = 'already_exists';
  readonly violations: readonly Violation[] = [{ path: 'Idempotency-Key', message: 'was already used with a different request' }];
  constructor(readonly key: string) {
    super(`Idempotency-Key '${key}' was already used with a different request`);
  }
}

export class VersionMismatchError extends DomainError {
  override readonly name = 'VersionMismatchError';
  readonly code = 'version_mismatch';
  constructor(
    readonly collection: string,
    readonly id: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`document '${id}' is at version ${actual}, not ${expected}`);
  }
}

/** `If-None-Match: *` (create only) on a document that exists: a failed precondition like a stale If-Match. */
export class DocumentExistsPreconditionError extends DomainError {
  override readonly name = 'DocumentExistsPreconditionError';
  readonly code = 'version_mismatch';
  constructor(
    readonly collection: string,
    readonly id: string,
  ) {
    super(`document '${id}' already exists in collection '${collection}' (If-None-Match: *)`);
  }
}

export class PayloadTooLargeError extends DomainError {
  override readonly name = 'PayloadTooLargeError';
  readonly code = 'payload_too_large';
}

export class UnsupportedMediaTypeError extends DomainError {
  override readonly name = 'UnsupportedMediaTypeError';
  readonly code = 'unsupported_media_type';
}

export class RateLimitedError extends DomainError {
  override readonly name = 'RateLimitedError';
  readonly code = 'rate_limited';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

/** A dependency (store, cache, downstream function) cannot serve now; the caller may retry later. */
export class UnavailableError extends DomainError {
  override readonly name = 'UnavailableError';
  readonly code = 'unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * A call that concurrent changes got in the way of (an index dropped while it was being built or read): 503 with
 * Retry-After like UnavailableError, as the same call made again may well succeed, but nothing is wrong with the
 * store, so no circuit breaker counts it and no retry policy repeats it.
 */
export class InterruptedError extends DomainError {
  override readonly name = 'InterruptedError';
  readonly code = 'unavailable';
  constructor(
    message: string,
    readonly retryAfterSeconds = 1,
  ) {
    super(message);
  }
}

/** A change (or a new unique index) would give two documents the same key in a unique index. */
export class DuplicateKeyError extends DomainError {
  override readonly name = 'DuplicateKeyError';
  readonly code = 'duplicate_key';
  /** `holder`: the document that holds the key, when known. */
  constructor(
    readonly collection: string,
    readonly index: string,
    readonly holder?: string,
  ) {
    super(
      holder === undefined
        ? `documents of collection '${collection}' share a key of unique index '${index}'`
        : `unique index '${index}' of collection '${collection}' already holds this key (document '${holder}')`,
    );
  }
}

export class IndexNotFoundError extends DomainError {
  override readonly name = 'IndexNotFoundError';
  readonly code = 'not_found';
  constructor(
    readonly collection: string,
    readonly index: string,
  ) {
    super(`index '${index}' does not exist in collection '${collection}'`);
  }
}

/** The name is taken by an index with another definition. */
export class IndexConflictError extends DomainError {
  override readonly name = 'IndexConflictError';
  readonly code = 'already_exists';
  /** `sameKeysAs`: the other index the new one would repeat (its keys and uniqueness), when that is the conflict. */
  constructor(
    readonly collection: string,
    readonly index: string,
    sameKeysAs?: string,
  ) {
    super(
      sameKeysAs === undefined
        ? `index '${index}' of collection '${collection}' exists with another definition`
        : `index '${index}' of collection '${collection}' would repeat index '${sameKeysAs}': same keys, same uniqueness`,
    );
  }
}

/** A query ran past its time limit (`maxTimeMs`) and was stopped; nothing was returned. */
export class QueryTimeoutError extends DomainError {
  override readonly name = 'QueryTimeoutError';
  readonly code = 'query_timeout';
  constructor(readonly maxTimeMs: number) {
    super(`the query ran past its time limit of ${maxTimeMs} ms and was stopped`);
  }
}

/** A bulk item after an earlier failure of an `ordered` bulk request: it was never tried. */
export class NotAttemptedError extends DomainError {
  override readonly name = 'NotAttemptedError';
  readonly code = 'not_attempted';
  constructor(readonly failedIndex: number) {
    super(`not attempted: item ${failedIndex} failed and the request is ordered`);
  }
}

/**
 * A `test` operation found a different value, or none, at its path: the patch's precondition does not hold,
 * so nothing was changed. Its code maps to 412 Precondition Failed, like a version mismatch (If-Match): both
 * say "the document is not in the state you expected". The message names the operation and its path; it
 * does not echo the value found.
 */
export class JsonPatchTestFailedError extends DomainError {
  override readonly name = 'JsonPatchTestFailedError';
  readonly code = 'version_mismatch';
  constructor(
    /** The position of the failed `test` in the patch. */
    readonly index: number,
    /** Its JSON Pointer. */
    readonly path: string,
    found: boolean,
  ) {
    const why = found ? `the value at '${path}' differs from the tested value` : `there is no value at '${path}'`;
    super(`patch[${index}]: test failed: ${why}`);
  }
}
