import { describeIndex, validateIndexDefinition, validateIndexName } from '../domain/indexes/index-definition.js';
import { collectionName } from '../domain/values.js';
import type { UseCaseDeps } from './deps.js';

export type DescribedIndex = ReturnType<typeof describeIndex>;

export interface CreateIndexInput {
  readonly collection: string;
  readonly name: string;
  /** `{"keys": {"path": 1 | -1, ...}, "unique"?: boolean}` */
  readonly body: unknown;
}

/** Creates the index; `created` is false when the same definition existed (PUT answers 200 then, else 201). */
export async function createIndex(deps: Pick<UseCaseDeps, 'store'>, input: CreateIndexInput): Promise<{ created: boolean; index: DescribedIndex }> {
  const collection = collectionName(input.collection);
  const index = validateIndexDefinition(input.name, input.body);
  const created = await deps.store.createIndex(collection, index);
  return { created, index: describeIndex(index) };
}

export async function listIndexes(deps: Pick<UseCaseDeps, 'store'>, input: { readonly collection: string }): Promise<{ indexes: DescribedIndex[] }> {
  const collection = collectionName(input.collection);
  return { indexes: (await deps.store.listIndexes(collection)).map(describeIndex) };
}

export async function dropIndex(deps: Pick<UseCaseDeps, 'store'>, input: { readonly collection: string; readonly name: string }): Promise<void> {
  const collection = collectionName(input.collection);
  await deps.store.dropIndex(collection, validateIndexName(input.name));
}
