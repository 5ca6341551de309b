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
  /** true: answer with the plan (the index used, what was read) instead of the documents. */
  readonly explain?: unknown;
  readonly maxTimeMs?: unknown;
}

/** What queries and counts need: the store, and how long they may run (QUERY_MAX_TIME_MS: the default and the most a caller may ask for). */
export interface QueryDeps extends Pick<UseCaseDeps, 'store'> {
  readonly queryTimeLimitMs: number;
}

export interface QueryDocumentsOutput {
  readonly documents: Document[];
  readonly nextCursor: string | null;
}

export interface QueryPlanOutput {
  readonly plan: {
    readonly index: string | null;
    readonly keysExamined: number;
    readonly documentsExamined: number;
    readonly returned: number;
    readonly durationMs: number;
  };
}

export async function queryDocuments(deps: QueryDeps, input: QueryDocumentsInput): Promise<QueryDocumentsOutput | QueryPlanOutput> {
  const collection = collectionName(input.collection);
  const filter = validateFilter(input.filter ?? {});
  const sort = validateSort(input.sort ?? {});
  const pageSize = queryLimit(input.limit);
  const fields = validateFields(input.fields);
  const maxTimeMs = timeLimit(input.maxTimeMs, deps.queryTimeLimitMs);
  if (input.explain !== undefined && input.explain !== null && typeof input.explain !== 'boolean') {
    throw new InvalidInputError('explain must be a boolean', [{ path: 'explain', message: 'must be a boolean' }]);
  }
  if (input.cursor !== undefined && input.cursor !== null && typeof input.cursor !== 'string') {
    throw new InvalidInputError('cursor must be a string', [{ path: 'cursor', message: 'must be a string' }]);
  }
  const after = input.cursor ? decodeCursor(input.cursor, collection, filter, sort) : undefined;
  const explain = input.explain === true;
  const page = await deps.store.query(collection, { filter, sort, limit: pageSize, after, fields, maxTimeMs, explain });
  if (explain) {
    const { index, keysExamined, documentsExamined, durationMs } = page.stats;
    return { plan: { index, keysExamined, documentsExamined, returned: page.documents.length, durationMs: Math.round(durationMs * 1000) / 1000 } };
  }
  return {
    documents: page.documents,
    nextCursor: page.next ? encodeCursor(page.next, collection, filter, sort) : null,
  };
}

export interface CountDocumentsInput {
  readonly collection: string;
  readonly filter?: unknown;
  readonly maxTimeMs?: unknown;
}

export async function countDocuments(deps: QueryDeps, input: CountDocumentsInput): Promise<{ count: number }> {
  const collection = collectionName(input.collection);
  const filter = validateFilter(input.filter ?? {});
  const maxTimeMs = timeLimit(input.maxTimeMs, deps.queryTimeLimitMs);
  return { count: await deps.store.count(collection, { filter, maxTimeMs }) };
}

/** `maxTimeMs` from the caller (1 up to the configured most), or the configured default. */
function timeLimit(raw: unknown, mostMs: number): number {
  if (raw === undefined || raw === null) return mostMs;
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > mostMs) {
    throw new InvalidInputError(`maxTimeMs must be an integer from 1 to ${mostMs}`, [
      { path: 'maxTimeMs', message: `must be an integer from 1 to ${mostMs}` },
    ]);
  }
  return raw;
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
