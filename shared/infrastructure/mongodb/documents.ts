import type { Db } from 'mongodb';
import type { Document, JsonObject } from '../../domain/document.js';
import { DocumentAlreadyExistsError, DocumentNotFoundError, VersionMismatchError } from '../../domain/errors.js';
import { isDuplicateKey } from './mongo-errors.js';
import { toDocument, toStored, type StoredDocument } from './stored-document.js';

/** The filter of a change: the document, and its version when the caller expects one. */
function guard(id: string, expectedVersion: number | undefined) {
  return expectedVersion === undefined ? { _id: id } : { _id: id, version: expectedVersion };
}

/**
 * The single-document operations. Every change is one atomic operation on one document, guarded by `version`
 * when the caller expects one, so a stale writer changes nothing. Only when the guarded operation matched
 * nothing does a second read tell "missing" (404) from "stale" (412).
 */
export class Documents {
  constructor(private readonly db: Db) {}

  async create(document: Document): Promise<Document> {
    try {
      await this.#collection(document.collection).insertOne(toStored(document));
    } catch (error) {
      if (isDuplicateKey(error)) throw new DocumentAlreadyExistsError(document.collection, document.id);
      throw error;
    }
    return document;
  }

  /**
   * Creates `document` unless its id exists; true when it was written now or is already there exactly as
   * given (same creation time and data: a concurrent attempt at this very create got there first).
   */
  async createOnce(document: Document): Promise<boolean> {
    try {
      await this.create(document);
      return true;
    } catch (error) {
      if (!(error instanceof DocumentAlreadyExistsError)) throw error;
    }
    const existing = await this.get(document.collection, document.id);
    return (
      existing !== null &&
      existing.createdAt === document.createdAt &&
      JSON.stringify(existing.data) === JSON.stringify(document.data)
    );
  }

  async get(collection: string, id: string): Promise<Document | null> {
    const stored = await this.#collection(collection).findOne({ _id: id });
    return stored ? toDocument(collection, stored) : null;
  }

  async replace(collection: string, id: string, data: JsonObject, expectedVersion: number | undefined, now: Date): Promise<Document> {
    const change = { $inc: { version: 1 }, $set: { data, updatedAt: now } };
    const stored = await this.#collection(collection).findOneAndUpdate(guard(id, expectedVersion), change, {
      returnDocument: 'after',
    });
    if (stored) return toDocument(collection, stored);
    throw await this.#whyNot(collection, id, expectedVersion);
  }

  async delete(collection: string, id: string, expectedVersion: number | undefined): Promise<Document> {
    const stored = await this.#collection(collection).findOneAndDelete(guard(id, expectedVersion));
    if (stored) return toDocument(collection, stored);
    throw await this.#whyNot(collection, id, expectedVersion);
  }

  /**
   * Why a change matched nothing. A document found at the expected version now was created after the change
   * looked, so at that moment it was missing.
   */
  async #whyNot(collection: string, id: string, expectedVersion: number | undefined): Promise<Error> {
    const current = await this.#collection(collection).findOne({ _id: id }, { projection: { version: 1 } });
    if (current && expectedVersion !== undefined && current.version !== expectedVersion) {
      return new VersionMismatchError(collection, id, expectedVersion, current.version);
    }
    return new DocumentNotFoundError(collection, id);
  }

  #collection(collection: string) {
    return this.db.collection<StoredDocument>(collection);
  }
}
