import * as assert from 'uvu/assert';
import type { JsonObject } from '../../shared/domain/document.js';
import type { IndexDefinition } from '../../shared/domain/indexes/index-definition.js';
import type { DocumentStore, QuerySpec } from '../../shared/domain/ports.js';
import type { SortDirection } from '../../shared/domain/query/index.js';
import { passThrough } from '../../shared/runtime/store/decorate-store.js';

/** How many compared queries an index served; a run where none did would prove nothing. */
export interface ComparisonTally {
  compared: number;
  servedByIndex: number;
}

/** The fields a filter's top-level conjunction names: those an index could serve. */
function conjunctionFields(filter: JsonObject): string[] {
  return Object.entries(filter).flatMap(([key, operand]) => {
    if (key === '$and') return (operand as JsonObject[]).flatMap(conjunctionFields);
    return key.startsWith('$') ? [] : [key];
  });
}

/**
 * Indexes a query could use: one per filtered field, the filtered field then the sort fields, and the sort
 * fields alone (which yields the sort order).
 */
function indexesFor(spec: QuerySpec): IndexDefinition[] {
  const sort = spec.sort.map(([path, direction]) => [path, direction] as const);
  const shapes: Array<ReadonlyArray<readonly [string, SortDirection]>> = [];
  for (const field of new Set(conjunctionFields(spec.filter))) {
    shapes.push([[field, 1]]);
    if (sort.length > 0 && !sort.some(([path]) => path === field)) shapes.push([[field, 1], ...sort]);
  }
  if (sort.length > 0) shapes.push(sort);
  return shapes
    .filter((keys) => keys.every(([path], i) => keys.findIndex(([other]) => other === path || other.startsWith(`${path}.`) || path.startsWith(`${other}.`)) === i))
    .map((keys, i) => ({ name: `compare${i}`, keys, unique: false }));
}

/**
 * The store, except that every query also runs with indexes built for it, and must return exactly the same
 * documents in the same order with the same next position. The indexes are dropped again before it answers.
 */
export function comparingIndexes(store: DocumentStore, tally: ComparisonTally): DocumentStore {
  return {
    ...passThrough(store),
    async query(collection, spec) {
      const plain = await store.query(collection, spec);
      const created: string[] = [];
      for (const index of indexesFor(spec)) {
        // An index some documents cannot have (arrays on two of its paths) is refused: compare without it.
        if (await store.createIndex(collection, index).catch(() => false)) created.push(index.name);
      }
      try {
        const indexed = await store.query(collection, { ...spec, explain: true });
        const describe = (r: typeof plain) => ({ ids: r.documents.map((d) => d.id), data: r.documents.map((d) => d.data), next: r.next });
        assert.equal(describe(indexed), describe(plain), `with indexes ${created.join(', ')} the query ${JSON.stringify(spec)} answers otherwise`);
        tally.compared++;
        if (indexed.stats.index !== null) tally.servedByIndex++;
      } finally {
        for (const name of created) await store.dropIndex(collection, name);
      }
      return plain;
    },
  };
}
