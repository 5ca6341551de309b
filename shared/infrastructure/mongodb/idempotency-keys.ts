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
/**
 * How long a pending claim is its writer's alone to finish. Until then a retry that finds it waits for the
 * writer rather than writing the document itself: the writer may have written it already, and a delete since
 * would let the retry create it again, as a new incarnation, answering another version. Past this the writer is
 * taken to have died (its work is a few round trips, each bounded by the socket timeout), and a retry finishes
 * the claim.
 */
export const CLAIM_LEASE_MS = 30_000;
/**
 * How long a create waits for the claims of others before answering 503 (Retry-After: 1): for a pending claim's
 * writer, and for its turn when claims of the same key keep being made and released (their creates failed).
 */
const CLAIM_WAIT_MS = 2_000;
/** Pause between looks at a pending claim. */
const PENDING_POLL_MS = 10;

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
 * claim done. Whoever finds an existing claim with the same fingerprint replays its document: once the claim
 * is done, or, when it is still pending past its lease, after writing the document itself — so a writer that
 * died between claim and document is completed by the retry instead of leaving a key that replays a document
 * that does not exist.
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
    const waitUntil = Date.now() + CLAIM_WAIT_MS;
    for (let attempt = 0; attempt === 0 || Date.now() < waitUntil; attempt++) {
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
        const found = await this.#settled(keys, _id, claim, waitUntil);
        if (!found) continue;
        if (found.fingerprint !== claim.fingerprint) throw new IdempotencyKeyReusedError(claim.key);
        const original = toDocument(document.collection, found.document);
        return { document: found.state === 'pending' ? await this.#finish(keys, found, original) : original, replayed: true };
      }
      return { document: await this.#finish(keys, mine, document), replayed: false };
    }
    throw new UnavailableError(`Idempotency-Key '${claim.key}' is being claimed concurrently; retry`);
  }

  /**
   * The claim another request holds, once there is something to answer from it: done, made with another body, or
   * pending past its lease (its writer died). Undefined when it is gone (its create failed, or it expired and is
   * deleted here): the key is free to claim again. A claim its writer is still finishing is waited for, until
   * `waitUntil`, then the retry answers 503.
   */
  async #settled(keys: Collection<StoredClaim>, _id: string, claim: IdempotencyClaim, waitUntil: number): Promise<StoredClaim | undefined> {
    for (;;) {
      const found = await keys.findOne({ _id });
      if (!found) return undefined;
      const age = Date.now() - found.createdAt.getTime();
      if (age > IDEMPOTENCY_TTL_MS) {
        await keys.deleteOne({ _id, token: found.token });
        return undefined;
      }
      if (found.state === 'done' || found.fingerprint !== claim.fingerprint || age >= CLAIM_LEASE_MS) return found;
      if (Date.now() >= waitUntil) throw new UnavailableError(`Idempotency-Key '${claim.key}' is held by a create still under way; retry`);
      await new Promise((resolve) => setTimeout(resolve, PENDING_POLL_MS));
    }
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
