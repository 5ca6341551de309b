import type { Document } from '../domain/document.js';
import { NotAttemptedError } from '../domain/errors.js';
import { createDocument } from './create-document.js';
import type { UseCaseDeps } from './deps.js';

/** 1..1,000 documents per bulk create (docs/api.md). */
export const MAX_BULK_DOCUMENTS = 1000;

/**
 * Items of one unordered request in flight at once: enough for the store to write them together, few enough
 * that a 1,000-item request leaves the store's bulkhead (STORE_MAX_CONCURRENCY, STORE_MAX_QUEUE) to others.
 */
const UNORDERED_IN_FLIGHT = 8;

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
 * Unordered items go to the store several at a time, so it can write them together (SQLite: one write
 * transaction); ordered ones one after another, since a failure must stop the rest. With an Idempotency-Key,
 * item i claims `<key>#i` with the whole request's fingerprint, so a retried request replays every item it
 * created and only tries again the ones that failed.
 */
export async function bulkCreate(deps: UseCaseDeps, input: BulkCreateInput): Promise<BulkItemOutcome[]> {
  const createItem = async (item: unknown, index: number): Promise<BulkItemOutcome> => {
    try {
      const { id, data } = input.check(item, index);
      const idempotency = input.idempotency && { key: `${input.idempotency.key}#${index}`, fingerprint: input.idempotency.fingerprint };
      const { document } = await createDocument(deps, { collection: input.collection, id, data, idempotency });
      return { document };
    } catch (error) {
      return { error };
    }
  };
  if (!input.ordered) {
    const outcomes = new Array<BulkItemOutcome>(input.items.length);
    let next = 0;
    const worker = async () => {
      for (let index = next++; index < input.items.length; index = next++) outcomes[index] = await createItem(input.items[index], index);
    };
    await Promise.all(Array.from({ length: UNORDERED_IN_FLIGHT }, worker));
    return outcomes;
  }
  const outcomes: BulkItemOutcome[] = [];
  let failedAt: number | undefined;
  for (const [index, item] of input.items.entries()) {
    const outcome = failedAt === undefined ? await createItem(item, index) : { error: new NotAttemptedError(failedAt) };
    if (failedAt === undefined && 'error' in outcome) failedAt = index;
    outcomes.push(outcome);
  }
  return outcomes;
}
