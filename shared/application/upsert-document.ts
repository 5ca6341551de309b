import { validateData } from '../domain/data-rules.js';
import { newDocument, type Document, type JsonObject } from '../domain/document.js';
import { DocumentAlreadyExistsError, DocumentExistsPreconditionError, DocumentNotFoundError, UnavailableError } from '../domain/errors.js';
import { documentEvent } from '../domain/events.js';
import { collectionName, documentId } from '../domain/values.js';
import type { UseCaseDeps } from './deps.js';

export interface UpsertDocumentInput {
  readonly collection: string;
  readonly id: string;
  readonly data: unknown;
  /** 'upsert': replace, or create when absent; 'create-only' (If-None-Match: *): create, or fail when present. */
  readonly mode: 'upsert' | 'create-only';
}

export interface UpsertResult {
  readonly document: Document;
  readonly created: boolean;
}

/**
 * Each round is one replace then one create; a round only repeats when a racing create and delete keep
 * swapping the document under us, so a small bound is plenty. Past it the caller gets a retryable 503.
 */
const MAX_UPSERT_ROUNDS = 8;

/** PUT that may create. Creating goes through the store's create, so a tombstone's version is continued. */
export async function upsertDocument(deps: UseCaseDeps, input: UpsertDocumentInput): Promise<UpsertResult> {
  const collection = collectionName(input.collection);
  const id = documentId(input.id);
  const data = validateData(input.data);
  if (input.mode === 'create-only') {
    try {
      return await create(deps, collection, id, data);
    } catch (error) {
      throw error instanceof DocumentAlreadyExistsError ? new DocumentExistsPreconditionError(collection, id) : error;
    }
  }
  for (let round = 0; round < MAX_UPSERT_ROUNDS; round++) {
    try {
      const document = await deps.store.replace(collection, id, { data, now: deps.clock.now() });
      deps.events.publish(documentEvent('document.updated', document, deps.clock.now()));
      return { document, created: false };
    } catch (error) {
      if (!(error instanceof DocumentNotFoundError)) throw error;
    }
    try {
      return await create(deps, collection, id, data);
    } catch (error) {
      // Another client created it between our replace and create: replace that one.
      if (!(error instanceof DocumentAlreadyExistsError)) throw error;
    }
  }
  throw new UnavailableError(`document '${id}' is being created and deleted too fast to upsert; retry`, 1);
}

async function create(deps: UseCaseDeps, collection: string, id: string, data: JsonObject): Promise<UpsertResult> {
  const now = deps.clock.now();
  const { document } = await deps.store.create(newDocument(collection, id, data, now));
  deps.events.publish(documentEvent('document.created', document, now));
  return { document, created: true };
}
