import { DomainError, UnavailableError } from '../../domain/errors.js';

/**
 * SQLite's primary result codes (the low byte of an extended code) that mean "the file cannot serve right now"
 * (locked past the busy timeout, unreadable, disk full, read-only mount) rather than a bug in the request.
 */
const UNAVAILABLE = new Map([
  [5, 'SQLITE_BUSY'],
  [6, 'SQLITE_LOCKED'],
  [7, 'SQLITE_NOMEM'],
  [8, 'SQLITE_READONLY'],
  [10, 'SQLITE_IOERR'],
  [13, 'SQLITE_FULL'],
  [14, 'SQLITE_CANTOPEN'],
  [15, 'SQLITE_PROTOCOL'],
]);
const SQLITE_CONSTRAINT = 19;
/** The extended result code of a PRIMARY KEY constraint failure. */
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555;

/** node:sqlite's errors carry SQLite's extended result code as `errcode`. */
function resultCodeOf(error: unknown): number | undefined {
  const code = (error as { errcode?: unknown } | null)?.errcode;
  return typeof code === 'number' ? code : undefined;
}

/** Node's own system errors (EACCES, ENOSPC, EROFS, ...) carry the failed syscall. */
function isSystemError(error: unknown): error is { code: string } {
  return typeof (error as { syscall?: unknown } | null)?.syscall === 'string';
}

/** SQLITE_BUSY or one of its extended codes: a lock another connection holds. */
export function isBusy(error: unknown): boolean {
  const code = resultCodeOf(error);
  return code !== undefined && (code & 0xff) === 5;
}

/**
 * A transaction that could not begin: another connection held the lock its BEGIN takes (the write lock, for BEGIN
 * IMMEDIATE) past the connection's short busy timeout. Nothing in it ran, so it can be run again as it was. Once
 * the caller has waited long enough it is what the caller gets: the store is unavailable for now.
 */
export class BusyAtBegin extends UnavailableError {
  constructor(cause: unknown) {
    super('SQLite store unavailable (SQLITE_BUSY)', 1, { cause });
  }
}

/** SQLITE_CONSTRAINT or one of its extended codes: the statement broke a constraint, and SQLite undid it. */
export function isConstraintViolation(error: unknown): boolean {
  const code = resultCodeOf(error);
  return code !== undefined && (code & 0xff) === SQLITE_CONSTRAINT;
}

export function isPrimaryKeyViolation(error: unknown): boolean {
  return resultCodeOf(error) === SQLITE_CONSTRAINT_PRIMARYKEY;
}

/** Domain errors pass through; an unreachable file becomes UnavailableError; anything else is a bug. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const resultCode = resultCodeOf(error);
  // System errors come from creating the data directory.
  const reason = resultCode === undefined ? (isSystemError(error) ? error.code : undefined) : UNAVAILABLE.get(resultCode & 0xff);
  return reason === undefined ? error : new UnavailableError(`SQLite store unavailable (${reason})`, 1, { cause: error });
}
