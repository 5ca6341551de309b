import type { DatabaseSync } from 'node:sqlite';
import { UnavailableError } from '../../domain/errors.js';
import { IndexEntries } from './index-entries.js';
import { QueryReads } from './query-reads.js';
import type { ReadStep } from './sqlite-query.js';
import { toStoreError } from './sqlite-errors.js';

/** Connections kept open between snapshots: one, as there is one snapshot at a time (see SnapshotReads). */
const MAX_IDLE = 1;

interface Reader {
  readonly db: DatabaseSync;
  readonly queries: QueryReads;
}

/** A read transaction on a reader, and how many reads share it. */
interface Snapshot {
  readonly reader: Reader;
  users: number;
  /** Its snapshot is fixed (it has read): a read asked for from now on may not share it. */
  taken: boolean;
}

/**
 * Reads of many steps that must all see one snapshot (a count: it must equal the number of matches at some
 * moment). The store's own connection cannot hold a read transaction open between steps, since its writes and
 * other reads go through it; so these hold one on a connection of their own (WAL lets them read their snapshot
 * while writers commit), and their steps still run in later turns of the event loop, each bounded, as the
 * store's own do. A snapshot is fixed after the read was asked for, so it holds every change acknowledged before.
 *
 * One snapshot at a time: reads asked for before it is fixed share it (as reads batched in one transaction do);
 * reads asked for later wait until it ends, then share the next. Snapshots that overlapped one another without
 * end would starve the WAL: a checkpoint cannot move past the oldest snapshot, nor the log start over while any
 * reader holds a part of it, so under counts without pause the log grew by every write (15 MB while 3 MB were
 * written, three clients counting 10,000 documents). Between two snapshots the log is checkpointed (RESTART: it
 * waits, at most the connection's few milliseconds of busy timeout, for the writer and for readers of the log),
 * and the next snapshot fixed at once after, so it reads nothing of the log and the next writer starts it over.
 */
export class SnapshotReads {
  readonly #idle: Reader[] = [];
  #current: Snapshot | undefined;
  /** Reads asked for once the current snapshot was fixed: each is handed the next one. */
  #waiting: Array<{ resolve: (snapshot: Snapshot) => void; reject: (error: unknown) => void }> = [];
  #closed = false;

  /** `open`: a new connection to the store's file (already prepared by the store's own connection). */
  constructor(private readonly open: () => DatabaseSync) {}

  async run<T>(work: (read: ReadStep) => Promise<T>): Promise<T> {
    const current = this.#current;
    const snapshot =
      current === undefined ? this.#begin(false) : !current.taken ? current : await new Promise<Snapshot>((resolve, reject) => this.#waiting.push({ resolve, reject }));
    snapshot.users++;
    try {
      return await work(
        <S>(step: (reads: QueryReads) => S) =>
          new Promise<S>((resolve, reject) =>
            setImmediate(() => {
              snapshot.taken = true;
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

  /** A new snapshot, the current one; `now`: checkpoint the log first and fix the snapshot at once. */
  #begin(now: boolean): Snapshot {
    // Counts that waited past the store's close are refused as any call after it is.
    if (this.#closed) throw new UnavailableError('the SQLite store is closed');
    const reader = this.#idle.pop() ?? this.#connect();
    try {
      if (now) checkpoint(reader.db);
      reader.db.exec('BEGIN DEFERRED');
      reader.queries.newSnapshot();
      // Any read fixes the snapshot.
      if (now) reader.queries.readyIndexes('');
    } catch (error) {
      reader.db.close();
      throw toStoreError(error);
    }
    const snapshot: Snapshot = { reader, users: 0, taken: now };
    this.#current = snapshot;
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
    if (this.#current === snapshot) this.#current = undefined;
    const { reader } = snapshot;
    let reusable = true;
    try {
      if (reader.db.isTransaction) reader.db.exec('ROLLBACK');
    } catch {
      reusable = false;
      reader.db.close();
    }
    if (reusable) {
      if (this.#closed || this.#idle.length >= MAX_IDLE) reader.db.close();
      else this.#idle.push(reader);
    }
    const waiting = this.#waiting.splice(0);
    if (waiting.length === 0) return;
    let next: Snapshot;
    try {
      next = this.#begin(true);
    } catch (error) {
      for (const { reject } of waiting) reject(error);
      return;
    }
    // Each counts itself in as it resumes, before anything else runs: nothing can end the snapshot meanwhile.
    for (const { resolve } of waiting) resolve(next);
  }
}

/** Moves what the log holds into the database file, as far as other connections' readers allow. */
function checkpoint(db: DatabaseSync): void {
  try {
    db.exec('PRAGMA wal_checkpoint(RESTART)');
  } catch {
    // Busy: another connection is checkpointing.
  }
}
