import { newDocument } from '../domain/document.js';
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
  const collection = collectionName(input.collection);
  const id = input.id === undefined ? deps.ids.next() : documentId(input.id);
  const data = validateData(input.data);
  const now = deps.clock.now();
  const result = await deps.store.create(newDocument(collection, id, data, now), input.idempotency);
  if (!result.replayed) deps.events.publish(documentEvent('document.created', result.document, now));
  return result;
}
