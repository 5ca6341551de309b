import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Document } from '../../domain/document.js';
import { DuplicateKeyError, IndexNotFoundError, UnavailableError } from '../../domain/errors.js';
import { buildsInterrupted, MAX_BUILD_ATTEMPTS, type IndexDefinition } from '../../domain/indexes/index-definition.js';
import type {
  CountSpec,
  CreateOutcome,
  CreateResult,
  DocumentStore,
  IdempotencyClaim,
  Modification,
  NewDocument,
  QueryResult,
  QuerySpec,
  Replacement,
} from '../../domain/ports.js';
import { DocumentsTable } from './documents-table.js';
import { makeDataDirectory } from './data-directory.js';
import { batchTransaction, TransactionBatcher, type RunBatch } from './batched-transactions.js';
import { createMany } from './create-many.js';
import { prepareDatabase } from './schema.js';
import { IndexCatalog, type BuildEnd } from './index-catalog.js';
import { IndexEntries } from './index-entries.js';
import { QueryReads } from './query-reads.js';
import { countMatches, runQuery, type ReadStep } from './sqlite-query.js';
import { SnapshotReads } from './snapshot-reads.js';
import { toStoreError } from './sqlite-errors.js';
import { WalCheckpointer } from './wal-checkpointer.js';

export interface SqliteStoreOptions {
  /** Directory of the database file; created when missing. */
  readonly dataDir: string;
  readonly fileName?: string;
  /**
   * How long a writer waits for another process's write lock before giving up (UnavailableError). The process
   * serves other calls meanwhile: the write is tried again on a timer (batched-transactions.ts).
   */
  readonly busyTimeoutMs?: number;
  /** How long a deleted id's tombstone (its last version) is kept; unset, for ever (versions are never reused). */
  readonly tombstoneRetentionMs?: number;
}

export const DEFAULT_FILE_NAME = 'documents.sqlite';
export const DEFAULT_BUSY_TIMEOUT_MS = 5000;
/**
 * How long SQLite itself waits for a lock: its busy handler sleeps on this thread, so it only covers a lock held
 * for a moment. A longer wait for the write lock is the write batcher's, on timers.
 */
const LOCK_WAIT_MS = 5;

interface Connection {
  readonly db: DatabaseSync;
  readonly table: DocumentsTable;
  readonly queries: QueryReads;
  /** Connections of their own for reads that must see one snapshot over many steps (counts). */
  readonly snapshots: SnapshotReads;
  readonly catalog: IndexCatalog;
  readonly ping: () => unknown;
  readonly readBatch: RunBatch<Connection>;
  readonly writeBatch: RunBatch<Connection>;
  readonly checkpointer: WalCheckpointer;
}

/** Node's own SQLite (node:sqlite): nothing to install or load beside Node (BENCHMARKS.md, "SQLite driver"). */
function connect(options: SqliteStoreOptions): Connection {
  makeDataDirectory(options.dataDir);
  const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
  const file = join(options.dataDir, options.fileName ?? DEFAULT_FILE_NAME);
  const db = new DatabaseSync(file, { timeout: LOCK_WAIT_MS });
  try {
    prepareDatabase(db, busyTimeoutMs);
    const checkpointer = new WalCheckpointer(db, file);
    const ping = db.prepare('SELECT 1');
    const indexes = new IndexEntries(db);
    const queries = new QueryReads(db, indexes);
    const readBatch: RunBatch<Connection> = batchTransaction(db, 'deferred');
    const writeBatch: RunBatch<Connection> = batchTransaction(db, 'immediate');
    return {
      db,
      table: new DocumentsTable(db, indexes, options.tombstoneRetentionMs),
      queries,
      snapshots: new SnapshotReads(() => new DatabaseSync(file, { timeout: LOCK_WAIT_MS })),
      catalog: new IndexCatalog(db, indexes),
      ping: () => ping.get(),
      readBatch: (connection, reads) => {
        queries.newSnapshot();
        return readBatch(connection, reads);
      },
      writeBatch: (connection, writes) => {
        const outcomes = writeBatch(connection, writes);
        checkpointer.committed();
        return outcomes;
      },
      checkpointer,
    };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The DocumentStore over one SQLite file. Nothing is opened until the first call, so a cold function that
 * never touches the store pays nothing; a failed open is retried on the next call. Each process holds its
 * own connection; SQLite's file locks (WAL, busy timeout) serialise writers across processes. Reads issued
 * together share one read transaction, and writes one write transaction (group commit), each operation
 * still atomic on its own.
 */
class SqliteDocumentStore implements DocumentStore {
  readonly kind = 'sqlite';
  #connection: Connection | undefined;
  #closed = false;
  readonly #reads = new TransactionBatcher<Connection>((reads) => this.#use((c) => c.readBatch(c, reads)), toStoreError);
  readonly #writes: TransactionBatcher<Connection>;
  /** One bounded step of a query, in the next batch of reads. */
  readonly #readStep: ReadStep = (step) => this.#reads.run((c) => step(c.queries));

  constructor(private readonly options: SqliteStoreOptions) {
    const busyTimeoutMs = options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS;
    this.#writes = new TransactionBatcher<Connection>((writes) => this.#use((c) => c.writeBatch(c, writes)), toStoreError, busyTimeoutMs);
  }

  async create(document: Document, idempotency?: IdempotencyClaim): Promise<CreateResult> {
    return this.#writes.run((c) => c.table.create(document, idempotency));
  }

  /**
   * Every item in one write transaction, many to a statement where they can be (create-many.ts), so a request
   * pays for one commit instead of one per document; a failed item leaves the others standing.
   */
  async createMany(collection: string, items: readonly NewDocument[], ordered: boolean): Promise<CreateOutcome[]> {
    return this.#writes.run((c) => createMany(c.db, c.table, collection, items, ordered), items.length);
  }

  async get(collection: string, id: string): Promise<Document | null> {
    return this.#reads.run((c) => c.table.get(collection, id));
  }

  async replace(collection: string, id: string, { data, expectedVersion, now }: Replacement): Promise<Document> {
    return this.#writes.run((c) => c.table.replace(collection, id, data, expectedVersion, now));
  }

  /** Read, transform and write in the one write transaction: no other writer (process or connection) can get in. */
  async modify(collection: string, id: string, { transform, expectedVersion, now }: Modification): Promise<Document> {
    return this.#writes.run((c) => c.table.modify(collection, id, transform, expectedVersion, now));
  }

  async delete(collection: string, id: string, expectedVersion: number | undefined): Promise<Document> {
    return this.#writes.run((c) => c.table.delete(collection, id, expectedVersion));
  }

  async query(collection: string, spec: QuerySpec): Promise<QueryResult> {
    return runQuery(this.#readStep, collection, spec);
  }

  /**
   * A count reads one snapshot over all its steps: read step by step, each in the snapshot of its own moment, a
   * document moved from a part not yet read to one already read (or a delete before a create, read the other way
   * round) was missed or counted twice, and the count was none the collection ever had.
   */
  async count(collection: string, spec: CountSpec): Promise<number> {
    const askedAt = performance.now();
    const snapshots = this.#use((c) => c.snapshots);
    // A count may wait for another's snapshot to end (snapshot-reads.ts): its time limit runs from now.
    return snapshots.run((read) => countMatches(read, collection, spec, askedAt));
  }

  /**
   * True when this call made the index ready, false when it was ready already or another creator made it
   * ready first. A build whose index is dropped under it (a DELETE, or another creator's failed build) starts
   * over: the create then comes after the drop.
   */
  async createIndex(collection: string, index: IndexDefinition): Promise<boolean> {
    for (let attempt = 0; attempt < MAX_BUILD_ATTEMPTS; attempt++) {
      const end = await this.#build(collection, index);
      if (end === 'duplicate') throw new DuplicateKeyError(collection, index.name);
      if (end !== 'lost') return end === 'created';
    }
    throw buildsInterrupted(collection, index.name);
  }

  /** One attempt: begins the index (or joins its build, under way or stopped half-way), fills it, makes it ready. */
  async #build(collection: string, index: IndexDefinition): Promise<BuildEnd> {
    const build = await this.#writes.run((c) => c.catalog.begin(collection, index));
    if (build === 'existed') return build;
    try {
      let afterId: string | null = '';
      while (afterId !== null) {
        const from: string = afterId;
        const step = await this.#writes.run((c) => c.catalog.buildStep(collection, index.name, build, from));
        if (typeof step === 'string') return step;
        afterId = step.last;
      }
      return await this.#writes.run((c) => c.catalog.finish(collection, index.name, build));
    } catch (error) {
      // Nothing half-built stays behind: the index is created whole or not at all.
      await this.#writes.run((c) => c.catalog.abandon(collection, index.name, build)).catch(() => undefined);
      throw error;
    }
  }

  async listIndexes(collection: string): Promise<IndexDefinition[]> {
    return this.#reads.run((c) => c.catalog.list(collection));
  }

  async dropIndex(collection: string, name: string): Promise<void> {
    const dropped = await this.#writes.run((c) => c.catalog.drop(collection, name));
    if (!dropped) throw new IndexNotFoundError(collection, name);
  }

  async ping(): Promise<void> {
    this.#use((c) => c.ping());
  }

  /**
   * Moves every committed change from the write-ahead log into the database file before closing. Closing alone
   * does that only for the last connection, and processes that stop together can each see another still open.
   */
  async close(): Promise<void> {
    this.#closed = true;
    const connection = this.#connection;
    this.#connection = undefined;
    if (!connection) return;
    const { db } = connection;
    connection.snapshots.close();
    await connection.checkpointer.stop();
    try {
      // Nothing is served any more, so the last checkpoint may wait in SQLite for other processes' locks (as
      // long as a write would), where a write's wait is spent on timers.
      db.exec(`PRAGMA busy_timeout = ${this.options.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS}`);
      db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
    } catch {
      // Busy past the timeout: the changes stay in the log, committed, for the next checkpoint of any process.
    }
    db.close();
  }

  #use<T>(work: (connection: Connection) => T): T {
    if (this.#closed) throw new UnavailableError('the SQLite store is closed');
    try {
      this.#connection ??= connect(this.options);
      return work(this.#connection);
    } catch (error) {
      throw toStoreError(error);
    }
  }
}

export function openSqliteStore(options: SqliteStoreOptions): DocumentStore {
  return new SqliteDocumentStore(options);
}
