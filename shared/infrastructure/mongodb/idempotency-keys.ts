import { randomUUID } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import type { Document } from '../../domain/document.js';
import { DocumentAlreadyExistsError, IdempotencyKeyReusedError, UnavailableError } from '../../domain/errors.js';
import type { CreateResult, IdempotencyClaim } from '../../domain/ports.js';
import type { Documents } from './documents.js';
import { isDuplicateKey } from './mongo-errors.js';
import { toDocument, toStored, type StoredDocument } from './stored-document.js';

/** The collection of claimed keys. Collection names of the contract start with a letter, so none is this. */
export const IDEMPOTENCY_COLLECTION = '_idempotency_keys';
/** How long a create's Idempotency-Key is remembered. */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
/** Expired keys are swept at most this often per process (FerretDB has no TTL indexes; this works on both). */
const PURGE_INTERVAL_MS = 60 * 60 * 1000;
/** A claim found expired or released is taken again at most this many times before the caller gets a 503. */
const MAX_CLAIM_ATTEMPTS = 3;

/** One claimed key: the request's fingerprint and the document its create writes. */
export interface StoredClaim {
  /** `<collection>/<key>`: unique, so of concurrent claims of one key exactly one is inserted. */
  _id: string;
  fingerprint: string;
  /**
   * Guards deleting or finishing this claim against a newer claim of the same key, and is kept with the document
   * the claim writes, so that whoever finishes the claim can tell that document from another create of its id.
   */
  token: string;
  /** `done` once the document is written; a `pending` claim is finished by whoever finds it. */
  state: 'pending' | 'done';
  createdAt: Date;
  document: StoredDocument;
}

/**
 * Creates with an Idempotency-Key, safe across processes without transactions (FerretDB and a standalone
 * MongoDB have none). The key is claimed first, by inserting a claim that holds the whole document to create;
 * the unique `_id` decides between concurrent requests. The winner then writes the document and marks the
 * claim done. Whoever finds an existing claim with the same fingerprint replays its document, first writing
 * it if the claim is still pending — so a writer that died between claim and document is completed by the
 * retry instead of leaving a key that replays a document that does not exist.
 */
export class IdempotencyKeys {
  #lastPurgeMs = 0;
  #indexed: Promise<unknown> | undefined;

  constructor(
    private readonly db: Db,
    private readonly documents: Documents,
  ) {}

  async create(document: Document, claim: IdempotencyClaim): Promise<CreateResult> {
    const keys = this.db.collection<StoredClaim>(IDEMPOTENCY_COLLECTION);
    await this.#maintain(keys);
    const _id = `${document.collection}/${claim.key}`;
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      const mine: StoredClaim = {
        _id,
        fingerprint: claim.fingerprint,
        token: randomUUID(),
        state: 'pending',
        createdAt: new Date(),
        document: toStored(document),
      };
      try {
        await keys.insertOne(mine);
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
        const found = await keys.findOne({ _id });
        if (!found) continue;
        if (found.createdAt.getTime() < Date.now() - IDEMPOTENCY_TTL_MS) {
          await keys.deleteOne({ _id, token: found.token });
          continue;
        }
        if (found.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError(claim.key);
        const original = toDocument(document.collection, found.document);
        return { document: found.state === 'pending' ? await this.#finish(keys, found, original) : original, replayed: true };
      }
      return { document: await this.#finish(keys, mine, document), replayed: false };
    }
    throw new UnavailableError(`Idempotency-Key '${claim.key}' is being claimed concurrently; retry`);
  }

  /**
   * Writes the claimed document unless an earlier attempt at this claim did, then marks the claim done with
   * the version it was written at (after a tombstone's, when the id had one), and returns it as written.
   */
  async #finish(keys: Collection<StoredClaim>, claim: StoredClaim, document: Document): Promise<Document> {
    const written = await this.documents.createOnce(document, claim.token);
    if (!written) {
      // Another document holds the id: the create fails, and the key must not replay a document never written.
      await keys.deleteOne({ _id: claim._id, token: claim.token });
      throw new DocumentAlreadyExistsError(document.collection, document.id);
    }
    await keys.updateOne({ _id: claim._id, token: claim.token }, { $set: { state: 'done', 'document.version': written.version } });
    return written;
  }

  /** The index the sweep uses, created once per process; expired claims deleted at most once an interval. */
  async #maintain(keys: Collection<StoredClaim>): Promise<void> {
    this.#indexed ??= keys.createIndex({ createdAt: 1 }).catch((error: unknown) => {
      this.#indexed = undefined;
      throw error;
    });
    await this.#indexed;
    const nowMs = Date.now();
    if (nowMs - this.#lastPurgeMs < PURGE_INTERVAL_MS) return;
    this.#lastPurgeMs = nowMs;
    await keys.deleteMany({ createdAt: { $lt: new Date(nowMs - IDEMPOTENCY_TTL_MS) } });
  }
}
