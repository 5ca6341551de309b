import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Document } from '../../domain/document.js';
import { DOCUMENT_COLUMNS } from './rows.js';
import { isConstraintViolation } from './sqlite-errors.js';
import { prepare, prepareColumn, prepareTuples, type Statement } from './statements.js';
import type { TombstoneClearing } from './tombstone-clearing.js';

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
 * When the collection has no tombstone (the usual case), every row goes in at its document's version, and the
 * statement inserts all of them or, breaking a constraint (an id exists), none. Otherwise, or when it broke one,
 * OR IGNORE leaves out each row that breaks a constraint, RETURNING names the rows that went in, and an id with a
 * tombstone continues after it and clears it, as a lone create does. The first shape skips a tombstone lookup per
 * row (about a quarter of the statement) and RETURNING's rows.
 */
export class MultiRowInsert {
  readonly #db: DatabaseSync;
  readonly #tombstones: TombstoneClearing;
  readonly #hasTombstone: Statement<[collection: string], number>;
  /** One statement per shape and row count, prepared on first use. */
  readonly #insertsAll = new Map<number, Statement>();
  readonly #insertsEach = new Map<number, Insert>();

  constructor(db: DatabaseSync, tombstones: TombstoneClearing) {
    this.#db = db;
    this.#tombstones = tombstones;
    this.#hasTombstone = prepareColumn(db, 'SELECT 1 FROM tombstones WHERE collection = ? LIMIT 1');
  }

  /**
   * Inserts `documents` (at most ROWS_PER_INSERT, all in `collection`, stored as `json`); returns the version each
   * was stored at, or undefined for one left out. Runs inside the write transaction, so no tombstone can appear
   * between the check for one and the insert.
   */
  insert(collection: string, documents: readonly Document[], json: readonly string[]): Array<number | undefined> {
    if (this.#hasTombstone.get(collection) === undefined && this.#insertAll(collection, documents, json)) {
      return documents.map((document) => document.version);
    }
    return this.#insertEach(collection, documents, json);
  }

  /** Whether every document went in, at its version; false when one broke a constraint and none did. */
  #insertAll(collection: string, documents: readonly Document[], json: readonly string[]): boolean {
    const parameters: SQLInputValue[] = [];
    for (let i = 0; i < documents.length; i++) {
      const { id, version, createdAt, updatedAt } = documents[i]!;
      parameters.push(collection, id, version, createdAt, updatedAt, json[i]!);
    }
    const statement = this.#statement(
      this.#insertsAll,
      (values) => prepare(this.#db, `INSERT INTO documents (${DOCUMENT_COLUMNS}) VALUES ${values}`),
      ROW,
      documents.length,
    );
    try {
      statement.run(...parameters);
      return true;
    } catch (error) {
      if (isConstraintViolation(error)) return false;
      throw error;
    }
  }

  #insertEach(collection: string, documents: readonly Document[], json: readonly string[]): Array<number | undefined> {
    const parameters: SQLInputValue[] = [];
    for (let i = 0; i < documents.length; i++) {
      const { id, version, createdAt, updatedAt } = documents[i]!;
      parameters.push(collection, id, collection, id, version, createdAt, updatedAt, json[i]!);
    }
    const statement = this.#statement(
      this.#insertsEach,
      (values) => prepareTuples(this.#db, `INSERT OR IGNORE INTO documents (${DOCUMENT_COLUMNS}) VALUES ${values} RETURNING id, version`),
      ROW_AFTER_TOMBSTONE,
      documents.length,
    );
    const inserted = new Map<string, number>();
    for (const [id, version] of statement.all(...parameters)) inserted.set(id, version);
    // RETURNING's order is unspecified, so rows are matched by id; a repeated id went in at its first occurrence.
    return documents.map(({ id, version: requested }) => {
      const version = inserted.get(id);
      inserted.delete(id);
      if (version !== undefined) this.#tombstones.created(collection, id, requested, version);
      return version;
    });
  }

  #statement<S>(cache: Map<number, S>, prepareWith: (values: string) => S, row: string, rows: number): S {
    let statement = cache.get(rows);
    if (!statement) {
      statement = prepareWith(new Array<string>(rows).fill(row).join(', '));
      cache.set(rows, statement);
    }
    return statement;
  }
}
