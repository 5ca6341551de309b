import type { Document } from '../domain/document.js';
import { DocumentNotFoundError } from '../domain/errors.js';
import { collectionName, documentId } from '../domain/values.js';
import type { UseCaseDeps } from './deps.js';

export interface GetDocumentInput {
  readonly collection: string;
  readonly id: string;
}

export async function getDocument(deps: Pick<UseCaseDeps, 'store'>, input: GetDocumentInput): Promise<Document> {
  const collection = collectionName(input.collection);
  const id = documentId(input.id);
  const document = await deps.store.get(collection, id);
  if (!document) throw new DocumentNotFoundError(collection, id);
  return document;
}
