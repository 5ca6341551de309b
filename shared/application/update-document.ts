import { validateData } from '../domain/data-rules.js';
import type { Document, JsonObject } from '../domain/document.js';
import { PayloadTooLargeError } from '../domain/errors.js';
import { documentEvent } from '../domain/events.js';
import { applyJsonPatch, validateJsonPatch } from '../domain/json-patch.js';
import { applyMergePatch } from '../domain/merge-patch.js';
import { applyUpdate } from '../domain/update/apply-update.js';
import { validateUpdate } from '../domain/update/update-spec.js';
import { collectionName, documentId } from '../domain/values.js';
import type { UseCaseDeps } from './deps.js';

export type DocumentChange =
  | { readonly kind: 'replace'; readonly data: unknown }
  | { readonly kind: 'merge-patch'; readonly patch: unknown }
  /** MongoDB update operators (docs/updates.md). */
  | { readonly kind: 'operators'; readonly update: unknown }
  /** RFC 6902; a failed `test` is a 412. */
  | { readonly kind: 'json-patch'; readonly patch: unknown };

export interface UpdateDocumentInput {
  readonly collection: string;
  readonly id: string;
  readonly change: DocumentChange;
  /** The version the caller read (If-Match); undefined applies the change to whatever version is current. */
  readonly expectedVersion?: number | undefined;
  /**
   * The largest `data` (as JSON bytes) a server-side change may produce; a body is bounded by MAX_BODY_BYTES
   * but `$push` or a patch can grow data past what any client could have sent, so the result is checked too.
   */
  readonly maxDataBytes?: number | undefined;
}

/** New data from the current data; pure, may throw domain errors (which then change nothing). */
export type Transform = (current: JsonObject, now: Date) => JsonObject;

export async function updateDocument(deps: UseCaseDeps, input: UpdateDocumentInput): Promise<Document> {
  const collection = collectionName(input.collection);
  const id = documentId(input.id);
  const change = input.change;
  const updated =
    change.kind === 'replace'
      ? await deps.store.replace(collection, id, { data: validateData(change.data), expectedVersion: input.expectedVersion, now: deps.clock.now() })
      : await modify(deps, collection, id, transformFor(change, input.maxDataBytes), input);
  deps.events.publish(documentEvent('document.updated', updated, deps.clock.now()));
  return updated;
}

/**
 * Validates the change once, before any store work, and returns how it turns current data into new data.
 * `maxDataBytes` also bounds what a JSON Patch's copies may copy, which could otherwise grow data
 * exponentially before its size is checked.
 */
export function transformFor(change: Exclude<DocumentChange, { kind: 'replace' }>, maxDataBytes?: number): Transform {
  switch (change.kind) {
    case 'merge-patch': {
      const patch = validateData(change.patch, 'patch');
      return (current) => applyMergePatch(current, patch);
    }
    case 'operators': {
      const spec = validateUpdate(change.update);
      return (current, now) => applyUpdate(current, spec, now);
    }
    case 'json-patch': {
      const patch = validateJsonPatch(change.patch);
      return (current) => applyJsonPatch(current, patch, maxDataBytes);
    }
  }
}

/** The store applies the change atomically; the result is checked here, inside the store's read-modify-write. */
function modify(deps: UseCaseDeps, collection: string, id: string, transform: Transform, input: UpdateDocumentInput): Promise<Document> {
  const now = deps.clock.now();
  const checked = (current: Document) => {
    const data = validateData(transform(current.data, now));
    if (input.maxDataBytes !== undefined) checkSize(data, input.maxDataBytes);
    return data;
  };
  return deps.store.modify(collection, id, { transform: checked, expectedVersion: input.expectedVersion, now });
}

export function checkSize(data: JsonObject, maxBytes: number): void {
  const bytes = Buffer.byteLength(JSON.stringify(data));
  if (bytes > maxBytes) throw new PayloadTooLargeError(`the updated data would be ${bytes} bytes, over the limit of ${maxBytes}`);
}
