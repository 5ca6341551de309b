import type { SortPosition, SortSpec } from './query.js';
import type { Filter } from './query.js';

/**
 * Opaque cursors: base64url of the position plus a fingerprint of the filter and sort it belongs to, so a
 * cursor replayed against another query is rejected with 400 instead of returning a wrong page.
 */
export function encodeCursor(position: SortPosition, filter: Filter, sort: SortSpec): string {
  throw new Error('not implemented');
}

/** Throws InvalidInputError (path `cursor`) when malformed or issued for a different filter/sort. */
export function decodeCursor(cursor: string, filter: Filter, sort: SortSpec): SortPosition {
  throw new Error('not implemented');
}
