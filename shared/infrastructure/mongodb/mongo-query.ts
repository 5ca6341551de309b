import type { Db, Document as MongoDocument, FindCursor, FindOptions } from 'mongodb';
import type { JsonObject } from '../../domain/document.js';
import { QueryTimeoutError } from '../../domain/errors.js';
import type { CountSpec, QueryResult, QuerySpec } from '../../domain/ports.js';
import { comparePositions, projectData, sortKeyOf, type SortPosition } from '../../domain/query/index.js';
import { dataPath, toMongoFilter } from './data-paths.js';
import { afterPosition, mongoSort } from './keyset.js';
import { isTimeLimitExceeded } from './mongo-errors.js';
import { LIVE, toDocument, type StoredDocument } from './stored-document.js';

interface Hit {
  readonly stored: StoredDocument;
  readonly position: SortPosition;
}

interface Scan {
  readonly hits: Hit[];
  /** Documents the server returned. */
  readonly read: number;
  /** Of those, documents at or before the position (admitted by a widened keyset bound). */
  readonly dropped: number;
}

/**
 * What the server must return for the page: the metadata, and `data` cut to the top-level fields that the
 * projection or the sort reads. The exact projection is then the domain's `projectData`, and the sort key of
 * each document is computed from the same data, so both agree with MongoDB's semantics by construction and
 * never trip MongoDB's path-collision rule.
 */
function serverProjection(spec: QuerySpec): MongoDocument | undefined {
  if (spec.fields === undefined) return undefined;
  const projection: MongoDocument = { version: 1, createdAt: 1, updatedAt: 1 };
  for (const path of [...spec.fields, ...spec.sort.map(([field]) => field)]) {
    projection[dataPath(path.split('.')[0]!)] = 1;
  }
  return projection;
}

/**
 * A page of a query. MongoDB filters (the validated filter, unchanged) and sorts (sort fields, then `_id`);
 * the page starts after the cursor's position by a keyset condition, never by skipping. The condition is
 * exact unless arrays lie on the sort paths, where it admits more; those extras sort before the position,
 * are dropped here, and when they crowd the first batch the scan continues past the server limit.
 */
export async function queryPage(db: Db, collection: string, spec: QuerySpec): Promise<QueryResult> {
  const started = performance.now();
  const conditions = [toMongoFilter(spec.filter), LIVE];
  if (spec.after) conditions.push(afterPosition(spec.sort, spec.after));
  const query = { $and: conditions };
  const options: FindOptions = { sort: mongoSort(spec.sort), batchSize: spec.limit + 1 };
  if (spec.maxTimeMs !== undefined) options.maxTimeMS = spec.maxTimeMs;
  const projection = serverProjection(spec);
  if (projection) options.projection = projection;
  const want = spec.limit + 1;
  const documents = db.collection<StoredDocument>(collection);
  const scan = await timed(spec.maxTimeMs, async () => {
    const first = await scanFrom(documents.find(query, { ...options, limit: want }), spec);
    return first.dropped > 0 && first.read === want ? scanFrom(documents.find(query, options), spec) : first;
  });
  const page = scan.hits.slice(0, spec.limit);
  const last = page.at(-1);
  const explained = spec.explain ? await explain(documents.find(query, { ...options, limit: want })) : undefined;
  return {
    documents: page.map(({ stored }) => toDocument(collection, stored, dataOf(stored, spec))),
    next: scan.hits.length > spec.limit && last ? last.position : null,
    stats: {
      index: explained?.index ?? null,
      keysExamined: explained?.keysExamined ?? 0,
      documentsExamined: explained?.documentsExamined ?? scan.read,
      durationMs: performance.now() - started,
    },
  };
}

/** How many live documents match. */
export async function countMatching(db: Db, collection: string, spec: CountSpec): Promise<number> {
  const filter = { $and: [toMongoFilter(spec.filter), LIVE] };
  return timed(spec.maxTimeMs, () =>
    db.collection<StoredDocument>(collection).countDocuments(filter, spec.maxTimeMs === undefined ? {} : { maxTimeMS: spec.maxTimeMs }),
  );
}

/** Runs `work`, turning the server's "time limit exceeded" into the domain's QueryTimeoutError. */
async function timed<T>(maxTimeMs: number | undefined, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (maxTimeMs !== undefined && isTimeLimitExceeded(error)) throw new QueryTimeoutError(maxTimeMs);
    throw error;
  }
}

interface Explained {
  readonly index: string | null;
  readonly keysExamined: number;
  readonly documentsExamined: number;
}

/** The index of the winning plan and what it read, from MongoDB's own explain (undefined if it says less). */
async function explain(cursor: FindCursor<StoredDocument>): Promise<Explained | undefined> {
  const plan = (await cursor.explain('executionStats')) as {
    queryPlanner?: { winningPlan?: unknown };
    executionStats?: { totalKeysExamined?: number; totalDocsExamined?: number };
  };
  const stats = plan.executionStats;
  if (!stats || typeof stats.totalDocsExamined !== 'number') return undefined;
  return { index: indexNameIn(plan.queryPlanner?.winningPlan), keysExamined: stats.totalKeysExamined ?? 0, documentsExamined: stats.totalDocsExamined };
}

/** The index an IXSCAN stage of a plan tree reads, other than `_id`'s. */
function indexNameIn(stage: unknown): string | null {
  if (typeof stage !== 'object' || stage === null) return null;
  const { indexName, inputStage, queryPlan } = stage as { indexName?: unknown; inputStage?: unknown; queryPlan?: unknown };
  if (typeof indexName === 'string' && indexName !== '_id_') return indexName;
  return indexNameIn(inputStage) ?? indexNameIn(queryPlan);
}

function dataOf(stored: StoredDocument, spec: QuerySpec): JsonObject {
  const data = stored.data ?? {};
  return spec.fields === undefined ? data : projectData(data, spec.fields);
}

async function scanFrom(cursor: AsyncIterable<StoredDocument>, spec: QuerySpec): Promise<Scan> {
  const hits: Hit[] = [];
  let read = 0;
  let dropped = 0;
  for await (const stored of cursor) {
    read++;
    const position = { values: sortKeyOf(stored.data ?? {}, spec.sort), id: stored._id };
    if (spec.after && comparePositions(position, spec.after, spec.sort) <= 0) {
      dropped++;
      continue;
    }
    hits.push({ stored, position });
    if (hits.length > spec.limit) break;
  }
  return { hits, read, dropped };
}
