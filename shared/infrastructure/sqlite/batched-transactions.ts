import type { DatabaseSync } from 'node:sqlite';
import type { Outcome } from '../../domain/ports.js';
import { BusyAtBegin, isBusy } from './sqlite-errors.js';
import { atomically, type TransactionMode } from './transactions.js';

/** One operation, given what it works through (the store's connection). */
export type Operation<C> = (context: C) => unknown;

/**
 * Runs operations in one transaction and tells how each ended; throws when the batch as a whole fails, BusyAtBegin
 * when it never began because another connection held the lock.
 */
export type RunBatch<C> = (context: C, operations: ReadonlyArray<Operation<C>>) => Array<Outcome<unknown>>;

/**
 * One transaction for a batch of operations: DEFERRED for reads (a snapshot, no lock beyond it), IMMEDIATE for
 * writes (the write lock from the start). Each operation is atomic on its own (a single statement, or its own
 * transaction, which nests as a savepoint), so one that fails leaves the others to commit. If SQLite itself
 * abandons the transaction (it does on some I/O and memory errors), nothing in it stands: the batch fails.
 */
export function batchTransaction<C>(db: DatabaseSync, mode: TransactionMode): RunBatch<C> {
  return (context, operations) => {
    let begun = false;
    try {
      return atomically(
        db,
        () => {
          begun = true;
          return operations.map((operation) => attempt(db, () => operation(context)));
        },
        mode,
      );
    } catch (error) {
      // Only a BEGIN that found the lock taken leaves the batch as it was, safe to run again. A SQLITE_BUSY after
      // it (at COMMIT) comes once the operations have run: it fails them, like any other failure of the batch.
      throw !begun && isBusy(error) ? new BusyAtBegin(error) : error;
    }
  };
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

/** The first pause before a batch that found the lock taken is run again; each further pause doubles. */
const FIRST_LOCK_PAUSE_MS = 2;
/** The longest pause: a lock held for long is taken at most this long after it is freed. */
const LAST_LOCK_PAUSE_MS = 50;

interface Pending<C> {
  readonly operation: Operation<C>;
  readonly weight: number;
  /** performance.now() after which the operation no longer waits for a lock another connection holds. */
  readonly giveUpAt: number;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Operations queued in the same turn of the event loop run together in one transaction, in the order queued.
 * Every SQLite transaction costs a fixed set of system calls (WAL read-mark and write locks, the WAL append
 * of a commit), which outweigh a small read or write; a batch pays them once. An operation settles only after
 * its batch has committed, and it starts no earlier than it was queued, so it sees every change acknowledged
 * before that, in this process or any other.
 *
 * A batch whose BEGIN finds the lock held by another connection (BusyAtBegin) is run again after a pause on a
 * timer, not waited for in SQLite's busy handler, which sleeps on this thread and would stop the process from
 * serving anything else (reads, probes) meanwhile. Until it runs, no later operation does, so the order holds.
 */
export class TransactionBatcher<C> {
  #pending: Array<Pending<C>> = [];
  #scheduled = false;
  #lockPauseMs = FIRST_LOCK_PAUSE_MS;

  /**
   * `runBatch` runs one batch (opening the store if needed); what it throws fails every operation in it.
   * `failure` turns what an operation threw into what its caller sees. `lockTimeoutMs`: how long after it was
   * queued an operation may still be run again for BusyAtBegin; after that it fails with it.
   */
  constructor(
    private readonly runBatch: (operations: ReadonlyArray<Operation<C>>) => Array<Outcome<unknown>>,
    private readonly failure: (error: unknown) => unknown,
    private readonly lockTimeoutMs = 0,
  ) {}

  /** `weight`: how many documents the operation reads or writes, when more than one. */
  run<T>(operation: (context: C) => T, weight = 1): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const giveUpAt = performance.now() + this.lockTimeoutMs;
      this.#pending.push({ operation, weight, giveUpAt, resolve: resolve as (value: unknown) => void, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    const batch = this.#pending.splice(0, this.#nextBatchLength());
    try {
      this.#settle(batch, this.runBatch(batch.map((pending) => pending.operation)));
    } catch (error) {
      if (error instanceof BusyAtBegin) {
        this.#waitForLock(batch, error);
        return;
      }
      const failed = this.failure(error);
      for (const pending of batch) pending.reject(failed);
    }
    this.#lockPauseMs = FIRST_LOCK_PAUSE_MS;
    this.#flushNext();
  }

  #settle(batch: ReadonlyArray<Pending<C>>, outcomes: ReadonlyArray<Outcome<unknown>>): void {
    outcomes.forEach((outcome, i) => {
      const pending = batch[i]!;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(this.failure(outcome.error));
    });
  }

  /** The queued operations the next batch takes: MAX_BATCH documents' worth, and at least one operation. */
  #nextBatchLength(): number {
    let count = 0;
    for (let weight = 0; count < this.#pending.length && (count === 0 || weight + this.#pending[count]!.weight <= MAX_BATCH); count++) {
      weight += this.#pending[count]!.weight;
    }
    return count;
  }

  #flushNext(): void {
    if (this.#pending.length > 0) setImmediate(() => this.#flush());
    else this.#scheduled = false;
  }

  /**
   * The batch never began: its operations that have waited their time fail, the others go back to the front of
   * the queue, and the queue is run again after a pause that doubles while the lock stays taken.
   */
  #waitForLock(batch: ReadonlyArray<Pending<C>>, busy: BusyAtBegin): void {
    const now = performance.now();
    const failed = this.failure(busy);
    for (const pending of batch) if (pending.giveUpAt <= now) pending.reject(failed);
    this.#pending.unshift(...batch.filter((pending) => pending.giveUpAt > now));
    if (this.#pending.length === 0) {
      this.#scheduled = false;
      return;
    }
    setTimeout(() => this.#flush(), this.#lockPauseMs);
    this.#lockPauseMs = Math.min(this.#lockPauseMs * 2, LAST_LOCK_PAUSE_MS);
  }
}
