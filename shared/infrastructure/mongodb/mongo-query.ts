import type { Db, Document as MongoDocument, FindOptions } from 'mongodb';
import type { JsonObject } from '../../domain/document.js';
import type { QueryResult, QuerySpec } from '../../domain/ports.js';
import { comparePositions, projectData, sortKeyOf, type SortPosition } from '../../domain/query/index.js';
import { dataPath, toMongoFilter } from './data-paths.js';
import { afterPosition, mongoSort } from './keyset.js';
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
  const conditions = [toMongoFilter(spec.filter), LIVE];
  if (spec.after) conditions.push(afterPosition(spec.sort, spec.after));
  const query = { $and: conditions };
  const options: FindOptions = { sort: mongoSort(spec.sort), batchSize: spec.limit + 1 };
  const projection = serverProjection(spec);
  if (projection) options.projection = projection;
  const want = spec.limit + 1;
  let scan = await scanFrom(db.collection<StoredDocument>(collection).find(query, { ...options, limit: want }), spec);
  if (scan.dropped > 0 && scan.read === want) scan = await scanFrom(db.collection<StoredDocument>(collection).find(query, options), spec);
  const page = scan.hits.slice(0, spec.limit);
  const last = page.at(-1);
  return {
    documents: page.map(({ stored }) => toDocument(collection, stored, dataOf(stored, spec))),
    next: scan.hits.length > spec.limit && last ? last.position : null,
  };
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
