import type { Document } from '../domain/document.js';
import { NotAttemptedError } from '../domain/errors.js';
import { documentEvent } from '../domain/events.js';
import type { CreateOutcome, NewDocument } from '../domain/ports.js';
import { collectionName } from '../domain/values.js';
import { documentToCreate } from './create-document.js';
import type { UseCaseDeps } from './deps.js';

/** 1..1,000 documents per bulk create (docs/api.md). */
export const MAX_BULK_DOCUMENTS = 1000;

export interface BulkCreateInput {
  readonly collection: string;
  /**
   * Each item checked and created as a create alone would be: `check` turns the raw item into its id and data
   * (throwing what a lone create would answer for it, e.g. a 400 naming `documents[3].data`).
   */
  readonly items: readonly unknown[];
  readonly check: (item: unknown, index: number) => { readonly id?: string | undefined; readonly data: unknown };
  /** Stop at the first failure; every later item is a NotAttemptedError. */
  readonly ordered: boolean;
  /** The request's Idempotency-Key and body fingerprint; each item claims its own key derived from it. */
  readonly idempotency?: { readonly key: string; readonly fingerprint: string } | undefined;
}

export type BulkItemOutcome = { readonly document: Document } | { readonly error: unknown };

/**
 * Each item is its own create (its own atomic change, version, event); there is no transaction around them.
 * The items that pass their checks go to the store in one call, so it can write them together (SQLite: one
 * write transaction; MongoDB: one insertMany). With an Idempotency-Key, item i claims `<key> i` with the whole
 * request's fingerprint, so a retried request replays every item it created and only tries again the ones that
 * failed. A key has no spaces, so no single create's key is ever an item's.
 */
export async function bulkCreate(deps: UseCaseDeps, input: BulkCreateInput): Promise<BulkItemOutcome[]> {
  const collection = collectionName(input.collection);
  const now = deps.clock.now();
  const outcomes = new Array<BulkItemOutcome | undefined>(input.items.length);
  const checked: NewDocument[] = [];
  /** The item index of each checked document. */
  const indexes: number[] = [];
  for (let index = 0; index < input.items.length; index++) {
    try {
      const { id, data } = input.check(input.items[index], index);
      const document = documentToCreate(deps, collection, id, data, now, `documents[${index}].data`);
      const claim = input.idempotency;
      checked.push(claim ? { document, idempotency: { key: `${claim.key} ${index}`, fingerprint: claim.fingerprint } } : { document });
      indexes.push(index);
    } catch (error) {
      outcomes[index] = { error };
      if (input.ordered) break;
    }
  }

  const { outcomes: created, failedWhole } = await createChecked(deps, collection, checked, input.ordered);
  for (let i = 0; i < created.length; i++) {
    const outcome = created[i]!;
    if (!outcome.ok) outcomes[indexes[i]!] = { error: outcome.error };
    else {
      // The store's result is the item's outcome as it stands ({ document, replayed }).
      outcomes[indexes[i]!] = outcome.value;
      if (!outcome.value.replayed) deps.events.publish(documentEvent('document.created', outcome.value.document, now));
    }
  }

  const failedAt = input.ordered ? outcomes.findIndex((outcome) => outcome !== undefined && 'error' in outcome) : -1;
  // A store that failed as a whole may have written any item it was given: each keeps that failure (its outcome
  // is unknown), never "not attempted", which would invite sending it again.
  const sent = new Set(failedWhole ? indexes : []);
  for (let index = 0; index < outcomes.length; index++) {
    if (outcomes[index] === undefined || (failedAt >= 0 && index > failedAt && !sent.has(index))) outcomes[index] = { error: new NotAttemptedError(failedAt) };
  }
  return outcomes as BulkItemOutcome[];
}

/** The store's outcome per item; when the store fails as a whole, that failure is each item's (as if created alone). */
async function createChecked(
  deps: UseCaseDeps,
  collection: string,
  items: readonly NewDocument[],
  ordered: boolean,
): Promise<{ outcomes: CreateOutcome[]; failedWhole: boolean }> {
  if (items.length === 0) return { outcomes: [], failedWhole: false };
  try {
    return { outcomes: await deps.store.createMany(collection, items, ordered), failedWhole: false };
  } catch (error) {
    return { outcomes: items.map(() => ({ ok: false, error })), failedWhole: true };
  }
}
