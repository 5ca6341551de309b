import {
  MongoClientClosedError,
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoOperationTimeoutError,
  MongoServerClosedError,
  MongoServerError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { DomainError, InvalidInputError, UnavailableError } from '../../domain/errors.js';

const DUPLICATE_KEY = 11000;
/** A document with arrays on two paths of one compound index (written, or met by an index build). */
const CANNOT_INDEX_PARALLEL_ARRAYS = 171;

/**
 * Server error codes that mean "this server cannot serve now" (shutting down, stepping down, not primary,
 * unreachable, out of time) rather than "this request is wrong": the driver's own retryable-read set, which
 * it does not export.
 */
const SERVER_UNAVAILABLE_CODES = new Set([
  6, // HostUnreachable
  7, // HostNotFound
  89, // NetworkTimeout
  91, // ShutdownInProgress
  134, // ReadConcernMajorityNotAvailableYet
  189, // PrimarySteppedDown
  262, // ExceededTimeLimit
  9001, // SocketException
  10107, // NotWritablePrimary
  11600, // InterruptedAtShutdown
  11602, // InterruptedDueToReplStateChange
  13435, // NotPrimaryNoSecondaryOk
  13436, // NotPrimaryOrSecondary
]);

/** Node's codes for a connection that is gone or cannot be made. */
const SOCKET_CODES = new Set(['EPIPE', 'ECONNRESET', 'ECONNREFUSED', 'ECONNABORTED', 'ENOTCONN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH']);

/** The driver's errors for "no server reachable": selection timed out, sockets failed, the pool was cleared. */
const UNREACHABLE: ReadonlyArray<abstract new (...args: never[]) => MongoError> = [
  MongoNetworkError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
  MongoNotConnectedError,
  MongoServerClosedError,
  MongoClientClosedError,
  MongoOperationTimeoutError,
];

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === DUPLICATE_KEY;
}

/**
 * For a duplicate-key error, the unique index it names ("... index: by_email dup key: ..."; `_id_` for the
 * id), or '' when the server does not say which (FerretDB). Undefined when the error is not one.
 */
export function duplicateIndexOf(error: unknown): string | undefined {
  // FerretDB v1 answers an update or index build that breaks a unique index with its SQLite backend's error.
  if (error instanceof MongoServerError && /UNIQUE constraint failed/.test(error.message)) return '';
  if (!isDuplicateKey(error)) return undefined;
  const named = /index: ([^\s]+) dup key/.exec((error as Error).message)?.[1];
  if (named) return named;
  const keyPattern = (error as { keyPattern?: Record<string, unknown> }).keyPattern;
  return keyPattern && Object.keys(keyPattern).join() === '_id' ? '_id_' : '';
}

/** The server stopped an operation at its `maxTimeMS`. */
export function isTimeLimitExceeded(error: unknown): boolean {
  return error instanceof MongoServerError && error.code === 50;
}

function isUnavailable(error: unknown): boolean {
  if (UNREACHABLE.some((type) => error instanceof type)) return true;
  if (error instanceof MongoError) {
    return typeof error.code === 'number' && SERVER_UNAVAILABLE_CODES.has(error.code);
  }
  // A socket that dies mid-write can surface unwrapped as Node's own error: a system error (ECONNRESET, with
  // a syscall) or "This socket has been ended by the other party" (EPIPE, without one).
  if (!(error instanceof Error)) return false;
  const { syscall, code } = error as { syscall?: unknown; code?: unknown };
  return typeof syscall === 'string' || (typeof code === 'string' && SOCKET_CODES.has(code));
}

/**
 * Domain errors pass through; data an index cannot hold becomes InvalidInputError (400, as on SQLite); an
 * unreachable or unavailable server becomes UnavailableError; anything else is a bug.
 */
export function toStoreError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (error instanceof MongoServerError && error.code === CANNOT_INDEX_PARALLEL_ARRAYS) {
    // The server names only the arrays' last field names ("cannot index parallel arrays [b] [a]"), not their paths.
    return new InvalidInputError(error.message, [{ path: 'data', message: error.message }]);
  }
  if (isUnavailable(error)) {
    const name = error instanceof Error ? error.name : 'error';
    return new UnavailableError(`MongoDB store unavailable (${name})`, 1, { cause: error });
  }
  return error;
}
