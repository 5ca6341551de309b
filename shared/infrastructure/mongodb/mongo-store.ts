import { MongoClient, type Db } from 'mongodb';
import type { Document } from '../../domain/document.js';
import { DocumentNotFoundError, UnavailableError, VersionMismatchError } from '../../domain/errors.js';
import type { IndexDefinition } from '../../domain/indexes/index-definition.js';
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
import { Documents } from './documents.js';
import { IdempotencyKeys } from './idempotency-keys.js';
import { toStoreError } from './mongo-errors.js';
import { MongoIndexes } from './mongo-indexes.js';
import { countMatching, queryPage } from './mongo-query.js';

export interface MongoStoreOptions {
  readonly uri: string;
  /** The database of the collections; default: the one the URI names, else DEFAULT_DATABASE. */
  readonly database?: string;
  /** The driver's maxPoolSize: connections per process. */
  readonly poolSize: number;
  readonly connectTimeoutMs: number;
  readonly serverSelectionTimeoutMs: number;
  readonly socketTimeoutMs: number;
  /** How long a deleted id's tombstone (its last version) is kept; unset, for ever (versions are never reused). */
  readonly tombstoneRetentionMs?: number;
}

export const DEFAULT_DATABASE = 'dbsvc';

/**
 * Compare-and-set rounds of one modify: each round loses only to a writer that got in, so running out means a
 * pathologically hot key; the caller then gets a retryable 503 instead of a spin.
 */
const MAX_MODIFY_ATTEMPTS = 64;

/** The database path of a MongoDB URI (`mongodb://host1,host2/<database>?options`), if it names one. */
function databaseOf(uri: string): string | undefined {
  const path = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/.exec(uri)?.[1];
  return path ? decodeURIComponent(path) : undefined;
}

/** Keyed creates of one unordered createMany in flight at once: each is a few round trips of its own. */
const CLAIMS_IN_FLIGHT = 8;

async function inOrderUntilFailure<T, R extends { readonly ok: boolean }>(items: readonly T[], run: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (const item of items) {
    const result = await run(item);
    results.push(result);
    if (!result.ok) break;
  }
  return results;
}

/**
 * `width` items at a time, except that items with the same key run one after another in their order: of two items
 * that repeat an id, the first is the one created and the later one finds it (409), as in an insertMany.
 */
async function inParallelPerKey<T, R>(items: readonly T[], keyOf: (item: T) => string, width: number, run: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  const byKey = new Map<string, number[]>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    const same = byKey.get(key);
    if (same) same.push(index);
    else byKey.set(key, [index]);
  });
  const queue = [...byKey.values()];
  let next = 0;
  const worker = async () => {
    for (let at = next++; at < queue.length; at = next++) for (const index of queue[at]!) results[index] = await run(items[index]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, queue.length) }, worker));
  return results;
}

interface Parts {
  readonly db: Db;
  readonly documents: Documents;
  readonly keys: IdempotencyKeys;
  readonly indexes: MongoIndexes;
}

/**
 * The DocumentStore over MongoDB. The client is built once per process at open (that parses the URI, no I/O)
 * and connects on first use; a failed connect is retried by the next call, because the driver does not
 * reconnect a client whose first connect failed. Once connected, the driver's monitoring finds the server
 * again by itself after an outage. Every failure to reach the server becomes UnavailableError (503).
 */
class MongoDocumentStore implements DocumentStore {
  readonly kind = 'mongodb';
  readonly #client: MongoClient;
  readonly #parts: Parts;
  #connected: Promise<void> | undefined;
  #closed = false;

  constructor(options: MongoStoreOptions) {
    this.#client = new MongoClient(options.uri, {
      maxPoolSize: options.poolSize,
      connectTimeoutMS: options.connectTimeoutMs,
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs,
      socketTimeoutMS: options.socketTimeoutMs,
    });
    const db = this.#client.db(options.database ?? databaseOf(options.uri) ?? DEFAULT_DATABASE);
    const documents = new Documents(db, options.tombstoneRetentionMs);
    this.#parts = { db, documents, keys: new IdempotencyKeys(db, documents), indexes: new MongoIndexes(db) };
  }

  create(document: Document, idempotency?: IdempotencyClaim): Promise<CreateResult> {
    return this.#use(async ({ documents, keys }) =>
      idempotency ? keys.create(document, idempotency) : { document: await documents.create(document), replayed: false },
    );
  }

  /**
   * Without Idempotency-Keys, one insertMany for all the items (Documents.createMany); with them, each item claims
   * its key as a lone create does: one after another when ordered, else a few at a time (those repeating an id in order).
   */
  createMany(_collection: string, items: readonly NewDocument[], ordered: boolean): Promise<CreateOutcome[]> {
    return this.#use(async ({ documents, keys }) => {
      if (items.every((item) => item.idempotency === undefined)) {
        const outcomes = await documents.createMany(
          items.map((item) => item.document),
          ordered,
        );
        return outcomes.map((outcome) => (outcome.ok ? { ok: true, value: { document: outcome.value, replayed: false } } : outcome));
      }
      const claimOne = async ({ document, idempotency }: NewDocument): Promise<CreateOutcome> => {
        try {
          return { ok: true, value: await (idempotency ? keys.create(document, idempotency) : this.create(document)) };
        } catch (error) {
          return { ok: false, error: toStoreError(error) };
        }
      };
      return ordered ? inOrderUntilFailure(items, claimOne) : inParallelPerKey(items, ({ document }) => document.id, CLAIMS_IN_FLIGHT, claimOne);
    });
  }

  get(collection: string, id: string): Promise<Document | null> {
    return this.#use(({ documents }) => documents.get(collection, id));
  }

  replace(collection: string, id: string, { data, expectedVersion, now }: Replacement): Promise<Document> {
    return this.#use(({ documents }) => documents.replace(collection, id, data, expectedVersion, now));
  }

  /** Reads, transforms and writes conditionally on the version read; when another writer got in and the caller named no version, reads again. */
  async modify(collection: string, id: string, { transform, expectedVersion, now }: Modification): Promise<Document> {
    for (let attempt = 0; attempt < MAX_MODIFY_ATTEMPTS; attempt++) {
      const current = await this.get(collection, id);
      if (!current) throw new DocumentNotFoundError(collection, id);
      if (expectedVersion !== undefined && current.version !== expectedVersion) {
        throw new VersionMismatchError(collection, id, expectedVersion, current.version);
      }
      const data = transform(current);
      try {
        return await this.replace(collection, id, { data, expectedVersion: current.version, now });
      } catch (error) {
        if (!(error instanceof VersionMismatchError) || expectedVersion !== undefined) throw error;
      }
    }
    throw new UnavailableError(`document '${id}' is changing too fast to update; retry`, 1);
  }

  delete(collection: string, id: string, expectedVersion: number | undefined): Promise<Document> {
    return this.#use(({ documents }) => documents.delete(collection, id, expectedVersion));
  }

  query(collection: string, spec: QuerySpec): Promise<QueryResult> {
    return this.#use(({ db }) => queryPage(db, collection, spec));
  }

  count(collection: string, spec: CountSpec): Promise<number> {
    return this.#use(({ db }) => countMatching(db, collection, spec));
  }

  createIndex(collection: string, index: IndexDefinition): Promise<boolean> {
    return this.#use(({ indexes }) => indexes.create(collection, index));
  }

  listIndexes(collection: string): Promise<IndexDefinition[]> {
    return this.#use(({ indexes }) => indexes.list(collection));
  }

  dropIndex(collection: string, name: string): Promise<void> {
    return this.#use(({ indexes }) => indexes.drop(collection, name));
  }

  async ping(): Promise<void> {
    await this.#use(({ db }) => db.command({ ping: 1 }));
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#client.close();
  }

  async #use<T>(work: (parts: Parts) => Promise<T>): Promise<T> {
    if (this.#closed) throw new UnavailableError('the MongoDB store is closed');
    try {
      await this.#connect();
      return await work(this.#parts);
    } catch (error) {
      throw toStoreError(error);
    }
  }

  #connect(): Promise<void> {
    this.#connected ??= this.#client.connect().then(
      () => undefined,
      (error: unknown) => {
        this.#connected = undefined;
        throw error;
      },
    );
    return this.#connected;
  }
}

export function openMongoStore(options: MongoStoreOptions): DocumentStore {
  return new MongoDocumentStore(options);
}
