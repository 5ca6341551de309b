import type { DatabaseSync } from 'node:sqlite';
import { IndexEntries } from './index-entries.js';
import { QueryReads } from './query-reads.js';
import type { ReadStep } from './sqlite-query.js';
import { toStoreError } from './sqlite-errors.js';

/** Connections kept open between reads; more are opened while more snapshots are read at once, and closed after. */
const MAX_IDLE = 2;

interface Reader {
  readonly db: DatabaseSync;
  readonly queries: QueryReads;
}

/** A read transaction on a reader, and how many reads share it. */
interface Snapshot {
  readonly reader: Reader;
  users: number;
}

/**
 * Reads of many steps that must all see one snapshot (a count: it must equal the number of matches at some
 * moment). The store's own connection cannot hold a read transaction open between steps, since its writes and
 * other reads go through it; so such reads hold one on a connection of their own (WAL lets them read their
 * snapshot while writers commit), and their steps still run in later turns of the event loop, each bounded, as
 * the store's own do. The snapshot is taken by the first step, so it holds every change acknowledged before the
 * read was asked for; reads asked for before then share it (as reads batched in one transaction do), so reads
 * asked for together need one connection, not one each.
 */
export class SnapshotReads {
  readonly #idle: Reader[] = [];
  /** The snapshot whose first step has not read yet: a read asked for now may still share it. */
  #joinable: Snapshot | undefined;
  #closed = false;

  /** `open`: a new connection to the store's file (already prepared by the store's own connection). */
  constructor(private readonly open: () => DatabaseSync) {}

  async run<T>(work: (read: ReadStep) => Promise<T>): Promise<T> {
    const snapshot = this.#joinable ?? this.#begin();
    snapshot.users++;
    try {
      return await work(
        <S>(step: (reads: QueryReads) => S) =>
          new Promise<S>((resolve, reject) =>
            setImmediate(() => {
              if (this.#joinable === snapshot) this.#joinable = undefined;
              try {
                resolve(step(snapshot.reader.queries));
              } catch (error) {
                reject(toStoreError(error));
              }
            }),
          ),
      );
    } finally {
      if (--snapshot.users === 0) this.#end(snapshot);
    }
  }

  close(): void {
    this.#closed = true;
    for (const reader of this.#idle.splice(0)) reader.db.close();
  }

  #begin(): Snapshot {
    const reader = this.#idle.pop() ?? this.#connect();
    try {
      reader.db.exec('BEGIN DEFERRED');
    } catch (error) {
      reader.db.close();
      throw toStoreError(error);
    }
    reader.queries.newSnapshot();
    const snapshot: Snapshot = { reader, users: 0 };
    this.#joinable = snapshot;
    return snapshot;
  }

  #connect(): Reader {
    let db: DatabaseSync;
    try {
      db = this.open();
    } catch (error) {
      throw toStoreError(error);
    }
    try {
      db.exec('PRAGMA query_only = 1');
      return { db, queries: new QueryReads(db, new IndexEntries(db)) };
    } catch (error) {
      db.close();
      throw toStoreError(error);
    }
  }

  #end(snapshot: Snapshot): void {
    if (this.#joinable === snapshot) this.#joinable = undefined;
    const { reader } = snapshot;
    try {
      // A read transaction has nothing to keep: ending it lets checkpoints move past its snapshot.
      if (reader.db.isTransaction) reader.db.exec('ROLLBACK');
    } catch {
      reader.db.close();
      return;
    }
    if (this.#closed || this.#idle.length >= MAX_IDLE) reader.db.close();
    else this.#idle.push(reader);
  }
}
