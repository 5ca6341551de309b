import { DomainError, UnavailableError } from '../../domain/errors.js';

/**
 * SQLite result codes that mean "the file cannot serve right now" (locked past the busy timeout, unreadable,
 * disk full, read-only mount) rather than a bug in the request. Extended codes share the primary prefix.
 */
const UNAVAILABLE = /^SQLITE_(BUSY|LOCKED|CANTOPEN|IOERR|FULL|READONLY|PROTOCOL|NOMEM)/;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** Node's own system errors (EACCES, ENOSPC, EROFS, ...) carry the failed syscall. */
function isSystemError(error: unknown): boolean {
  return typeof (error as { syscall?: unknown } | null)?.syscall === 'string';
}

export function isPrimaryKeyViolation(error: unknown): boolean {
  return codeOf(error) === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Domain errors pass through; an unreachable file becomes UnavailableError; anything else is a bug. */
export function toStoreError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  const code = codeOf(error);
  // System errors come from creating the data directory.
  if (code !== undefined && (UNAVAILABLE.test(code) || isSystemError(error))) {
    return new UnavailableError(`SQLite store unavailable (${code})`, 1, { cause: error });
  }
  return error;
}
