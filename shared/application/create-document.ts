import { newDocument, type Document } from '../domain/document.js';
import { documentEvent } from '../domain/events.js';
import { validateData } from '../domain/data-rules.js';
import type { CreateResult } from '../domain/ports.js';
import { collectionName, documentId } from '../domain/values.js';
import type { UseCaseDeps } from './deps.js';

export interface CreateDocumentInput {
  readonly collection: string;
  readonly id?: string | undefined;
  readonly data: unknown;
  /** Idempotency-Key with a fingerprint of the request; a retry with both equal replays the first result. */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string } | undefined;
}

export async function createDocument(deps: UseCaseDeps, input: CreateDocumentInput): Promise<CreateResult> {
  const now = deps.clock.now();
  const document = documentToCreate(deps, collectionName(input.collection), input.id, input.data, now);
  const result = await deps.store.create(document, input.idempotency);
  if (!result.replayed) deps.events.publish(documentEvent('document.created', result.document, now));
  return result;
}

/**
 * The document a create stores: under `id`, or a generated one when absent, with `data` checked against the data
 * rules (throwing what is wrong with either, named from `dataPath`). `collection` is already checked.
 */
export function documentToCreate(deps: UseCaseDeps, collection: string, id: string | undefined, data: unknown, now: Date, dataPath = 'data'): Document {
  return newDocument(collection, id === undefined ? deps.ids.next() : documentId(id), validateData(data, dataPath), now);
}
