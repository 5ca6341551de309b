import type { DatabaseSync } from 'node:sqlite';
import type { JsonObject } from '../../domain/document.js';
import { IndexConflictError, IndexNotFoundError, InvalidInputError } from '../../domain/errors.js';
import { MAX_INDEXES_PER_COLLECTION, sameDefinition, type IndexDefinition } from '../../domain/indexes/index-definition.js';
import type { IndexEntries, StoredIndex } from './index-entries.js';
import { BOUND_LIMIT, prepare, prepareColumn, type Statement } from './statements.js';
import { atomically } from './transactions.js';

/** Documents indexed per build step: a step holds the write lock for a few milliseconds at most. */
export const BUILD_BATCH = 500;

interface DocumentData {
  readonly id: string;
  readonly data: string;
}

/**
 * Creating, listing and dropping a collection's indexes. An index is created in steps, each its own write
 * transaction, so other writers (in this process or another) go on between them: first its definition (not
 * yet ready: every change from then on keeps its entries), then the existing documents a batch at a time,
 * then it is marked ready and queries start to use it.
 */
export class IndexCatalog {
  readonly #count: Statement<[string], number>;
  readonly #insert: Statement<[string, string, string, number]>;
  readonly #ready: Statement<[string, string]>;
  readonly #deleteDefinition: Statement<[string, string]>;
  readonly #deleteEntries: Statement<[string, string]>;
  readonly #documents: Statement<[string, string, number], DocumentData>;
  readonly #atomically: <T>(work: () => T) => T;

  constructor(
    db: DatabaseSync,
    private readonly entries: IndexEntries,
  ) {
    this.#count = prepareColumn(db, 'SELECT count(*) FROM indexes WHERE collection = ?');
    this.#insert = prepare(db, 'INSERT INTO indexes (collection, name, keys, is_unique) VALUES (?, ?, ?, ?)');
    this.#ready = prepare(db, 'UPDATE indexes SET ready = 1 WHERE collection = ? AND name = ?');
    this.#deleteDefinition = prepare(db, 'DELETE FROM indexes WHERE collection = ? AND name = ?');
    this.#deleteEntries = prepare(db, 'DELETE FROM index_entries WHERE collection = ? AND name = ?');
    this.#documents = prepare(db, `SELECT id, data FROM documents WHERE collection = ? AND id > ? ORDER BY id ${BOUND_LIMIT}`);
    this.#atomically = (work) => atomically(db, work);
  }

  list(collection: string): IndexDefinition[] {
    return this.entries.indexesOf(collection).map((index) => index.definition);
  }

  /**
   * Step one of a create: 'exists' when the same index is built, 'build' when its entries must be (built now,
   * or a build that stopped half-way). Throws IndexConflictError for another definition under the name.
   */
  begin(collection: string, index: IndexDefinition): 'exists' | 'build' {
    const existing = this.#find(collection, index.name);
    if (existing) {
      if (!sameDefinition(existing.definition, index)) throw new IndexConflictError(collection, index.name);
      return existing.ready ? 'exists' : 'build';
    }
    if (this.#count.get(collection)! >= MAX_INDEXES_PER_COLLECTION) {
      throw new InvalidInputError(`collection '${collection}' already has ${MAX_INDEXES_PER_COLLECTION} indexes, the most it may have`, [
        { path: 'name', message: `at most ${MAX_INDEXES_PER_COLLECTION} indexes per collection` },
      ]);
    }
    this.#insert.run(collection, index.name, JSON.stringify(index.keys), index.unique ? 1 : 0);
    return 'build';
  }

  /**
   * Indexes the documents after `afterId` (a batch of them); returns the last id indexed, or null when none
   * was left. Throws DuplicateKeyError when a unique index meets a key another document holds.
   */
  buildStep(collection: string, name: string, afterId: string): string | null {
    return this.#atomically(() => {
      const index = this.#find(collection, name);
      if (!index) throw new IndexNotFoundError(collection, name);
      const batch = this.#documents.all(collection, afterId, BUILD_BATCH);
      for (const { id, data } of batch) {
        this.entries.write(this.entries.prepare(collection, id, JSON.parse(data) as JsonObject, [index]), false);
      }
      return batch.at(-1)?.id ?? null;
    });
  }

  finish(collection: string, name: string): void {
    this.#ready.run(collection, name);
  }

  /** Removes the index and its entries; false when there was none. */
  drop(collection: string, name: string): boolean {
    return this.#atomically(() => {
      this.#deleteEntries.run(collection, name);
      return this.#deleteDefinition.run(collection, name).changes > 0;
    });
  }

  #find(collection: string, name: string): StoredIndex | undefined {
    return this.entries.indexesOf(collection).find((index) => index.definition.name === name);
  }
}
