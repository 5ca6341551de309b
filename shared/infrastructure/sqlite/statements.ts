import type { DatabaseSync, SQLInputValue, StatementResultingChanges } from 'node:sqlite';

/** A prepared statement of node:sqlite, typed by its parameters and the rows it returns. */
export interface Statement<P extends SQLInputValue[] = SQLInputValue[], R = unknown> {
  get(...params: P): R | undefined;
  all(...params: P): R[];
  run(...params: P): StatementResultingChanges;
}

export function prepare<P extends SQLInputValue[], R = unknown>(db: DatabaseSync, sql: string): Statement<P, R> {
  return db.prepare(sql) as unknown as Statement<P, R>;
}

/** A statement whose rows come back as arrays of their columns, in order: no object (and no key lookup) per row. */
export function prepareTuples<P extends SQLInputValue[], R extends unknown[]>(db: DatabaseSync, sql: string): Statement<P, R> {
  const statement = db.prepare(sql);
  statement.setReturnArrays(true);
  return statement as unknown as Statement<P, R>;
}

/** A statement whose rows are the value of their first column. */
export function prepareColumn<P extends SQLInputValue[], V>(db: DatabaseSync, sql: string): Statement<P, V> {
  const statement = prepareTuples<P, [V]>(db, sql);
  return {
    get: (...params) => statement.get(...params)?.[0],
    all: (...params) => statement.all(...params).map((row) => row[0]),
    run: (...params) => statement.run(...params),
  };
}
