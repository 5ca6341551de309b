import type { DatabaseSync } from 'node:sqlite';
import type { JsonObject } from '../../domain/document.js';
import { DuplicateKeyError } from '../../domain/errors.js';
import type { IndexDefinition } from '../../domain/indexes/index-definition.js';
import { indexKeysOf } from '../../domain/indexes/index-keys.js';
import type { IndexState } from '../../domain/indexes/query-planner.js';
import { prepare, prepareColumn, type Statement } from './statements.js';

/**
 * An index as stored: its definition, whether it is multikey, whether it is built (queries may use it), and
 * which creation of it this is (schema.ts): a query reading it over several steps checks it is still the one.
 */
export interface StoredIndex extends IndexState {
  readonly ready: boolean;
  readonly build: number;
}

export interface IndexRow {
  readonly name: string;
  readonly keys: string;
  readonly is_unique: number;
  readonly multikey: number;
  readonly ready: number;
  readonly build: number;
}

/** A document's keys in each index of its collection, computed and checked before anything is written. */
export interface PreparedEntries {
  readonly collection: string;
  readonly id: string;
  readonly entries: ReadonlyArray<{ readonly index: StoredIndex; readonly keys: Uint8Array[]; readonly multikey: boolean }>;
}

export function toStoredIndex(row: IndexRow): StoredIndex {
  const definition: IndexDefinition = { name: row.name, keys: JSON.parse(row.keys) as IndexDefinition['keys'], unique: row.is_unique === 1 };
  return { definition, multikey: row.multikey === 1, ready: row.ready === 1, build: row.build };
}

/**
 * The entries of secondary indexes, kept in the same transaction as the documents they index. Every change
 * first computes the document's keys and checks its ready unique indexes (throwing before anything is
 * written), then writes the document, then its entries. Deleting a document deletes its entries (a trigger).
 */
export class IndexEntries {
  readonly #select: Statement<[string], IndexRow>;
  readonly #insert: Statement<[string, string, Uint8Array, string]>;
  readonly #deleteOf: Statement<[string, string]>;
  readonly #holder: Statement<[string, string, Uint8Array, string], string>;
  readonly #markMultikey: Statement<[string, string]>;
  /** Parsed definitions by their stored text: the same few rows are read on every change. */
  readonly #parsed = new Map<string, StoredIndex>();

  constructor(db: DatabaseSync) {
    this.#select = prepare(db, 'SELECT name, keys, is_unique, multikey, ready, build FROM indexes WHERE collection = ? ORDER BY name');
    this.#insert = prepare(db, 'INSERT OR IGNORE INTO index_entries (collection, name, key, id) VALUES (?, ?, ?, ?)');
    this.#deleteOf = prepare(db, 'DELETE FROM index_entries WHERE collection = ? AND id = ?');
    this.#holder = prepareColumn(db, 'SELECT id FROM index_entries WHERE collection = ? AND name = ? AND key = ? AND id <> ? LIMIT 1');
    this.#markMultikey = prepare(db, 'UPDATE indexes SET multikey = 1 WHERE collection = ? AND name = ?');
  }

  /** The collection's indexes, built or being built. */
  indexesOf(collection: string): StoredIndex[] {
    return this.#select.all(collection).map((row) => {
      const text = `${row.name}\u0000${row.keys}\u0000${row.is_unique}${row.multikey}${row.ready}\u0000${row.build}`;
      let stored = this.#parsed.get(text);
      if (!stored) {
        if (this.#parsed.size > 1024) this.#parsed.clear();
        stored = toStoredIndex(row);
        this.#parsed.set(text, stored);
      }
      return stored;
    });
  }

  /**
   * The keys of `data` in each of `indexes`; throws InvalidInputError (keys it cannot have) or DuplicateKeyError
   * (a key another document holds in a ready unique index). Writes nothing. As in MongoDB, a unique index being
   * built refuses nothing: its build checks its entries when it ends (IndexCatalog.finish).
   */
  prepare(collection: string, id: string, data: JsonObject, indexes: readonly StoredIndex[]): PreparedEntries {
    const entries = indexes.map((index) => {
      const { keys, multikey } = indexKeysOf(data, index.definition);
      if (index.definition.unique && index.ready) {
        for (const key of keys) {
          const holder = this.#holder.get(collection, index.definition.name, key, id);
          if (holder !== undefined) throw new DuplicateKeyError(collection, index.definition.name, holder);
        }
      }
      return { index, keys, multikey };
    });
    return { collection, id, entries };
  }

  /** Writes prepared entries, replacing whatever entries the document had. */
  write({ collection, id, entries }: PreparedEntries, replacing: boolean): void {
    if (replacing) this.#deleteOf.run(collection, id);
    for (const { index, keys, multikey } of entries) {
      const name = index.definition.name;
      if (multikey && !index.multikey) this.#markMultikey.run(collection, name);
      for (const key of keys) this.#insert.run(collection, name, key, id);
    }
  }
}
