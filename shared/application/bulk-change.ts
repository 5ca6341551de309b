import { validateData } from '../domain/data-rules.js';
import type { Document } from '../domain/document.js';
import { DocumentNotFoundError, DomainError, InvalidInputError, QueryTimeoutError, UnavailableError, VersionMismatchError } from '../domain/errors.js';
import { documentEvent } from '../domain/events.js';
import { matchesFilter, validateFilter, type Filter, type SortPosition } from '../domain/query/index.js';
import { collectionName } from '../domain/values.js';
import type { UseCaseDeps } from './deps.js';
import { checkSize, transformFor, type Transform } from './update-document.js';

export interface BulkChangeDeps extends UseCaseDeps {
  /** QUERY_MAX_TIME_MS: the whole bulk change (finding and changing) runs within it. */
  readonly queryTimeLimitMs: number;
}

export interface BulkUpdateInput {
  readonly collection: string;
  readonly filter: unknown;
  /** MongoDB update operators. */
  readonly update: unknown;
  /** At most this many documents; undefined: as many as match within the time limit. */
  readonly limit?: number | undefined;
  readonly maxDataBytes?: number | undefined;
}

export interface BulkDeleteInput {
  readonly collection: string;
  readonly filter: unknown;
  readonly limit?: number | undefined;
}

/** Documents per store query while finding candidates. */
const PAGE = 1000;
/** Re-reads of one document that another writer keeps changing under us, as for a single update. */
const MAX_ATTEMPTS = 64;

/**
 * Applies the operators to every matching document, each its own atomic change (its own version and event),
 * conditional on the version read; a document changed meanwhile is re-read and skipped when it no longer
 * matches. As MongoDB's updateMany, the first failing document stops the request (documents changed before
 * it stay changed); `modified` leaves out documents the update left as they were.
 */
export async function bulkUpdate(deps: BulkChangeDeps, input: BulkUpdateInput): Promise<{ matched: number; modified: number }> {
  const collection = collectionName(input.collection);
  const filter = validateFilter(input.filter ?? {});
  const transform = transformFor({ kind: 'operators', update: input.update });
  const limit = validLimit(input.limit);
  let matched = 0;
  let modified = 0;
  let at: string | undefined;
  try {
    for await (const found of candidates(deps, collection, filter, () => (limit ?? Infinity) - matched)) {
      at = found.id;
      const outcome = await updateOne(deps, found, filter, transform, input.maxDataBytes);
      at = undefined;
      if (outcome !== 'gone') matched++;
      if (outcome === 'modified') modified++;
    }
  } catch (error) {
    throw stoppedAt(error, at, modified);
  }
  return { matched, modified };
}

/**
 * The failure that stopped a bulk change, saying where: the document it stopped at, when one was being changed,
 * and how many documents the request changed before, which stay changed. The caller cannot otherwise tell which
 * documents were changed (a 400 of one document's data, a 503 at the time limit or of the store).
 */
function stoppedAt(error: unknown, id: string | undefined, changed: number): unknown {
  if (!(error instanceof DomainError)) return error;
  const where = id === undefined ? `stopped with ${changed} changed: ` : `document '${id}' (${changed} changed before it): `;
  // The message is the problem's detail; the copy keeps the error's class, status, violations and Retry-After.
  // A copy, not the error itself: a store may fail several callers with one error (SQLite fails every operation
  // of a failed batch with the same one), and this request's place must not reach the others' answers.
  const copy = Object.create(Object.getPrototypeOf(error), Object.getOwnPropertyDescriptors(error)) as DomainError;
  copy.message = where + error.message;
  return copy;
}

/** Deletes every matching document at the version read (re-read and re-checked when it changed meanwhile). */
export async function bulkDelete(deps: BulkChangeDeps, input: BulkDeleteInput): Promise<{ deleted: number }> {
  const collection = collectionName(input.collection);
  const filter = validateFilter(input.filter ?? {});
  const limit = validLimit(input.limit);
  let deleted = 0;
  let at: string | undefined;
  try {
    for await (const found of candidates(deps, collection, filter, () => (limit ?? Infinity) - deleted)) {
      at = found.id;
      if (await deleteOne(deps, found, filter)) deleted++;
      at = undefined;
    }
  } catch (error) {
    throw stoppedAt(error, at, deleted);
  }
  return { deleted };
}

/** The request's `limit`, checked before anything is changed. */
function validLimit(limit: number | undefined): number | undefined {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new InvalidInputError('limit must be a positive integer', [{ path: 'limit', message: 'must be a positive integer' }]);
  }
  return limit;
}

/**
 * The matching documents in id order, page by page through `store.query` (so an index serves them when one
 * fits), while `wanted()` (the request's limit less the documents it has changed or matched) is above 0, all
 * within the time limit: past it the request stops with QueryTimeoutError, before the next page is read or the
 * next document changed. A document found that no longer matches when its turn comes (changed or deleted by
 * another writer) is not one of the limit's: the limit counts matched documents, so such a document leaves
 * room for one more.
 */
async function* candidates(deps: BulkChangeDeps, collection: string, filter: Filter, wanted: () => number): AsyncGenerator<Document> {
  const deadline = performance.now() + deps.queryTimeLimitMs;
  let after: SortPosition | undefined;
  while (wanted() > 0) {
    const maxTimeMs = Math.floor(deadline - performance.now());
    if (maxTimeMs < 1) throw new QueryTimeoutError(deps.queryTimeLimitMs);
    const page = await deps.store.query(collection, { filter, sort: [], limit: Math.min(PAGE, wanted()), after, maxTimeMs });
    for (const document of page.documents) {
      if (wanted() <= 0) return;
      // Checked before each document too, not only before each page: changing a page of them can take far
      // longer than the limit (1,000 changes, a third of a second, past a limit of 40 ms).
      if (performance.now() > deadline) throw new QueryTimeoutError(deps.queryTimeLimitMs);
      yield document;
    }
    if (!page.next) return;
    after = page.next;
  }
}

async function updateOne(
  deps: UseCaseDeps,
  found: Document,
  filter: Filter,
  transform: Transform,
  maxDataBytes: number | undefined,
): Promise<'modified' | 'unchanged' | 'gone'> {
  let current: Document | null = found;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (!current || !matchesFilter(filter, current.data)) return 'gone';
    const now = deps.clock.now();
    const data = validateData(transform(current.data, now));
    if (JSON.stringify(data) === JSON.stringify(current.data)) return 'unchanged';
    if (maxDataBytes !== undefined) checkSize(data, maxDataBytes);
    try {
      const updated = await deps.store.replace(current.collection, current.id, { data, expectedVersion: current.version, now });
      deps.events.publish(documentEvent('document.updated', updated, now));
      return 'modified';
    } catch (error) {
      if (!(error instanceof VersionMismatchError || error instanceof DocumentNotFoundError)) throw error;
      current = await deps.store.get(found.collection, found.id);
    }
  }
  throw new UnavailableError(`document '${found.id}' is changing too fast to update; retry`, 1);
}

async function deleteOne(deps: UseCaseDeps, found: Document, filter: Filter): Promise<boolean> {
  let current: Document | null = found;
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (!current || !matchesFilter(filter, current.data)) return false;
    try {
      const deleted = await deps.store.delete(current.collection, current.id, current.version);
      deps.events.publish(documentEvent('document.deleted', deleted, deps.clock.now()));
      return true;
    } catch (error) {
      if (!(error instanceof VersionMismatchError || error instanceof DocumentNotFoundError)) throw error;
      current = await deps.store.get(found.collection, found.id);
    }
  }
  throw new UnavailableError(`document '${found.id}' is changing too fast to delete; retry`, 1);
}
