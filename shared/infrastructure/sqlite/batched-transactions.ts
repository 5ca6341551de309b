import type { DatabaseSync } from 'node:sqlite';
import { atomically, type TransactionMode } from './transactions.js';

/** How one operation of a batch ended. */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** One operation, given what it works through (the store's connection). */
export type Operation<C> = (context: C) => unknown;

/** Runs operations in one transaction and tells how each ended; throws when the batch as a whole fails. */
export type RunBatch<C> = (context: C, operations: ReadonlyArray<Operation<C>>) => Outcome[];

/**
 * One transaction for a batch of operations: DEFERRED for reads (a snapshot, no lock beyond it), IMMEDIATE for
 * writes (the write lock from the start). Each operation is atomic on its own (a single statement, or its own
 * transaction, which nests as a savepoint), so one that fails leaves the others to commit. If SQLite itself
 * abandons the transaction (it does on some I/O and memory errors), nothing in it stands: the batch fails.
 */
export function batchTransaction<C>(db: DatabaseSync, mode: TransactionMode): RunBatch<C> {
  return (context, operations) =>
    atomically(
      db,
      () =>
        operations.map((operation): Outcome => {
          try {
            return { ok: true, value: operation(context) };
          } catch (error) {
            if (!db.isTransaction) throw error;
            return { ok: false, error };
          }
        }),
      mode,
    );
}

/** Most operations one transaction carries, so one batch never holds a lock for long. */
const MAX_BATCH = 256;

interface Pending<C> {
  readonly operation: Operation<C>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Operations queued in the same turn of the event loop run together in one transaction, in the order queued.
 * Every SQLite transaction costs a fixed set of system calls (WAL read-mark and write locks, the WAL append
 * of a commit), which outweigh a small read or write; a batch pays them once. An operation settles only after
 * its batch has committed, and it starts no earlier than it was queued, so it sees every change acknowledged
 * before that, in this process or any other.
 */
export class TransactionBatcher<C> {
  #pending: Array<Pending<C>> = [];
  #scheduled = false;

  /**
   * `runBatch` runs one batch (opening the store if needed); what it throws fails every operation in it.
   * `failure` turns what an operation threw into what its caller sees.
   */
  constructor(
    private readonly runBatch: (operations: ReadonlyArray<Operation<C>>) => Outcome[],
    private readonly failure: (error: unknown) => unknown,
  ) {}

  run<T>(operation: (context: C) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ operation, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    const batch = this.#pending.splice(0, MAX_BATCH);
    if (this.#pending.length > 0) setImmediate(() => this.#flush());
    else this.#scheduled = false;
    let outcomes: Outcome[];
    try {
      outcomes = this.runBatch(batch.map((pending) => pending.operation));
    } catch (error) {
      const failed = this.failure(error);
      for (const pending of batch) pending.reject(failed);
      return;
    }
    outcomes.forEach((outcome, i) => {
      const pending = batch[i]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(this.failure(outcome.error));
    });
  }
}
