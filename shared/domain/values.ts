import { InvalidInputError } from './errors.js';

/** docs/api.md "Document": collection `^[A-Za-z][A-Za-z0-9_-]{0,63}$`. */
export const COLLECTION_PATTERN = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
/** docs/api.md "Document": id `^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$`. */
export const DOCUMENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$/;

export function isCollectionName(value: unknown): value is string {
  return typeof value === 'string' && COLLECTION_PATTERN.test(value);
}

export function isDocumentId(value: unknown): value is string {
  return typeof value === 'string' && DOCUMENT_ID_PATTERN.test(value);
}

export function collectionName(value: unknown): string {
  if (!isCollectionName(value)) {
    throw new InvalidInputError(`collection must match ${COLLECTION_PATTERN.source}`, [
      { path: 'collection', message: `must match ${COLLECTION_PATTERN.source}` },
    ]);
  }
  return value;
}

export function documentId(value: unknown): string {
  if (!isDocumentId(value)) {
    throw new InvalidInputError(`id must match ${DOCUMENT_ID_PATTERN.source}`, [
      { path: 'id', message: `must match ${DOCUMENT_ID_PATTERN.source}` },
    ]);
  }
  return value;
}

/** The digits of a version a precondition may name: a positive integer of at most 16 digits. */
const VERSION_PATTERN = /^[1-9][0-9]{0,15}$/;

/**
 * Whether `text` names a version a precondition may hold: a positive integer a JavaScript number holds exactly
 * (at most 2^53 - 1). Past it, `"9007199254740993"` would read as 9007199254740992 and could match that version.
 */
export function isVersionText(text: string): boolean {
  return VERSION_PATTERN.test(text) && Number.isSafeInteger(Number(text));
}

/**
 * A version precondition as sent in `If-Match: "3"` (or gRPC `expected_version`). `*` means "any existing
 * version" and is returned as undefined, like no precondition. Weak tags never match a strong comparison.
 */
export function parseIfMatch(header: string | undefined): number | undefined {
  if (header === undefined) return undefined;
  const value = header.trim();
  if (value === '*') return undefined;
  const match = /^"(.*)"$/.exec(value);
  if (!match || !isVersionText(match[1]!)) {
    throw new InvalidInputError(`If-Match must be a quoted version such as "3"`, [
      { path: 'If-Match', message: 'must be a quoted positive integer version' },
    ]);
  }
  return Number(match[1]);
}

/** `If-None-Match` on a PUT: `*` means create only; absent means no condition; anything else is refused. */
export function parseCreateOnly(header: string | undefined): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  throw new InvalidInputError('If-None-Match on PUT must be *', [{ path: 'If-None-Match', message: 'must be * (create only)' }]);
}

/**
 * If-None-Match on PATCH or DELETE: there it would ask that the document NOT be at a version, which nothing
 * here checks (only If-Match and PUT's create-only `*` are), so it is refused rather than silently ignored.
 */
export function refuseIfNoneMatch(header: string | undefined, method: 'PATCH' | 'DELETE'): void {
  if (header === undefined) return;
  throw new InvalidInputError(`If-None-Match is not supported on ${method}; send If-Match with the version you read`, [
    { path: 'If-None-Match', message: `not supported on ${method}` },
  ]);
}

/** The ETag for a version: the version in quotes. */
export function etagOf(version: number): string {
  return `"${version}"`;
}

/** Whether an If-None-Match header names the given version (a list, weak tags and `*` allowed, RFC 9110). */
export function ifNoneMatchHits(header: string | undefined, version: number): boolean {
  if (header === undefined) return false;
  const value = header.trim();
  if (value === '*') return true;
  const wanted = etagOf(version);
  return value.split(',').some((tag) => tag.trim().replace(/^W\//, '') === wanted);
}

/** Idempotency-Key: 1..255 visible ASCII characters (the header's usual bound). */
const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,255}$/;

export function idempotencyKey(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (!IDEMPOTENCY_KEY_PATTERN.test(value)) {
    throw new InvalidInputError('Idempotency-Key must be 1 to 255 visible ASCII characters', [
      { path: 'Idempotency-Key', message: 'must be 1 to 255 visible ASCII characters' },
    ]);
  }
  return value;
}
