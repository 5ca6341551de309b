import { documentEvent } from '../domain/events.js';
import { collectionName, documentId } from '../domain/values.js';
import type { UseCaseDeps } from './deps.js';

export interface DeleteDocumentInput {
  readonly collection: string;
  readonly id: string;
  readonly expectedVersion?: number | undefined;
}

export async function deleteDocument(deps: UseCaseDeps, input: DeleteDocumentInput): Promise<void> {
  const collection = collectionName(input.collection);
  const id = documentId(input.id);
  const deleted = await deps.store.delete(collection, id, input.expectedVersion);
  deps.events.publish(documentEvent('document.deleted', deleted, deps.clock.now()));
}
