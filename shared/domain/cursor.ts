import type { JsonValue } from './document.js';
import { MAX_DEPTH } from './data-rules.js';
import { InvalidInputError } from './errors.js';
import type { Filter, SortPosition, SortSpec } from './query/index.js';
import { isDocumentId } from './values.js';

/**
 * Opaque cursors: base64url of the position plus a fingerprint of the collection, filter and sort it belongs to,
 * so a cursor replayed against another query is rejected with 400 instead of returning a wrong page.
 *
 * Wire form: base64url (no padding) of the UTF-8 JSON `{"v": [sort key values], "i": "<last id>",
 * "f": "<fingerprint>"}`. The fingerprint is FNV-1a (32 bit, 8 hex digits) of the JSON of `{collection, filter, sort}`
 * with the filter's key order kept: key order is part of a filter's meaning (object literals compare in
 * order, as in BSON), and the same request always serialises the same way.
 */

/** Longest cursor accepted (and produced). Sort keys are values from data, so this is generous. */
export const MAX_CURSOR_LENGTH = 65_536;

const CURSOR_PATTERN = /^[A-Za-z0-9_-]+$/;
/** Sort key values are data values: at most data's depth, plus the array of values around them. */
const MAX_VALUE_DEPTH = MAX_DEPTH + 1;

function invalid(message: string): never {
  throw new InvalidInputError(`cursor: ${message}`, [{ path: 'cursor', message }]);
}

const encoder = new TextEncoder();
const utf8 = new TextDecoder('utf-8', { fatal: true });
/** A character outside ASCII. Text without one is its own UTF-8, a byte per character, and needs no encoding. */
const NON_ASCII = /[^\x00-\x7f]/;

/** FNV-1a, 32 bit, over the UTF-8 bytes of `text`, as 8 lowercase hex digits. */
export function fnv1a32(text: string): string {
  const bytes = NON_ASCII.test(text) ? encoder.encode(text) : undefined;
  const length = bytes ? bytes.length : text.length;
  let hash = 0x811c9dc5;
  for (let i = 0; i < length; i++) {
    hash ^= bytes ? bytes[i]! : text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/** The fingerprint that ties a cursor to one collection, filter and sort. */
export function queryFingerprint(collection: string, filter: Filter, sort: SortSpec): string {
  return fnv1a32(JSON.stringify({ collection, filter, sort }));
}

/** base64url of the UTF-8 bytes of `text`, without padding. */
function toBase64Url(text: string): string {
  // btoa reads each character as one byte: ASCII text as it is, any other as its UTF-8 bytes.
  let binary = text;
  if (NON_ASCII.test(text)) {
    const bytes = encoder.encode(text);
    binary = '';
    for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  }
  const base64 = btoa(binary);
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return base64.slice(0, base64.length - padding).replaceAll('+', '-').replaceAll('/', '_');
}

/** The text whose UTF-8 bytes `text` holds in base64url; throws when they are not UTF-8. */
function fromBase64Url(text: string): string {
  const binary = atob(text.replaceAll('-', '+').replaceAll('_', '/'));
  // Bytes that are all ASCII are their own UTF-8 text.
  if (!NON_ASCII.test(binary)) return binary;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return utf8.decode(bytes);
}

function withinDepth(value: unknown, depth: number): boolean {
  if (typeof value !== 'object' || value === null) return true;
  if (depth > MAX_VALUE_DEPTH) return false;
  const members = Array.isArray(value) ? value : Object.values(value);
  for (const member of members) if (!withinDepth(member, depth + 1)) return false;
  return true;
}

/**
 * The cursor for resuming after `position`. Throws InvalidInputError (path `sort`) in the pathological case
 * of a sort key too large to carry in a cursor (a sort field holding tens of kilobytes).
 */
export function encodeCursor(position: SortPosition, collection: string, filter: Filter, sort: SortSpec): string {
  const cursor = toBase64Url(JSON.stringify({ v: position.values, i: position.id, f: queryFingerprint(collection, filter, sort) }));
  if (cursor.length > MAX_CURSOR_LENGTH) {
    throw new InvalidInputError('sort: the sort key of this page is too large to page through', [
      { path: 'sort', message: 'the sort key of this page is too large for a cursor; sort on a smaller field' },
    ]);
  }
  return cursor;
}

/** Throws InvalidInputError (path `cursor`) when malformed or issued for another collection, filter or sort. */
export function decodeCursor(cursor: string, collection: string, filter: Filter, sort: SortSpec): SortPosition {
  if (typeof cursor !== 'string' || cursor.length === 0) invalid('must be a non-empty string');
  if (cursor.length > MAX_CURSOR_LENGTH) invalid(`must be at most ${MAX_CURSOR_LENGTH} characters`);
  if (!CURSOR_PATTERN.test(cursor)) invalid('is not a cursor returned by this service');
  let decoded: unknown;
  try {
    decoded = JSON.parse(fromBase64Url(cursor));
  } catch {
    return invalid('is not a cursor returned by this service');
  }
  if (typeof decoded !== 'object' || decoded === null || Array.isArray(decoded)) {
    invalid('is not a cursor returned by this service');
  }
  const { v: values, i: id, f: fingerprint } = decoded as { v?: unknown; i?: unknown; f?: unknown };
  if (
    Object.keys(decoded).length !== 3 ||
    !Array.isArray(values) ||
    typeof id !== 'string' ||
    typeof fingerprint !== 'string'
  ) {
    invalid('is not a cursor returned by this service');
  }
  if (fingerprint !== queryFingerprint(collection, filter, sort)) invalid('cursor belongs to a different query');
  if (values.length !== sort.length || !isDocumentId(id) || !withinDepth(values, 1)) {
    invalid('is not a cursor returned by this service');
  }
  return { values: values as JsonValue[], id };
}
