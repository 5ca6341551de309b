import { validateData } from '../domain/data-rules.js';
import type { Document, JsonObject } from '../domain/document.js';
import { DocumentNotFoundError, UnavailableError, VersionMismatchError } from '../domain/errors.js';
import { documentEvent } from '../domain/events.js';
import { applyMergePatch } from '../domain/merge-patch.js';
import { collectionName, documentId } from '../domain/values.js';
import type { UseCaseDeps } from './deps.js';

export type DocumentChange =
  | { readonly kind: 'replace'; readonly data: unknown }
  | { readonly kind: 'merge-patch'; readonly patch: unknown };

export interface UpdateDocumentInput {
  readonly collection: string;
  readonly id: string;
  readonly change: DocumentChange;
  /** The version the caller read (If-Match); undefined applies the change to whatever version is current. */
  readonly expectedVersion?: number | undefined;
}

/**
 * An unconditional merge patch is read-modify-write; it retries on a concurrent change so no increment is lost.
 * The bound keeps a pathological hot key from spinning forever: past it the caller gets a retryable 503.
 */
const MAX_PATCH_ATTEMPTS = 64;

export async function updateDocument(deps: UseCaseDeps, input: UpdateDocumentInput): Promise<Document> {
  const collection = collectionName(input.collection);
  const id = documentId(input.id);
  const updated =
    input.change.kind === 'replace'
      ? await deps.store.replace(collection, id, { data: validateData(input.change.data), expectedVersion: input.expectedVersion, now: deps.clock.now() })
      : await patch(deps, collection, id, validateData(input.change.patch, 'patch'), input.expectedVersion);
  deps.events.publish(documentEvent('document.updated', updated, deps.clock.now()));
  return updated;
}

async function patch(
  deps: UseCaseDeps,
  collection: string,
  id: string,
  mergePatch: JsonObject,
  expectedVersion: number | undefined,
): Promise<Document> {
  for (let attempt = 0; attempt < MAX_PATCH_ATTEMPTS; attempt++) {
    const current = await deps.store.get(collection, id);
    if (!current) throw new DocumentNotFoundError(collection, id);
    if (expectedVersion !== undefined && current.version !== expectedVersion) {
      throw new VersionMismatchError(collection, id, expectedVersion, current.version);
    }
    const data = validateData(applyMergePatch(current.data, mergePatch));
    try {
      return await deps.store.replace(collection, id, { data, expectedVersion: current.version, now: deps.clock.now() });
    } catch (error) {
      // Another writer got in between our read and write: with If-Match that is the caller's 412, without it we re-read.
      if (!(error instanceof VersionMismatchError) || expectedVersion !== undefined) throw error;
    }
  }
  throw new UnavailableError(`document '${id}' is changing too fast to patch; retry`, 1);
}
