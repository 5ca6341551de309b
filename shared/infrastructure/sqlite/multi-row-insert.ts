import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import type { Document } from '../../domain/document.js';
import { DOCUMENT_COLUMNS } from './rows.js';
import { prepareTuples, type Statement } from './statements.js';

/** Most rows one INSERT carries; a longer run of documents goes in several. */
export const ROWS_PER_INSERT = 100;

/**
 * One row's values: the tombstone lookup takes the collection and id again. Anonymous parameters only: with
 * numbered ones (?NNN), binding through node:sqlite cost about twice the whole statement.
 */
const ROW = '(?, ?, COALESCE((SELECT version + 1 FROM tombstones WHERE collection = ? AND id = ?), ?), ?, ?, ?)';

/**
 * Many new documents of one collection in one INSERT: SQLite steps one statement instead of one per document.
 * OR IGNORE leaves out a row that breaks a constraint (its id exists) instead of failing the others; which rows
 * went in is what RETURNING names. A new id starts at the document's version; an id with a tombstone continues
 * after it, as a lone create does.
 */
export class MultiRowInsert {
  readonly #db: DatabaseSync;
  /** One statement per row count, prepared on first use. */
  readonly #statements = new Map<number, Statement<SQLInputValue[], [id: string, version: number]>>();

  constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /**
   * Inserts `documents` (at most ROWS_PER_INSERT, all in `collection`, stored as `json`); returns the version each
   * was stored at, or undefined for one left out.
   */
  insert(collection: string, documents: readonly Document[], json: readonly string[]): Array<number | undefined> {
    const parameters: SQLInputValue[] = [];
    for (let i = 0; i < documents.length; i++) {
      const { id, version, createdAt, updatedAt } = documents[i]!;
      parameters.push(collection, id, collection, id, version, createdAt, updatedAt, json[i]!);
    }
    const inserted = new Map<string, number>();
    for (const [id, version] of this.#statement(documents.length).all(...parameters)) inserted.set(id, version);
    // RETURNING's order is unspecified, so rows are matched by id; a repeated id went in at its first occurrence.
    return documents.map(({ id }) => {
      const version = inserted.get(id);
      inserted.delete(id);
      return version;
    });
  }

  #statement(rows: number): Statement<SQLInputValue[], [string, number]> {
    let statement = this.#statements.get(rows);
    if (!statement) {
      const values = new Array<string>(rows).fill(ROW).join(', ');
      statement = prepareTuples(this.#db, `INSERT OR IGNORE INTO documents (${DOCUMENT_COLUMNS}) VALUES ${values} RETURNING id, version`);
      this.#statements.set(rows, statement);
    }
    return statement;
  }
}
