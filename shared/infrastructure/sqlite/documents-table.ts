import type { DatabaseSync } from 'node:sqlite';
import type { Document, JsonObject } from '../../domain/document.js';
import { isoTimestamp } from '../../domain/timestamps.js';
import {
  DocumentAlreadyExistsError,
  DocumentNotFoundError,
  IdempotencyKeyReusedError,
  VersionMismatchError,
} from '../../domain/errors.js';
import type { CreateResult, DocumentTransform, IdempotencyClaim } from '../../domain/ports.js';
import type { IndexEntries, StoredIndex } from './index-entries.js';
import { DOCUMENT_COLUMNS, toDocument, toStoredDocument, type DocumentRow } from './rows.js';
import { readsBackTheSame } from './json-round-trip.js';
import { MultiRowInsert } from './multi-row-insert.js';
import { isPrimaryKeyViolation } from './sqlite-errors.js';
import { prepare, prepareColumn, type Statement } from './statements.js';
import { TombstoneClearing } from './tombstone-clearing.js';
import { atomically } from './transactions.js';

/** How long a create's Idempotency-Key is remembered. */
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Expired keys are swept at most this often per connection, inside a create that already holds the lock. */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;

type Key = [collection: string, id: string];

interface ClaimedKey {
  readonly fingerprint: string;
  readonly document: string;
}

/**
 * The single-document operations over prepared statements. Changes are called inside the store's write
 * transaction (IMMEDIATE), so when a guarded statement touches no row, the follow-up read that tells
 * "missing" from "stale" sees the same state the statement saw. Each change is one statement, except a
 * create with an idempotency key, which is a savepoint of its own.
 */
export class DocumentsTable {
  readonly #insert: Statement<[string, string, string, string, number, string, string, string], number>;
  readonly #insertMany: MultiRowInsert;
  readonly #tombstones: TombstoneClearing;
  readonly #select: Statement<Key, DocumentRow>;
  readonly #selectVersion: Statement<Key, number>;
  readonly #replace: Statement<[string, string, ...Key], DocumentRow>;
  readonly #replaceAt: Statement<[string, string, ...Key, number], DocumentRow>;
  readonly #delete: Statement<Key, DocumentRow>;
  readonly #deleteAt: Statement<[...Key, number], DocumentRow>;
  readonly #findKey: Statement<[string, string, number], ClaimedKey>;
  readonly #claimKey: Statement<[string, string, string, string, number]>;
  readonly #purgeKeys: Statement<[number]>;
  readonly #purgeTombstones: Statement<[number]>;
  /** Undefined: tombstones are kept for ever. */
  readonly #tombstoneRetentionMs: number | undefined;
  readonly #createClaimed: (document: Document, json: string, claim: IdempotencyClaim, indexes: readonly StoredIndex[]) => CreateResult;
  readonly #indexes: IndexEntries;
  readonly #atomically: (work: () => Document) => Document;
  #lastPurgeMs = 0;
  #lastTombstonePurgeMs = 0;

  constructor(db: DatabaseSync, indexes: IndexEntries, tombstoneRetentionMs: number | undefined) {
    this.#tombstoneRetentionMs = tombstoneRetentionMs;
    this.#indexes = indexes;
    // Nested inside the batch's transaction this is a savepoint: a change and its index entries stand or fall together.
    this.#atomically = (work) => atomically(db, work);
    const where = 'WHERE collection = ? AND id = ?';
    // A new id starts at the document's version (1); an id with a tombstone continues after it.
    this.#insert = prepareColumn(
      db,
      `INSERT INTO documents (${DOCUMENT_COLUMNS}) VALUES (?, ?, ` +
        'COALESCE((SELECT version + 1 FROM tombstones WHERE collection = ? AND id = ?), ?), ?, ?, ?) RETURNING version',
    );
    this.#tombstones = new TombstoneClearing(db);
    this.#insertMany = new MultiRowInsert(db, this.#tombstones);
    this.#select = prepare(db, `SELECT ${DOCUMENT_COLUMNS} FROM documents ${where}`);
    this.#selectVersion = prepareColumn(db, `SELECT version FROM documents ${where}`);
    const update = 'UPDATE documents SET version = version + 1, updated_at = ?, data = ?';
    this.#replace = prepare(db, `${update} ${where} RETURNING ${DOCUMENT_COLUMNS}`);
    this.#replaceAt = prepare(db, `${update} ${where} AND version = ? RETURNING ${DOCUMENT_COLUMNS}`);
    this.#delete = prepare(db, `DELETE FROM documents ${where} RETURNING ${DOCUMENT_COLUMNS}`);
    this.#deleteAt = prepare(db, `DELETE FROM documents ${where} AND version = ? RETURNING ${DOCUMENT_COLUMNS}`);
    this.#findKey = prepare(
      db,
      'SELECT fingerprint, document FROM idempotency_keys WHERE collection = ? AND key = ? AND created_at_ms >= ?',
    );
    // REPLACE only ever overwrites an expired claim: a live one is found first, under the same write lock.
    this.#claimKey = prepare(
      db,
      'INSERT OR REPLACE INTO idempotency_keys (collection, key, fingerprint, document, created_at_ms) VALUES (?, ?, ?, ?, ?)',
    );
    this.#purgeKeys = prepare(db, 'DELETE FROM idempotency_keys WHERE created_at_ms < ?');
    this.#purgeTombstones = prepare(db, 'DELETE FROM tombstones WHERE deleted_at_ms <= ?');

    this.#createClaimed = (...args) => atomically(db, () => this.#createOnce(...args), 'immediate');
  }

  /**
   * `indexes`: the collection's, when the caller has read them in this transaction already (a batch of creates
   * reads them once: nothing else can change them while the transaction holds the write lock).
   */
  create(document: Document, claim: IdempotencyClaim | undefined, indexes = this.indexesOf(document.collection)): CreateResult {
    this.#purgeExpiredTombstones();
    const json = JSON.stringify(document.data);
    if (claim) return this.#createClaimed(document, json, claim, indexes);
    return { document: this.#insertNew(document, json, indexes), replayed: false };
  }

  /**
   * New documents of `collection`, which has no indexes, none claiming an Idempotency-Key: at most
   * ROWS_PER_INSERT, in one statement. Returns each document as `create` would, or undefined for one left out
   * (its id exists, or repeats an earlier one of `documents`): `create` of it tells why.
   */
  createMany(collection: string, documents: readonly Document[]): Array<Document | undefined> {
    this.#purgeExpiredTombstones();
    const json = documents.map((document) => JSON.stringify(document.data));
    const versions = this.#insertMany.insert(collection, documents, json);
    return documents.map((document, i) => {
      const version = versions[i];
      return version === undefined ? undefined : this.#stored(document, version, json[i]!);
    });
  }

  indexesOf(collection: string): StoredIndex[] {
    return this.#indexes.indexesOf(collection);
  }

  /** The document as stored: its data is parsed only when read (a get answered as it is never parses it). */
  get(collection: string, id: string): Document | null {
    const row = this.#select.get(collection, id);
    return row ? toStoredDocument(row) : null;
  }

  replace(collection: string, id: string, data: JsonObject, expectedVersion: number | undefined, now: Date): Document {
    const indexes = this.#indexes.indexesOf(collection);
    if (indexes.length === 0) return this.#replaceRow(collection, id, data, expectedVersion, now);
    return this.#atomically(() => {
      const replaced = this.#replaceRow(collection, id, data, expectedVersion, now);
      this.#indexes.write(this.#indexes.prepare(collection, id, replaced.data, indexes), true);
      return replaced;
    });
  }

  #replaceRow(collection: string, id: string, data: JsonObject, expectedVersion: number | undefined, now: Date): Document {
    const key: Key = [collection, id];
    const json = JSON.stringify(data);
    const updatedAt = isoTimestamp(now);
    const row =
      expectedVersion === undefined
        ? this.#replace.get(updatedAt, json, ...key) ?? this.#missing(key)
        : this.#existing(this.#replaceAt.get(updatedAt, json, ...key, expectedVersion), key, expectedVersion);
    return toDocument(row);
  }

  /** Runs inside the write transaction, so the row read is the row replaced. */
  modify(collection: string, id: string, transform: DocumentTransform, expectedVersion: number | undefined, now: Date): Document {
    const current = this.get(collection, id);
    if (!current) throw new DocumentNotFoundError(collection, id);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new VersionMismatchError(collection, id, expectedVersion, current.version);
    }
    return this.replace(collection, id, transform(current), current.version, now);
  }

  delete(collection: string, id: string, expectedVersion: number | undefined): Document {
    this.#purgeExpiredTombstones();
    const key: Key = [collection, id];
    const row =
      expectedVersion === undefined
        ? this.#delete.get(...key) ?? this.#missing(key)
        : this.#existing(this.#deleteAt.get(...key, expectedVersion), key, expectedVersion);
    return toDocument(row);
  }

  /** Runs inside the IMMEDIATE transaction: the key lookup and the insert see one state. */
  #createOnce(document: Document, json: string, claim: IdempotencyClaim, indexes: readonly StoredIndex[]): CreateResult {
    const nowMs = Date.now();
    if (nowMs - this.#lastPurgeMs >= PURGE_INTERVAL_MS) {
      this.#purgeKeys.run(nowMs - IDEMPOTENCY_TTL_MS);
      this.#lastPurgeMs = nowMs;
    }
    const claimed = this.#findKey.get(document.collection, claim.key, nowMs - IDEMPOTENCY_TTL_MS);
    if (claimed) {
      if (claimed.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError(claim.key);
      return { document: JSON.parse(claimed.document) as Document, replayed: true };
    }
    const created = this.#insertNew(document, json, indexes);
    this.#claimKey.run(document.collection, claim.key, claim.fingerprint, JSON.stringify(created), nowMs);
    return { document: created, replayed: false };
  }

  /**
   * Returns the document as `get` would: at the version it was stored with (after a tombstone's, if the id had
   * one), and data as a read gives it back.
   */
  #insertNew(document: Document, json: string, indexes: readonly StoredIndex[]): Document {
    if (indexes.length === 0) return this.#insertRow(document, json);
    return this.#atomically(() => {
      const created = this.#insertRow(document, json);
      this.#indexes.write(this.#indexes.prepare(created.collection, created.id, created.data, indexes), false);
      return created;
    });
  }

  #insertRow(document: Document, json: string): Document {
    const { collection, id } = document;
    let version: number;
    try {
      version = this.#insert.get(collection, id, collection, id, document.version, document.createdAt, document.updatedAt, json)!;
    } catch (error) {
      if (isPrimaryKeyViolation(error)) throw new DocumentAlreadyExistsError(collection, id);
      throw error;
    }
    this.#tombstones.created(collection, id, document.version, version);
    return this.#stored(document, version, json);
  }

  /**
   * The document as stored at `version`, equal to what `get` returns. Its data is parsed back from `json` only
   * when it would read back different (e.g. -0 is stored as 0); otherwise the caller's document is it.
   */
  #stored(document: Document, version: number, json: string): Document {
    const data = readsBackTheSame(document.data) ? document.data : (JSON.parse(json) as JsonObject);
    return version === document.version && data === document.data ? document : { ...document, version, data };
  }

  /**
   * With a retention set, forgets tombstones that have reached its age, at most once per interval (or per
   * retention, when shorter), inside a write that already holds the lock. An id whose tombstone is gone starts
   * over at version 1.
   */
  #purgeExpiredTombstones(): void {
    const retentionMs = this.#tombstoneRetentionMs;
    if (retentionMs === undefined) return;
    const nowMs = Date.now();
    if (nowMs - this.#lastTombstonePurgeMs < Math.min(PURGE_INTERVAL_MS, retentionMs)) return;
    this.#purgeTombstones.run(nowMs - retentionMs);
    this.#lastTombstonePurgeMs = nowMs;
  }

  /** After a guarded statement: its row, or why there was none. */
  #existing(row: DocumentRow | undefined, key: Key, expected: number): DocumentRow {
    if (row) return row;
    const actual = this.#selectVersion.get(...key);
    if (actual === undefined) this.#missing(key);
    throw new VersionMismatchError(key[0], key[1], expected, actual);
  }

  #missing([collection, id]: Key): never {
    throw new DocumentNotFoundError(collection, id);
  }
}
