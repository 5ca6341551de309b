import type { FunctionName } from '../../shared/runtime/http/routes.js';
import { headerOf, type LoadSpec, type ResponseHead } from './load.js';

export const WORKLOAD_KEYS = ['get-cache', 'get-store', 'create', 'update', 'query', 'query-scaled', 'query-indexed', 'inc-hot', 'bulk-create'] as const;
export type WorkloadKey = (typeof WORKLOAD_KEYS)[number];

export interface Workload {
  readonly key: WorkloadKey;
  /** The row's name in the table, saying what exactly was measured. */
  readonly label: string;
  readonly fn: FunctionName;
  /** The least req/s as a fraction of the hello-world ceiling of the same run. */
  readonly targetRatio: number;
  /** Runs with REDIS_URL (the get function's cache) when true; without it otherwise. */
  readonly cached: boolean;
  /** Documents in the collection a scaled query row reads. */
  readonly scale?: number;
  /** Untimed preparation of one load run at `connections` connections (documents it needs), then what to send. */
  prepare(connections: number): Promise<LoadSpec>;
  /** After the run, against the same process: a correctness check that must hold whatever the speed. */
  check?(url: string): Promise<{ readonly ok: boolean; readonly note: string }>;
  /** Documents each request writes, when more than one: the row then also reports documents/s. */
  readonly documentsPerRequest?: number;
}

/** Documents per bulk create request in the bench. */
export const BULK_DOCUMENTS = 100;

/** Creates documents through a running create function, the same path every client uses. */
export type Seed = (collection: string, documents: ReadonlyArray<{ id: string; data: object }>) => Promise<void>;

/** Creates an index through a running indexes function (PUT …/indexes/{name}); resolves once it is built. */
export type CreateIndex = (collection: string, name: string, body: object) => Promise<void>;

/** The index the bench query can use: equality on city, then age in the query's sort direction. */
export const QUERY_INDEX = { keys: { city: 1, age: -1 } };

const CITIES = ['Paris', 'Lima', 'Oslo', 'Kyoto', 'Accra', 'Quito', 'Perth', 'Turin'];

/** A small, realistic user document (about 250 bytes of JSON), varied by `n`. */
export function sampleData(n: number): object {
  return {
    name: `user-${n}`,
    email: `user-${n}@example.com`,
    age: 18 + (n % 60),
    city: CITIES[n % CITIES.length],
    active: n % 3 !== 0,
    score: (n * 7919) % 1000,
    tags: ['alpha', n % 2 === 0 ? 'even' : 'odd'],
    address: { street: `${n} Main Street`, zip: String(10000 + (n % 89999)) },
  };
}

export const QUERY_BODY = JSON.stringify({ filter: { city: 'Paris', age: { $gte: 30 } }, sort: { age: -1 }, limit: 20 });

/** The bench query against `collection`. */
function queryLoad(collection: string): LoadSpec {
  return { method: 'POST', path: `/v1/collections/${collection}/query`, headers: { 'content-type': 'application/json' }, body: QUERY_BODY };
}

const documentsOf = (collection: string) => `/v1/collections/${collection}/documents`;

/** Each connection reads its own document (ids `get-0`…), so every connection's reads are independent. */
function ownDocumentGet(collection: string): (connections: number) => Promise<LoadSpec> {
  return async () => ({
    method: 'GET',
    path: `${documentsOf(collection)}/get-0`,
    setupClient: (client, index) => client.setRequests([{ method: 'GET', path: `${documentsOf(collection)}/get-${index}` }]),
  });
}

export interface WorkloadSetup {
  readonly seed: Seed;
  /** Distinguishes this bench run's collections from earlier ones in a shared store. */
  readonly runId: string;
  /** The most connections any run uses: that many documents to read. */
  readonly maxConnections: number;
  /** Documents in the queried collection. */
  readonly queryDocuments: number;
  readonly createIndex: CreateIndex;
  /** Collection sizes of the scaled query rows (each without and with QUERY_INDEX). */
  readonly queryScales: readonly number[];
  /** Says what preparing a row did that the table should show (an index build's time). */
  readonly note: (line: string) => void;
}

export interface Workloads {
  readonly all: readonly Workload[];
  /** The document both get workloads read first (a cache check reads it twice). */
  readonly probePath: string;
}

/** Seeds what the read workloads need, once per store, and describes every workload. */
export async function prepareWorkloads({ seed, runId, maxConnections, queryDocuments, createIndex, queryScales, note }: WorkloadSetup): Promise<Workloads> {
  const collection = (name: string) => `bench_${name}_${runId}`;
  const reads = collection('get');
  const queried = collection('query');
  await seed(reads, Array.from({ length: maxConnections }, (_, i) => ({ id: `get-${i}`, data: sampleData(i) })));
  await seed(queried, Array.from({ length: queryDocuments }, (_, i) => ({ id: `q-${i}`, data: sampleData(i) })));

  const updated = collection('update');
  let updateRun = 0;
  const replaceBody = JSON.stringify({ data: sampleData(1) });

  const all: Workload[] = [
    { key: 'get-cache', label: 'get (cache hit)', fn: 'get', targetRatio: 0.6, cached: true, prepare: ownDocumentGet(reads) },
    { key: 'get-store', label: 'get (store, no cache)', fn: 'get', targetRatio: 0.45, cached: false, prepare: ownDocumentGet(reads) },
    {
      key: 'create',
      label: 'create (generated id)',
      fn: 'create',
      targetRatio: 0.25,
      cached: false,
      prepare: async () => ({
        method: 'POST',
        path: documentsOf(collection('create')),
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ data: sampleData(1) }),
      }),
    },
    {
      key: 'update',
      label: 'update (PUT, If-Match: current version)',
      fn: 'update',
      targetRatio: 0.25,
      cached: false,
      // Fresh documents per run, one per connection, each at version 1: every PUT names the version its
      // connection last saw in an ETag, so a 412 would mean a lost response, and it would show as non-2xx.
      prepare: async (connections) => {
        const run = updateRun++;
        const ids = Array.from({ length: connections }, (_, i) => `u${run}-${i}`);
        await seed(updated, ids.map((id, i) => ({ id, data: sampleData(i) })));
        const put = (id: string, version: string) => ({
          method: 'PUT' as const,
          path: `${documentsOf(updated)}/${id}`,
          headers: { 'content-type': 'application/json', 'if-match': version },
          body: replaceBody,
        });
        return {
          ...put(ids[0]!, '"1"'),
          setupClient: (client, index) => {
            const id = ids[index]!;
            client.setRequests([put(id, '"1"')]);
            client.on('headers', (head) => {
              const etag = headerOf(head as unknown as ResponseHead, 'etag');
              if (etag) client.setHeaders(put(id, etag).headers);
            });
          },
        };
      },
    },
    hotIncrement(collection('inc'), seed),
    {
      key: 'bulk-create',
      label: `bulk create (${BULK_DOCUMENTS} documents per request)`,
      fn: 'create',
      targetRatio: 0.02,
      cached: false,
      documentsPerRequest: BULK_DOCUMENTS,
      prepare: async () => ({
        method: 'POST',
        path: `/v1/collections/${collection('bulk')}/bulk/create`,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ documents: Array.from({ length: BULK_DOCUMENTS }, (_, i) => ({ data: sampleData(i) })), ordered: false }),
      }),
    },
    {
      key: 'query',
      label: `query (filter + sort, limit 20, ${queryDocuments} docs)`,
      fn: 'query',
      targetRatio: 0.2,
      cached: false,
      prepare: async () => queryLoad(queried),
    },
    ...queryScales.flatMap((documents) => scaledQueries(documents)),
  ];
  return { all, probePath: `${documentsOf(reads)}/get-0` };

  /**
   * The bench query over `documents` documents, without and with QUERY_INDEX, each on a collection of its own
   * (seeded on first use, so a run that leaves these rows out pays nothing).
   */
  function scaledQueries(documents: number): Workload[] {
    const size = documents.toLocaleString('en');
    const ready = new Map<string, Promise<void>>();
    const once = (name: string, make: () => Promise<void>) => {
      if (!ready.has(name)) ready.set(name, make());
      return ready.get(name)!;
    };
    const seeded = (name: string) => once(name, () => seed(name, Array.from({ length: documents }, (_, i) => ({ id: `q-${i}`, data: sampleData(i) }))));
    const plain = collection(`scan${documents}`);
    const indexed = collection(`indexed${documents}`);
    return [
      {
        key: 'query-scaled',
        label: `query, ${size} docs, no index (time limit 2 s)`,
        fn: 'query',
        targetRatio: 0,
        cached: false,
        scale: documents,
        prepare: async () => {
          await seeded(plain);
          return queryLoad(plain);
        },
      },
      {
        key: 'query-indexed',
        label: `query, ${size} docs, index {city, age}`,
        fn: 'query',
        targetRatio: 0.25,
        cached: false,
        scale: documents,
        prepare: async () => {
          await seeded(indexed);
          await once(`${indexed}/index`, async () => {
            const started = performance.now();
            await createIndex(indexed, 'by_city_age', QUERY_INDEX);
            note(`index {city: 1, age: -1} built over ${size} documents in ${Math.round(performance.now() - started)} ms (PUT through the indexes function).`);
          });
          return queryLoad(indexed);
        },
      },
    ];
  }
}

/**
 * Every connection sends `$inc` to one document, the hottest contention there is. Afterwards one more `$inc`
 * reads the result: every successful increment is one version, so `n` must be `version − 1` (nothing lost).
 */
function hotIncrement(collection: string, seed: Seed): Workload {
  let run = 0;
  let path = '';
  const inc = { method: 'PATCH' as const, headers: { 'content-type': 'application/json' }, body: '{"$inc":{"n":1}}' };
  return {
    key: 'inc-hot',
    label: 'update operators ($inc on one hot document)',
    fn: 'update',
    targetRatio: 0.2,
    cached: false,
    prepare: async () => {
      const id = `hot-${run++}`;
      path = `${documentsOf(collection)}/${id}`;
      await seed(collection, [{ id, data: { n: 0 } }]);
      return { ...inc, path };
    },
    async check(url) {
      const response = await fetch(`${url}${path}`, inc);
      const document = (await response.json()) as { version: number; data: { n: number } };
      const lost = document.version - 1 - document.data.n;
      return { ok: lost === 0, note: `(n = ${document.data.n} at version ${document.version}: ${lost} lost increments)` };
    },
  };
}
