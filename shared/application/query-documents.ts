import { decodeCursor, encodeCursor } from '../domain/cursor.js';
import type { Document } from '../domain/document.js';
import { InvalidInputError } from '../domain/errors.js';
import { DEFAULT_LIMIT, MAX_LIMIT, validateFields, validateFilter, validateSort } from '../domain/query/index.js';
import { collectionName } from '../domain/values.js';
import type { UseCaseDeps } from './deps.js';

export interface QueryDocumentsInput {
  readonly collection: string;
  readonly filter?: unknown;
  readonly sort?: unknown;
  readonly limit?: unknown;
  readonly cursor?: unknown;
  readonly fields?: unknown;
}

export interface QueryDocumentsOutput {
  readonly documents: Document[];
  readonly nextCursor: string | null;
}

export async function queryDocuments(deps: Pick<UseCaseDeps, 'store'>, input: QueryDocumentsInput): Promise<QueryDocumentsOutput> {
  const collection = collectionName(input.collection);
  const filter = validateFilter(input.filter ?? {});
  const sort = validateSort(input.sort ?? {});
  const limit = queryLimit(input.limit);
  const fields = validateFields(input.fields);
  if (input.cursor !== undefined && input.cursor !== null && typeof input.cursor !== 'string') {
    throw new InvalidInputError('cursor must be a string', [{ path: 'cursor', message: 'must be a string' }]);
  }
  const after = input.cursor ? decodeCursor(input.cursor, filter, sort) : undefined;
  const page = await deps.store.query(collection, { filter, sort, limit, after, fields });
  return {
    documents: page.documents,
    nextCursor: page.next ? encodeCursor(page.next, filter, sort) : null,
  };
}

function queryLimit(raw: unknown): number {
  if (raw === undefined || raw === null) return DEFAULT_LIMIT;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > MAX_LIMIT) {
    throw new InvalidInputError(`limit must be an integer from 1 to ${MAX_LIMIT}`, [
      { path: 'limit', message: `must be an integer from 1 to ${MAX_LIMIT}` },
    ]);
  }
  return raw;
}
