import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Document } from '../../domain/document.js';
import { DOCUMENT_COLUMNS } from './rows.js';
import { prepareColumn, prepareTuples, type Statement } from './statements.js';

/** Most rows one INSERT carries; a longer run of documents goes in several. */
export const ROWS_PER_INSERT = 100;

/**
 * One row's values, in the two shapes: at the document's version, or continuing after the id's tombstone (which
 * takes the collection and id again). Anonymous parameters only: with numbered ones (?NNN), binding through
 * node:sqlite cost about twice the whole statement.
 */
const ROW = '(?, ?, ?, ?, ?, ?)';
const ROW_AFTER_TOMBSTONE = '(?, ?, COALESCE((SELECT version + 1 FROM tombstones WHERE collection = ? AND id = ?), ?), ?, ?, ?)';

type Insert = Statement<SQLInputValue[], [id: string, version: number]>;

/**
 * Many new documents of one collection in one INSERT: SQLite steps one statement instead of one per document.
 * OR IGNORE leaves out a row that breaks a constraint (its id exists) instead of failing the others; which rows
 * went in is what RETURNING names. A new id starts at the document's version; an id with a tombstone continues
 * after it, as a lone create does. The tombstone lookup per row costs about a quarter of the statement, so it is
 * made only when the collection has a tombstone at all.
 */
export class MultiRowInsert {
  readonly #db: DatabaseSync;
  readonly #hasTombstone: Statement<[collection: string], number>;
  /** One statement per shape and row count, prepared on first use. */
  readonly #inserts = new Map<number, Insert>();
  readonly #insertsAfterTombstones = new Map<number, Insert>();

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#hasTombstone = prepareColumn(db, 'SELECT 1 FROM tombstones WHERE collection = ? LIMIT 1');
  }

  /**
   * Inserts `documents` (at most ROWS_PER_INSERT, all in `collection`, stored as `json`); returns the version each
   * was stored at, or undefined for one left out. Runs inside the write transaction, so no tombstone can appear
   * between the check for one and the insert.
   */
  insert(collection: string, documents: readonly Document[], json: readonly string[]): Array<number | undefined> {
    const afterTombstones = this.#hasTombstone.get(collection) !== undefined;
    const parameters: SQLInputValue[] = [];
    for (let i = 0; i < documents.length; i++) {
      const { id, version, createdAt, updatedAt } = documents[i]!;
      if (afterTombstones) parameters.push(collection, id, collection, id, version, createdAt, updatedAt, json[i]!);
      else parameters.push(collection, id, version, createdAt, updatedAt, json[i]!);
    }
    const statement = afterTombstones
      ? this.#statement(this.#insertsAfterTombstones, ROW_AFTER_TOMBSTONE, documents.length)
      : this.#statement(this.#inserts, ROW, documents.length);
    const inserted = new Map<string, number>();
    for (const [id, version] of statement.all(...parameters)) inserted.set(id, version);
    // RETURNING's order is unspecified, so rows are matched by id; a repeated id went in at its first occurrence.
    return documents.map(({ id }) => {
      const version = inserted.get(id);
      inserted.delete(id);
      return version;
    });
  }

  #statement(cache: Map<number, Insert>, row: string, rows: number): Insert {
    let statement = cache.get(rows);
    if (!statement) {
      const values = new Array<string>(rows).fill(row).join(', ');
      statement = prepareTuples(this.#db, `INSERT OR IGNORE INTO documents (${DOCUMENT_COLUMNS}) VALUES ${values} RETURNING id, version`);
      cache.set(rows, statement);
    }
    return statement;
  }
}
