import { MongoBulkWriteError, type Db } from 'mongodb';
import type { Document, JsonObject } from '../../domain/document.js';
import {
  DocumentAlreadyExistsError,
  DocumentNotFoundError,
  DuplicateKeyError,
  UnavailableError,
  VersionMismatchError,
} from '../../domain/errors.js';
import type { Outcome } from '../../domain/ports.js';
import { duplicateIndexOf, toStoreError } from './mongo-errors.js';
import { LIVE, toDocument, toStored, type StoredDocument } from './stored-document.js';
import { SweepSchedule } from './sweep-schedule.js';

/**
 * Items an ordered insertMany is given at most. FerretDB v1 stops at a refused item only within its hundred
 * and still writes the next hundred; MongoDB stops at once, so there the cost is a round trip per hundred.
 */
const ORDERED_INSERT_ITEMS = 100;

/** The filter of a change: the live document, and its version when the caller expects one. */
function guard(id: string, expectedVersion: number | undefined) {
  return expectedVersion === undefined ? { _id: id, ...LIVE } : { _id: id, ...LIVE, version: expectedVersion };
}

/** Tombstones are swept at most this often per collection and process (or once per retention, when shorter). */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;
/** Collections whose last sweep a process remembers (see SweepSchedule). */
const REMEMBERED_SWEEPS = 1_000;
/**
 * A create that finds a tombstone turns it back into a document, guarded by the tombstone's version; when
 * another writer changed the id in between, it looks again, at most this many times before a retryable 503.
 */
const MAX_CREATE_ATTEMPTS = 3;

/**
 * The single-document operations. Every change is one atomic operation on one document, guarded by `version`
 * when the caller expects one, so a stale writer changes nothing. Only when the guarded operation matched
 * nothing does a second read tell "missing" (404) from "stale" (412). A delete leaves a tombstone (see
 * StoredDocument), so versions keep growing across a delete and a create of the same id.
 */
export class Documents {
  readonly #sweeps: SweepSchedule | undefined;

  constructor(
    private readonly db: Db,
    /** Undefined: tombstones are kept for ever. */
    private readonly tombstoneRetentionMs: number | undefined,
  ) {
    if (tombstoneRetentionMs !== undefined) this.#sweeps = new SweepSchedule(Math.min(PURGE_INTERVAL_MS, tombstoneRetentionMs), REMEMBERED_SWEEPS);
  }

  /**
   * Returns the document as stored: at version 1, or after the tombstone's version when the id had one.
   * `claim`: the token of the Idempotency-Key claim this create finishes, kept with the document.
   */
  async create(document: Document, claim?: string): Promise<Document> {
    const collection = this.#collection(document.collection);
    for (let attempt = 0; attempt < MAX_CREATE_ATTEMPTS; attempt++) {
      let named: string;
      try {
        await collection.insertOne(toStored(document, claim));
        return document;
      } catch (error) {
        const index = duplicateIndexOf(error);
        if (index === undefined) throw error;
        if (index !== '_id_' && index !== '') throw new DuplicateKeyError(document.collection, index);
        named = index;
      }
      const existing = await collection.findOne({ _id: document.id }, { projection: { version: 1, deletedAt: 1 } });
      if (!existing) {
        // No document holds the id: a unique secondary index refused the insert (a server that names no index,
        // like FerretDB, leaves that to be found out here), or a purge took the tombstone meanwhile: try again.
        if (named === '') throw await this.#duplicateKey(document.collection, '');
        continue;
      }
      if (existing.deletedAt === undefined) throw new DocumentAlreadyExistsError(document.collection, document.id);
      const revived = { ...document, version: existing.version + 1 };
      const { _id, ...fields } = toStored(revived, claim);
      const result = await collection
        .updateOne({ _id, version: existing.version, deletedAt: { $exists: true } }, { $set: fields, $unset: { deletedAt: '' } })
        .catch(async (error: unknown) => {
          throw await this.#uniqueViolation(error, document.collection);
        });
      if (result.matchedCount === 1) return revived;
    }
    throw new UnavailableError(`document '${document.id}' is being created and deleted concurrently; retry`);
  }

  /**
   * Inserts the documents (all of one collection) with insertMany; an item it refuses (its id held by a
   * document or a tombstone, a unique index, another item of the same call) then goes through `create` alone,
   * which tells those apart. Ordered: one outcome per item up to the first that fails even alone, and at most
   * ORDERED_INSERT_ITEMS items an insertMany, as FerretDB v1 goes on with the next hundred past a refused item.
   */
  async createMany(documents: readonly Document[], ordered: boolean): Promise<Array<Outcome<Document>>> {
    const outcomes: Array<Outcome<Document>> = [];
    let from = 0;
    while (from < documents.length) {
      const rest = documents.slice(from, ordered ? from + ORDERED_INSERT_ITEMS : undefined);
      const refused = await this.#insertMany(rest, ordered);
      const stop = ordered ? Math.min(rest.length, ...refused) : rest.length;
      for (let i = 0; i < stop; i++) outcomes.push(refused.has(i) ? await this.#createAlone(rest[i]!) : { ok: true, value: rest[i]! });
      if (stop === rest.length) {
        from += rest.length;
        continue;
      }
      const alone = await this.#createAlone(rest[stop]!);
      outcomes.push(alone);
      if (!alone.ok) break;
      from += stop + 1;
    }
    return outcomes;
  }

  /**
   * The positions of the documents insertMany refused (ordered: it tries none after the first it refuses). The
   * driver also reports a lost connection or a timeout as a MongoBulkWriteError, with no write error: then no
   * item was refused, and any of them may or may not be stored, so the whole call is unavailable.
   */
  async #insertMany(documents: readonly Document[], ordered: boolean): Promise<Set<number>> {
    try {
      await this.#collection(documents[0]!.collection).insertMany(documents.map((document) => toStored(document)), { ordered });
      return new Set();
    } catch (error) {
      if (!(error instanceof MongoBulkWriteError)) throw error;
      const writeErrors = Array.isArray(error.writeErrors) ? error.writeErrors : [error.writeErrors];
      if (writeErrors.length === 0) throw new UnavailableError(`MongoDB store unavailable (${error.message})`, 1, { cause: error });
      return new Set(writeErrors.map((writeError) => writeError.index));
    }
  }

  async #createAlone(document: Document): Promise<Outcome<Document>> {
    try {
      return { ok: true, value: await this.create(document) };
    } catch (error) {
      return { ok: false, error: toStoreError(error) };
    }
  }

  /**
   * Creates `document` for the Idempotency-Key claim whose token is `claim`, unless its id exists; returns it as
   * stored when it was written now or by an earlier attempt at this claim (a concurrent retry, or a writer that
   * died before marking the claim done), and null when another create holds the id, even one with the same data.
   */
  async createOnce(document: Document, claim: string): Promise<Document | null> {
    try {
      return await this.create(document, claim);
    } catch (error) {
      if (!(error instanceof DocumentAlreadyExistsError)) throw error;
    }
    const existing = await this.#collection(document.collection).findOne({ _id: document.id, ...LIVE });
    return existing?.claim === claim ? toDocument(document.collection, existing) : null;
  }

  async get(collection: string, id: string): Promise<Document | null> {
    const stored = await this.#collection(collection).findOne({ _id: id, ...LIVE });
    return stored ? toDocument(collection, stored) : null;
  }

  async replace(collection: string, id: string, data: JsonObject, expectedVersion: number | undefined, now: Date): Promise<Document> {
    const change = { $inc: { version: 1 }, $set: { data, updatedAt: now } };
    const stored = await this.#collection(collection)
      .findOneAndUpdate(guard(id, expectedVersion), change, { returnDocument: 'after' })
      .catch(async (error: unknown) => {
        throw await this.#uniqueViolation(error, collection);
      });
    if (stored) return toDocument(collection, stored);
    throw await this.#whyNot(collection, id, expectedVersion);
  }

  /** Turns the document into its tombstone and returns the document as it was. */
  async delete(collection: string, id: string, expectedVersion: number | undefined): Promise<Document> {
    const now = new Date();
    await this.#purgeExpiredTombstones(collection, now.getTime());
    const tombstone = { $inc: { version: 1 }, $set: { deletedAt: now }, $unset: { data: '', createdAt: '', updatedAt: '', claim: '' } } as const;
    const stored = await this.#collection(collection).findOneAndUpdate(guard(id, expectedVersion), tombstone, {
      returnDocument: 'before',
    });
    if (stored) return toDocument(collection, stored);
    throw await this.#whyNot(collection, id, expectedVersion);
  }

  /**
   * Why a change matched nothing. A document found at the expected version now was created after the change
   * looked, so at that moment it was missing; a tombstone is missing.
   */
  async #whyNot(collection: string, id: string, expectedVersion: number | undefined): Promise<Error> {
    const current = await this.#collection(collection).findOne({ _id: id, ...LIVE }, { projection: { version: 1 } });
    if (current && expectedVersion !== undefined && current.version !== expectedVersion) {
      return new VersionMismatchError(collection, id, expectedVersion, current.version);
    }
    return new DocumentNotFoundError(collection, id);
  }

  /**
   * With a retention set, forgets the collection's tombstones that have reached its age, at most once per
   * interval. The sweep reads the whole collection (no index on `deletedAt`, which every insert would pay for);
   * once an hour is cheap.
   */
  async #purgeExpiredTombstones(collection: string, nowMs: number): Promise<void> {
    const retentionMs = this.tombstoneRetentionMs;
    if (retentionMs === undefined || !this.#sweeps?.claim(collection, nowMs)) return;
    await this.#collection(collection).deleteMany({ deletedAt: { $lte: new Date(nowMs - retentionMs) } });
  }

  /** A write refused by a unique secondary index, as the domain says it; any other error as it was. */
  async #uniqueViolation(error: unknown, collection: string): Promise<unknown> {
    const index = duplicateIndexOf(error);
    return index === undefined ? error : this.#duplicateKey(collection, index);
  }

  /**
   * The DuplicateKeyError naming the index. A server that does not say which index refused (FerretDB) leaves it
   * to be found: the collection's one unique index, when it has exactly one.
   */
  async #duplicateKey(collection: string, index: string): Promise<DuplicateKeyError> {
    if (index) return new DuplicateKeyError(collection, index);
    const unique = (await this.#collection(collection).listIndexes().toArray()).filter((d) => d.unique && d.name !== '_id_');
    return new DuplicateKeyError(collection, unique.length === 1 ? String(unique[0]!.name) : 'a unique index');
  }

  #collection(collection: string) {
    return this.db.collection<StoredDocument>(collection);
  }
}
