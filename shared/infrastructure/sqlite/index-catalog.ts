import { randomInt } from 'node:crypto';
import type { DatabaseSync } from 'node:sqlite';
import type { JsonObject } from '../../domain/document.js';
import { IndexConflictError, InvalidInputError } from '../../domain/errors.js';
import { MAX_INDEXES_PER_COLLECTION, repeatedBy, sameDefinition, type IndexDefinition } from '../../domain/indexes/index-definition.js';
import { toStoredIndex, type IndexEntries, type IndexRow } from './index-entries.js';
import { BOUND_LIMIT, prepare, prepareColumn, type Statement } from './statements.js';
import { atomically } from './transactions.js';

/** Documents indexed per build step: a step holds the write lock for a few milliseconds at most. */
export const BUILD_BATCH = 500;

/**
 * How one creator's build ended: `created` (this creator made the index ready), `existed` (it was ready, or
 * another creator made it ready first), `lost` (it was dropped meanwhile, and maybe created again: this
 * creator's work is gone), `duplicate` (unique, it found two documents with one key at its end, and was dropped).
 */
export type BuildEnd = 'created' | 'existed' | 'lost' | 'duplicate';

/** After a build step: the last document it indexed (null: none was left), or why the build is over. */
export type BuildStep = { readonly last: string | null } | 'existed' | 'lost';

interface DocumentData {
  readonly id: string;
  readonly data: string;
}

/** Build numbers are random, so an index dropped and created again never gets its old one back. */
const newBuild = (): number => randomInt(1, 2 ** 48);

/**
 * Creating, listing and dropping a collection's indexes. An index is created in steps, each its own write
 * transaction, so other writers (in this process or another) go on between them: first its definition (not
 * yet ready: every change from then on keeps its entries, without refusing duplicates), then the existing
 * documents a batch at a time, then, after a unique index checks its entries, it is marked ready: queries use
 * it and changes must respect it.
 *
 * Several creators of one index each index every document, under the build number they began or joined:
 * entries are written once whoever comes first, and a creator never waits for another that may have died
 * (a build a crash stopped half-way is finished by the next creator).
 */
export class IndexCatalog {
  readonly #count: Statement<[string], number>;
  readonly #row: Statement<[string, string], IndexRow>;
  readonly #insert: Statement<[string, string, string, number, number]>;
  readonly #ready: Statement<[string, string]>;
  readonly #deleteDefinition: Statement<[string, string]>;
  readonly #deleteBuild: Statement<[string, string, number]>;
  readonly #deleteEntries: Statement<[string, string]>;
  readonly #sharedKey: Statement<[string, string], number>;
  readonly #documents: Statement<[string, string, number], DocumentData>;
  readonly #atomically: <T>(work: () => T) => T;

  constructor(
    db: DatabaseSync,
    private readonly entries: IndexEntries,
  ) {
    this.#count = prepareColumn(db, 'SELECT count(*) FROM indexes WHERE collection = ?');
    this.#row = prepare(db, 'SELECT name, keys, is_unique, multikey, ready, build FROM indexes WHERE collection = ? AND name = ?');
    this.#insert = prepare(db, 'INSERT INTO indexes (collection, name, keys, is_unique, build) VALUES (?, ?, ?, ?, ?)');
    this.#ready = prepare(db, 'UPDATE indexes SET ready = 1 WHERE collection = ? AND name = ?');
    this.#deleteDefinition = prepare(db, 'DELETE FROM indexes WHERE collection = ? AND name = ?');
    this.#deleteBuild = prepare(db, 'DELETE FROM indexes WHERE collection = ? AND name = ? AND build = ?');
    this.#deleteEntries = prepare(db, 'DELETE FROM index_entries WHERE collection = ? AND name = ?');
    // One pass over the index's entries in key order: a key held by two documents has two entries.
    this.#sharedKey = prepareColumn(db, 'SELECT 1 FROM index_entries WHERE collection = ? AND name = ? GROUP BY key HAVING count(*) > 1 LIMIT 1');
    this.#documents = prepare(db, `SELECT id, data FROM documents WHERE collection = ? AND id > ? ORDER BY id ${BOUND_LIMIT}`);
    this.#atomically = (work) => atomically(db, work);
  }

  /** The indexes queries use: an index being built is not listed until it is ready. */
  list(collection: string): IndexDefinition[] {
    return this.entries
      .indexesOf(collection)
      .filter((index) => index.ready)
      .map((index) => index.definition);
  }

  /**
   * Step one of a create: 'existed' when the same index is ready, else the build number to fill it under (a
   * new definition's, or that of a build under way or stopped half-way). Throws IndexConflictError for another
   * definition under the name, or for the keys and uniqueness of another index.
   */
  begin(collection: string, index: IndexDefinition): number | 'existed' {
    const existing = this.#row.get(collection, index.name);
    if (existing) {
      if (!sameDefinition(toStoredIndex(existing).definition, index)) throw new IndexConflictError(collection, index.name);
      return existing.ready === 1 ? 'existed' : existing.build;
    }
    // Indexes being built count too: MongoDB refuses a second build of one key pattern as it refuses a built one.
    const repeated = repeatedBy(index, this.entries.indexesOf(collection).map((stored) => stored.definition));
    if (repeated) throw new IndexConflictError(collection, index.name, repeated.name);
    if (this.#count.get(collection)! >= MAX_INDEXES_PER_COLLECTION) {
      throw new InvalidInputError(`collection '${collection}' already has ${MAX_INDEXES_PER_COLLECTION} indexes, the most it may have`, [
        { path: 'name', message: `at most ${MAX_INDEXES_PER_COLLECTION} indexes per collection` },
      ]);
    }
    const build = newBuild();
    this.#insert.run(collection, index.name, JSON.stringify(index.keys), index.unique ? 1 : 0, build);
    return build;
  }

  /** Indexes the documents after `afterId` (a batch of them) for `build`, unless that build is over. */
  buildStep(collection: string, name: string, build: number, afterId: string): BuildStep {
    return this.#atomically(() => {
      const row = this.#row.get(collection, name);
      if (row?.build !== build) return 'lost';
      if (row.ready === 1) return 'existed';
      const index = toStoredIndex(row);
      const batch = this.#documents.all(collection, afterId, BUILD_BATCH);
      for (const { id, data } of batch) {
        this.entries.write(this.entries.prepare(collection, id, JSON.parse(data) as JsonObject, [index]), false);
      }
      return { last: batch.at(-1)?.id ?? null };
    });
  }

  /**
   * The last step, once every document is indexed: in one transaction, a unique index whose entries give two
   * documents one key (from the documents before, or from changes during the build) is dropped; any other is
   * marked ready.
   */
  finish(collection: string, name: string, build: number): BuildEnd {
    return this.#atomically(() => {
      const row = this.#row.get(collection, name);
      if (row?.build !== build) return 'lost';
      if (row.ready === 1) return 'existed';
      if (row.is_unique === 1 && this.#sharedKey.get(collection, name) !== undefined) {
        this.#dropNow(collection, name);
        return 'duplicate';
      }
      this.#ready.run(collection, name);
      return 'created';
    });
  }

  /** Drops the index if it is still the one `build` began or joined (a later creation is left alone). */
  abandon(collection: string, name: string, build: number): void {
    this.#atomically(() => {
      if (this.#deleteBuild.run(collection, name, build).changes > 0) this.#deleteEntries.run(collection, name);
    });
  }

  /** Removes the index and its entries, ready or being built; false when there was none. */
  drop(collection: string, name: string): boolean {
    return this.#atomically(() => this.#dropNow(collection, name));
  }

  #dropNow(collection: string, name: string): boolean {
    this.#deleteEntries.run(collection, name);
    return this.#deleteDefinition.run(collection, name).changes > 0;
  }
}
