import type { DatabaseSync } from 'node:sqlite';
import type { Outcome } from '../../domain/ports.js';
import { atomically, type TransactionMode } from './transactions.js';

/** One operation, given what it works through (the store's connection). */
export type Operation<C> = (context: C) => unknown;

/** Runs operations in one transaction and tells how each ended; throws when the batch as a whole fails. */
export type RunBatch<C> = (context: C, operations: ReadonlyArray<Operation<C>>) => Array<Outcome<unknown>>;

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
      () => operations.map((operation) => attempt(db, () => operation(context))),
      mode,
    );
}

/**
 * Runs one atomic operation inside the open transaction. Its failure is its own (the transaction goes on),
 * unless SQLite abandoned the transaction: then it is thrown, for the whole batch.
 */
export function attempt<T>(db: DatabaseSync, operation: () => T): Outcome<T> {
  try {
    return { ok: true, value: operation() };
  } catch (error) {
    if (!db.isTransaction) throw error;
    return { ok: false, error };
  }
}

/**
 * Most single-document operations one transaction carries, so one batch never holds the lock (and the event
 * loop) for long; an operation on several documents counts as that many.
 */
export const MAX_BATCH = 256;

interface Pending<C> {
  readonly operation: Operation<C>;
  readonly weight: number;
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
    private readonly runBatch: (operations: ReadonlyArray<Operation<C>>) => Array<Outcome<unknown>>,
    private readonly failure: (error: unknown) => unknown,
  ) {}

  /** `weight`: how many documents the operation reads or writes, when more than one. */
  run<T>(operation: (context: C) => T, weight = 1): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ operation, weight, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    let count = 0;
    for (let weight = 0; count < this.#pending.length && (count === 0 || weight + this.#pending[count]!.weight <= MAX_BATCH); count++) {
      weight += this.#pending[count]!.weight;
    }
    const batch = this.#pending.splice(0, count);
    if (this.#pending.length > 0) setImmediate(() => this.#flush());
    else this.#scheduled = false;
    let outcomes: Array<Outcome<unknown>>;
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
