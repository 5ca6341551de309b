import type { DatabaseSync } from 'node:sqlite';
import { prepare, type Statement } from './statements.js';

/**
 * An id created again continues after its tombstone (the version its deletion left), and the tombstone goes
 * with that create, in the same transaction. A new id is stored at the version it was created with; one stored
 * past it continued after a tombstone. Only those creates pay for the delete, where a trigger on every insert
 * cost a third of a bulk create's insert (BENCHMARKS.md, "The tombstone of a re-created id").
 */
export class TombstoneClearing {
  readonly #delete: Statement<[collection: string, id: string]>;

  constructor(db: DatabaseSync) {
    this.#delete = prepare(db, 'DELETE FROM tombstones WHERE collection = ? AND id = ?');
  }

  /** After a create of `id` with `requested` as its version was stored at `stored`. */
  created(collection: string, id: string, requested: number, stored: number): void {
    if (stored !== requested) this.#delete.run(collection, id);
  }
}
