import type { Database } from 'better-sqlite3';

/** How one write of a batch ended. */
export type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

/** One write, given what it writes through (the store's connection). */
export type Write<C> = (context: C) => unknown;

/** Runs writes in one IMMEDIATE transaction and tells how each ended; throws when the batch as a whole fails. */
export type CommitBatch<C> = (context: C, writes: ReadonlyArray<Write<C>>) => Outcome[];

/**
 * The batch transaction of one connection. Each write is atomic on its own (a single statement, or its own
 * transaction, which nests as a savepoint), so a write that fails leaves the others to commit. If SQLite
 * itself abandons the transaction (it does on some I/O and memory errors), nothing in it stands: the batch fails.
 */
export function batchTransaction<C>(db: Database): CommitBatch<C> {
  const run = db.transaction((context: C, writes: ReadonlyArray<Write<C>>) =>
    writes.map((write): Outcome => {
      try {
        return { ok: true, value: write(context) };
      } catch (error) {
        if (!db.inTransaction) throw error;
        return { ok: false, error };
      }
    }),
  );
  return (context, writes) => run.immediate(context, writes);
}

/** Most writes one transaction carries, so one batch never holds the write lock for long. */
const MAX_BATCH = 256;

interface Pending<C> {
  readonly write: Write<C>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Group commit. Every commit costs a fixed set of system calls (file locks, the WAL append), which dominate a
 * small write; writes queued in the same turn of the event loop share one transaction and so one set. A write
 * settles only after its batch commits. Writes commit in the order they were queued.
 */
export class WriteQueue<C> {
  #pending: Array<Pending<C>> = [];
  #scheduled = false;

  /**
   * `commit` runs a batch (opening the store if needed); what it throws fails every write of the batch.
   * `failure` turns what a write threw into what its caller sees.
   */
  constructor(
    private readonly commit: (writes: ReadonlyArray<Write<C>>) => Outcome[],
    private readonly failure: (error: unknown) => unknown,
  ) {}

  run<T>(write: (context: C) => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.#pending.push({ write, resolve: resolve as (value: unknown) => void, reject });
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
      outcomes = this.commit(batch.map((pending) => pending.write));
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
