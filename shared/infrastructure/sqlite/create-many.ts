import type { DatabaseSync } from 'node:sqlite';
import type { Document } from '../../domain/document.js';
import type { CreateOutcome, NewDocument } from '../../domain/ports.js';
import { attempt } from './batched-transactions.js';
import type { DocumentsTable } from './documents-table.js';
import { ROWS_PER_INSERT } from './multi-row-insert.js';
import { toStoreError } from './sqlite-errors.js';
import { atomically } from './transactions.js';

/** Thrown to undo an ordered run in which some document was left out. */
class LeftOut extends Error {}

/**
 * The store's createMany inside its write transaction. In a collection without indexes, a run of items without
 * Idempotency-Keys goes in one multi-row INSERT (DocumentsTable.createMany); an item it leaves out is then
 * created alone, which fails with the precise error (its id exists). Ordered, a run is a savepoint: when any item
 * of it is left out, the run is undone and its items are created one by one, so the outcomes still end at the
 * first failure with nothing written after it. Every other item is created alone, as its own statement or
 * savepoint.
 */
export function createMany(db: DatabaseSync, table: DocumentsTable, collection: string, items: readonly NewDocument[], ordered: boolean): CreateOutcome[] {
  const indexes = table.indexesOf(collection);
  const createAlone = ({ document, idempotency }: NewDocument): CreateOutcome => {
    const outcome = attempt(db, () => table.create(document, idempotency, indexes));
    return outcome.ok ? outcome : { ok: false, error: toStoreError(outcome.error) };
  };
  /** Appends the outcomes of `run` created one by one; false once an ordered run stops at a failure. */
  const createEachAlone = (run: readonly NewDocument[], outcomes: CreateOutcome[]): boolean => {
    for (const item of run) {
      const outcome = createAlone(item);
      outcomes.push(outcome);
      if (!outcome.ok && ordered) return false;
    }
    return true;
  };

  const outcomes: CreateOutcome[] = [];
  for (let start = 0; start < items.length; ) {
    let end = start;
    while (indexes.length === 0 && end < items.length && end - start < ROWS_PER_INSERT && items[end]!.idempotency === undefined) end++;
    // An item that cannot go in a multi-row INSERT (a key, or indexes to write) is a run of its own, created alone.
    const run = items.slice(start, Math.max(end, start + 1));
    const created = end > start ? insertRun(db, table, collection, run, ordered) : undefined;
    if (created === undefined) {
      if (!createEachAlone(run, outcomes)) break;
    } else {
      for (let i = 0; i < run.length; i++) {
        const document = created[i];
        outcomes.push(document === undefined ? createAlone(run[i]!) : { ok: true, value: { document, replayed: false } });
      }
    }
    start += run.length;
  }
  return outcomes;
}

/**
 * The run in one statement: each document as created, or undefined for one left out. Undefined as a whole when
 * nothing of the run was written: the statement failed (SQLite undid it), or, ordered, some item was left out.
 */
function insertRun(db: DatabaseSync, table: DocumentsTable, collection: string, run: readonly NewDocument[], ordered: boolean) {
  const documents = run.map((item) => item.document);
  try {
    if (!ordered) return table.createMany(collection, documents);
    return atomically(db, () => {
      const created = table.createMany(collection, documents);
      if (created.includes(undefined)) throw new LeftOut();
      return created as Document[];
    });
  } catch (error) {
    // When SQLite abandoned the transaction, the batch as a whole failed.
    if (!db.isTransaction) throw error;
    return undefined;
  }
}
