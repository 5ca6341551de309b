import type { DatabaseSync } from 'node:sqlite';

export type TransactionMode = 'deferred' | 'immediate';

/** Savepoints nest under one name: ROLLBACK TO and RELEASE name the innermost one. */
const SAVEPOINT = 'atomic';

/**
 * Runs `work` so that its changes stand or fall together: in a transaction of its own (DEFERRED: a snapshot on
 * the first read; IMMEDIATE: the write lock from the start), or, inside a transaction already open, in a
 * savepoint, where a failure undoes only this work. What `work` throws is rethrown after the undo. When SQLite
 * itself has already abandoned the transaction (it does on some I/O and memory errors), there is nothing left
 * to undo.
 */
export function atomically<T>(db: DatabaseSync, work: () => T, mode: TransactionMode = 'deferred'): T {
  const nested = db.isTransaction;
  db.exec(nested ? `SAVEPOINT ${SAVEPOINT}` : mode === 'immediate' ? 'BEGIN IMMEDIATE' : 'BEGIN DEFERRED');
  try {
    const result = work();
    db.exec(nested ? `RELEASE ${SAVEPOINT}` : 'COMMIT');
    return result;
  } catch (error) {
    if (db.isTransaction) db.exec(nested ? `ROLLBACK TO ${SAVEPOINT}; RELEASE ${SAVEPOINT}` : 'ROLLBACK');
    throw error;
  }
}
