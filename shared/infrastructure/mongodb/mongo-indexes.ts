import { MongoServerError, type Db, type Document, type IndexDescription } from 'mongodb';
import { DuplicateKeyError, IndexConflictError, IndexNotFoundError, InvalidInputError } from '../../domain/errors.js';
import { buildsInterrupted, MAX_BUILD_ATTEMPTS, MAX_INDEXES_PER_COLLECTION, repeatedBy, sameDefinition, type IndexDefinition } from '../../domain/indexes/index-definition.js';
import type { SortDirection } from '../../domain/query/index.js';
import { dataPath } from './data-paths.js';
import { duplicateIndexOf } from './mongo-errors.js';
import { LIVE } from './stored-document.js';

const NAMESPACE_NOT_FOUND = 26;
const INDEX_NOT_FOUND = 27;
/** A build stopped before it ended: MongoDB aborts the build of an index that is dropped meanwhile. */
const INDEX_BUILD_ABORTED = 276;

/** The index MongoDB keeps on `_id` for every collection; not one of the API's indexes. */
const ID_INDEX = '_id_';

/** A MongoDB index of the collection as the API shows it, or undefined for one the API did not create. */
function toDefinition(description: IndexDescription & { name?: string }): IndexDefinition | undefined {
  const { name, key, unique } = description;
  if (!name || name === ID_INDEX) return undefined;
  const keys: Array<readonly [string, SortDirection]> = [];
  for (const [path, direction] of Object.entries(key)) {
    if (!path.startsWith('data.') || (direction !== 1 && direction !== -1)) return undefined;
    keys.push([path.slice('data.'.length), direction]);
  }
  return { name, keys, unique: unique === true };
}

/**
 * Secondary indexes as MongoDB indexes on the `data.` paths, with the API's names. Each leaves tombstones out
 * (a partial index on `data` existing, which every query states), so a unique index holds only live documents.
 */
export class MongoIndexes {
  constructor(private readonly db: Db) {}

  async list(collection: string): Promise<IndexDefinition[]> {
    try {
      const descriptions = await this.db.collection(collection).listIndexes().toArray();
      return descriptions.map((d) => toDefinition(d as IndexDescription & { name?: string })).filter((d) => d !== undefined);
    } catch (error) {
      if (error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND) return [];
      throw error;
    }
  }

  /**
   * True when created now, false when the same index exists. Of concurrent creators of one index, MongoDB
   * builds it once and the others wait for that build: one answers created, the others find it existing (or
   * all meet the same duplicate). A build aborted by a drop of its index starts over, after the drop.
   */
  async create(collection: string, index: IndexDefinition): Promise<boolean> {
    const existing = await this.list(collection);
    const same = existing.find((d) => d.name === index.name);
    if (same) {
      if (sameDefinition(same, index)) return false;
      throw new IndexConflictError(collection, index.name);
    }
    // MongoDB refuses it too (IndexOptionsConflict), but without naming the index it would repeat.
    const repeated = repeatedBy(index, existing);
    if (repeated) throw new IndexConflictError(collection, index.name, repeated.name);
    if (existing.length >= MAX_INDEXES_PER_COLLECTION) {
      throw new InvalidInputError(`collection '${collection}' already has ${MAX_INDEXES_PER_COLLECTION} indexes, the most it may have`, [
        { path: 'name', message: `at most ${MAX_INDEXES_PER_COLLECTION} indexes per collection` },
      ]);
    }
    const key = Object.fromEntries(index.keys.map(([path, direction]) => [dataPath(path), direction]));
    for (let attempt = 0; attempt < MAX_BUILD_ATTEMPTS; attempt++) {
      try {
        return await this.#createIndex(collection, key, index);
      } catch (error) {
        if (error instanceof MongoServerError && error.code === INDEX_BUILD_ABORTED) continue;
        if (duplicateIndexOf(error) !== undefined) throw new DuplicateKeyError(collection, index.name);
        // Another request created an index under this name meanwhile.
        if (error instanceof MongoServerError && (error.code === 85 || error.code === 86)) throw new IndexConflictError(collection, index.name);
        throw error;
      }
    }
    throw buildsInterrupted(collection, index.name);
  }

  /**
   * With the partial filter that leaves tombstones out; a server without partial indexes (FerretDB v1) gets
   * the index without it, where tombstones still take no key: its unique indexes count no missing field at
   * all (docs/mongodb.md). The createIndexes command rather than the driver's helper, for its counts: an index
   * that exists (or was being built by another request, which MongoDB waits for) leaves as many indexes after
   * the command as before.
   */
  async #createIndex(collection: string, key: Record<string, SortDirection>, index: IndexDefinition): Promise<boolean> {
    const spec = { key, name: index.name, unique: index.unique };
    const create = (indexSpec: object) => this.db.command({ createIndexes: collection, indexes: [indexSpec] });
    let result: Document;
    try {
      result = await create({ ...spec, partialFilterExpression: LIVE });
    } catch (error) {
      if (!(error instanceof MongoServerError && /partialFilterExpression.*not implemented/i.test(error.message))) throw error;
      result = await create(spec);
    }
    return Number(result['numIndexesAfter']) > Number(result['numIndexesBefore']);
  }

  async drop(collection: string, name: string): Promise<void> {
    try {
      await this.db.collection(collection).dropIndex(name);
    } catch (error) {
      if (error instanceof MongoServerError && (error.code === INDEX_NOT_FOUND || error.code === NAMESPACE_NOT_FOUND)) {
        throw new IndexNotFoundError(collection, name);
      }
      throw error;
    }
  }
}
