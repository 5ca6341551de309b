/**
 * A function as it runs everywhere (its routes, validation, observation, resilience, events and logs, the JSON
 * it answers), around a store that answers at once: what a request costs the function when the store costs
 * nothing. BENCH_FUNCTION names the function: `create` (creates and bulk creates) or `query` (the bench query
 * over a collection of BENCH_QUERY_SCALE documents).
 * The bench measures each beside the rows of its function, under the same load.
 */
import type { Document } from '../../shared/domain/document.js';
import type { DocumentStore, QueryResult } from '../../shared/domain/ports.js';
import { storedDocument } from '../../shared/domain/stored-document.js';
import { runFunction } from '../../shared/runtime/bootstrap.js';
import { registerCreate } from '../../functions/create/app.js';
import { registerQuery } from '../../functions/query/app.js';
import { QUERY_BODY, sampleData } from './workloads.js';

const TIME = '2026-11-30T00:00:00.000Z';
/** Documents the query's page is chosen from, as in the row it runs beside (`q-0`…): BENCH_QUERY_SCALE of them. */
const SEEDED = Number(process.env.BENCH_QUERY_SCALE || 1000);
const { filter, limit } = JSON.parse(QUERY_BODY) as { filter: { city: string; age: { $gte: number } }; limit: number };

interface PageDocument {
  readonly id: string;
  readonly age: number;
  /** Its data as a store holds it: JSON text. */
  readonly json: string;
}

/** The query's answer over the seeded documents (age descending, then id), and the document after it (which makes a next cursor). */
const page: PageDocument[] = Array.from({ length: SEEDED }, (_, n) => ({ id: `q-${n}`, data: sampleData(n) as { city: string; age: number } }))
  .filter(({ data }) => data.city === filter.city && data.age >= filter.age.$gte)
  .sort((a, b) => b.data.age - a.data.age || (a.id < b.id ? -1 : 1))
  .slice(0, limit + 1)
  .map(({ id, data }) => ({ id, age: data.age, json: JSON.stringify(data) }));

/** A new document as a store returns it once written: its data serialized, as a store writes it. */
const stored = ({ id, collection, version, createdAt, updatedAt, data }: Document): Document =>
  storedDocument(id, collection, version, createdAt, updatedAt, JSON.stringify(data));

const unserved = (): Promise<never> => Promise.reject(new Error('this store answers creates and queries only'));

/**
 * Of the kind of the configured store (STORE), so it is composed as that store is (store-composition.ts: a time
 * limit on each call to MongoDB, none on SQLite in the process): the reference differs from the row by the
 * store's own work only.
 */
const answeringStore = (kind: string): DocumentStore => ({
  kind,
  create: async (document) => ({ document: stored(document), replayed: false }),
  createMany: async (_collection, items) => items.map(({ document }) => ({ ok: true, value: { document: stored(document), replayed: false } })),
  // A new document object per answer, as a store that reads its rows makes.
  query: async (collection): Promise<QueryResult> => {
    const documents = page.slice(0, limit).map(({ id, json }) => storedDocument(id, collection, 1, TIME, TIME, json));
    const last = page.length > limit ? page[limit - 1] : undefined;
    const next = last ? { values: [last.age], id: last.id } : null;
    return { documents, next, stats: { index: 'answered at once', keysExamined: 0, documentsExamined: 0, durationMs: 0 } };
  },
  count: unserved,
  get: unserved,
  replace: unserved,
  modify: unserved,
  delete: unserved,
  createIndex: unserved,
  listIndexes: unserved,
  dropIndex: unserved,
  ping: async () => undefined,
  close: async () => undefined,
});

const FUNCTIONS = { create: registerCreate, query: registerQuery };
const name = process.env.BENCH_FUNCTION;
if (name !== 'create' && name !== 'query') throw new Error(`BENCH_FUNCTION=${JSON.stringify(name)}: must be create or query`);
await runFunction(name, FUNCTIONS[name], async (config) => answeringStore(config.STORE));
