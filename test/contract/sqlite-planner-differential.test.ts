import '../support/pattern-engine.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeCursor, encodeCursor } from '../../shared/domain/cursor.js';
import { newDocument, type JsonObject, type JsonValue } from '../../shared/domain/document.js';
import { InvalidInputError } from '../../shared/domain/errors.js';
import type { IndexDefinition } from '../../shared/domain/indexes/index-definition.js';
import type { DocumentStore, QueryResult } from '../../shared/domain/ports.js';
import {
  comparePositions,
  matchesFilter,
  projectData,
  sortKeyOf,
  validateFields,
  validateFilter,
  validateSort,
  valuesAtPath,
  type Filter,
  type SortPosition,
  type SortSpec,
} from '../../shared/domain/query/index.js';
import { indexKeysOf } from '../../shared/domain/indexes/index-keys.js';
import { planQuery } from '../../shared/domain/indexes/query-planner.js';
import { openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';
import { documentData, filterOf, fixedPrefixQuery, indexDefinition, profileOf, Rng, sortOf, ValueSource } from '../support/planner-generator.js';

/**
 * A generative differential test of the SQLite store's planner. From each seed: a collection of documents
 * mixing every type MongoDB orders differently, written twice (one copy with random indexes, built over
 * existing documents and kept up by later changes, one with none), then random filters, sorts and limits.
 * Every query is paged through to its end by cursor on both copies (sometimes with documents changed, and
 * indexes dropped or created, between pages), and each page must equal the domain's own matcher and sort over
 * the documents as they are then (the oracle): same ids, same order, same next position, same data (projected
 * when the query asks); `count` must equal the number of matches, and explain must name one of the
 * collection's indexes or none.
 *
 * PLANNER_SEEDS runs other seeds (`PLANNER_SEEDS=1-2000`, `PLANNER_SEEDS=3,16-20`); with PLANNER_KEEP_GOING=1
 * every failing seed is reported, not only the first.
 */

const T0 = new Date('2026-01-01T00:00:00.000Z');
/**
 * The seeds run by default: a handful, so the test stays within a few seconds. 55 finds compound bounds on
 * two fields of one array of objects met by different elements (query-planner.ts, planFor) without their fix
 * (the only one of 1–400 that does); 1–1,400 pass with it.
 */
const SEEDS = seedsToRun(process.env.PLANNER_SEEDS ?? '1-6,55');
const QUERIES_PER_SEED = 40;
/** Pages one query may take at most (the limit is raised for a query with many matches). */
const MOST_PAGES = 25;

/** `1-4,50`: ranges and single seeds. */
function seedsToRun(spec: string): number[] {
  return spec.split(',').flatMap((part) => {
    const [first, last = first] = part.split('-').map(Number) as [number, number?];
    return Array.from({ length: last! - first + 1 }, (_, i) => first + i);
  });
}

interface Query {
  readonly filter: Filter;
  readonly raw: JsonObject;
  readonly sort: SortSpec;
  readonly limit: number;
  readonly fields?: readonly string[];
}

/** The domain's answer: every match, in the query's order. */
function oracle(documents: ReadonlyMap<string, JsonObject>, query: Query): Array<{ id: string; position: SortPosition }> {
  const found: Array<{ id: string; position: SortPosition }> = [];
  for (const [id, data] of documents) {
    if (matchesFilter(query.filter, data)) found.push({ id, position: { values: sortKeyOf(data, query.sort), id } });
  }
  return found.sort((a, b) => comparePositions(a.position, b.position, query.sort));
}

interface Page {
  readonly ids: string[];
  readonly next: JsonValue;
}

/** The documents' data as read back (JSON: -0 is stored as 0), projected as the query asks. */
function dataOf(data: JsonObject, fields: readonly string[] | undefined): JsonValue {
  return JSON.parse(JSON.stringify(fields === undefined ? data : projectData(data, fields))) as JsonValue;
}

/** One page from the store, and the position its cursor carries (encoded and decoded as a client carries it). */
async function storePage(store: DocumentStore, collection: string, query: Query, after: SortPosition | undefined) {
  const result: QueryResult = await store.query(collection, { filter: query.filter, sort: query.sort, limit: query.limit, ...(after && { after }), ...(query.fields && { fields: query.fields }), explain: true });
  const page: Page = { ids: result.documents.map((d) => d.id), next: result.next === null ? null : (JSON.parse(JSON.stringify(result.next)) as JsonValue) };
  const data = new Map(result.documents.map((d) => [d.id, JSON.parse(JSON.stringify(d.data)) as JsonValue]));
  const cursor = result.next === null ? undefined : decodeCursor(encodeCursor(result.next, collection, query.filter, query.sort), collection, query.filter, query.sort);
  return { page, data, cursor, index: result.stats.index };
}

/** The domain's page after `after`: the first `limit` matches past it, and the last one's position when more follow. */
function oraclePage(matches: ReturnType<typeof oracle>, query: Query, after: SortPosition | undefined): Page {
  const rest = matches.filter((m) => !after || comparePositions(m.position, after, query.sort) > 0);
  const page = rest.slice(0, query.limit);
  const next = rest.length > query.limit ? (JSON.parse(JSON.stringify(page.at(-1)!.position)) as JsonValue) : null;
  return { ids: page.map((m) => m.id), next };
}

/** JSON text with every character outside printable ASCII escaped, so a report shows which one it is. */
function ascii(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The fields of the documents that a query names, for a failure report. */
function relevantFields(documents: ReadonlyMap<string, JsonObject>, ids: Iterable<string>, query: Query): string {
  const paths = new Set<string>(query.sort.map(([path]) => path));
  const collect = (filter: JsonValue): void => {
    if (typeof filter !== 'object' || filter === null) return;
    if (Array.isArray(filter)) return filter.forEach(collect);
    for (const [key, value] of Object.entries(filter)) {
      if (key.startsWith('$')) collect(value);
      else paths.add(key);
    }
  };
  collect(query.raw);
  const top = new Set([...paths].map((p) => p.split('.')[0]!));
  return [...new Set(ids)]
    .slice(0, 40)
    .map((id) => {
      const data = documents.get(id) ?? {};
      return `  ${id}: ${ascii(JSON.stringify(Object.fromEntries([...top].filter((f) => f in data).map((f) => [f, data[f]]))))}`;
    })
    .join('\n');
}

interface Tally {
  /** Plans by kind (as the planner would make them over these documents; for the summary only). */
  plans: Record<string, number>;
  queries: number;
  uniqueIndexes: number;
  pages: number;
  servedByIndex: number;
  nonEmpty: number;
}

async function runSeed(store: DocumentStore, seed: number, tally: Tally): Promise<void> {
  const rng = new Rng(seed);
  const profile = profileOf(rng);
  const plain = `plain${seed}`;
  const indexed = `indexed${seed}`;
  const documents = new Map<string, JsonObject>();
  const values = new ValueSource(rng, () => [...documents.values()], valuesAtPath);
  let nextId = 0;
  const newId = () => `d${String(rng.int(100_000)).padStart(5, '0')}_${nextId++}`;

  // The indexes (some refused: duplicates, parallel arrays), built over the documents written before them or
  // kept by the writes that come after, or both.
  const indexes: IndexDefinition[] = [];
  const createIndexes = async () => {
    for (let i = rng.between(1, 3); i > 0; i--) {
      const index = indexDefinition(rng, `ix${indexes.length}_${i}`);
      if (await store.createIndex(indexed, index).catch(() => false)) {
        indexes.push(index);
        if (index.unique) tally.uniqueIndexes++;
      }
    }
  };
  const indexesFirst = rng.chance(0.3);
  if (indexesFirst) await createIndexes();
  const initial = Array.from({ length: rng.between(50, 300) }, () => ({ id: newId(), data: documentData(rng, profile) }));
  const outcomes = await store.createMany(indexed, initial.map(({ id, data }) => ({ document: newDocument(indexed, id, data, T0) })), false);
  const written = initial.filter((_, i) => outcomes[i]!.ok);
  assert.ok(indexesFirst || written.length === initial.length);
  assert.ok((await store.createMany(plain, written.map(({ id, data }) => ({ document: newDocument(plain, id, data, T0) })), false)).every((o) => o.ok));
  for (const { id, data } of written) documents.set(id, data);
  const everWritten: JsonObject[] = [...documents.values()];
  if (!indexesFirst || rng.chance(0.3)) await createIndexes();

  // Changes after the indexes exist: replacements, deletions, creations. Whatever the indexes refuse is not
  // done to the plain copy either.
  const ids = () => [...documents.keys()];
  /** Runs a change on the indexed copy; false when an index refused it (then nothing else is done). */
  const refused = async (work: () => Promise<unknown>) =>
    work().then(
      () => false,
      () => true,
    );
  const change = async () => {
    const r = rng.int(10);
    if (r < 5 && documents.size > 0) {
      const id = rng.pick(ids());
      const data = documentData(rng, profile);
      if (await refused(() => store.replace(indexed, id, { data, now: T0 }))) return;
      everWritten.push(data);
      await store.replace(plain, id, { data, now: T0 });
      documents.set(id, data);
    } else if (r < 7 && documents.size > 0) {
      const id = rng.pick(ids());
      await store.delete(indexed, id, undefined);
      await store.delete(plain, id, undefined);
      documents.delete(id);
    } else {
      const id = newId();
      const data = documentData(rng, profile);
      if (await refused(() => store.create(newDocument(indexed, id, data, T0)))) return;
      everWritten.push(data);
      await store.create(newDocument(plain, id, data, T0));
      documents.set(id, data);
    }
  };
  for (let i = rng.between(0, Math.ceil(documents.size / 4)); i > 0; i--) await change();
  // An index dropped, or another created (built over the documents as they are now, so not multikey where no
  // document has an array any more): a query paged across it resumes under another plan.
  const changeIndexes = async () => {
    if (indexes.length > 0 && rng.chance(0.5)) {
      const [dropped] = indexes.splice(rng.int(indexes.length), 1);
      await store.dropIndex(indexed, dropped!.name);
    } else {
      const index = indexDefinition(rng, `ix${indexes.length}_${rng.int(1000)}`);
      if (!indexes.some((other) => other.name === index.name) && (await store.createIndex(indexed, index).catch(() => false))) {
        indexes.push(index);
        if (index.unique) tally.uniqueIndexes++;
      }
    }
  };

  for (let q = 0; q < QUERIES_PER_SEED; q++) {
    if (rng.chance(0.05)) await changeIndexes();
    const favour = indexes.length > 0 && rng.chance(0.5) ? rng.pick(indexes).keys[0]![0] : undefined;
    const prefixed = rng.chance(0.2) ? fixedPrefixQuery(rng, values, indexes) : undefined;
    const raw = prefixed?.filter ?? filterOf(rng, values, 0, favour);
    const sortRaw = prefixed?.sort ?? sortOf(rng, indexes);
    let limit = rng.pick([1, 2, 3, 5, 10, 50, 1000]);
    const filter = validateFilter(structuredClone(raw));
    const sort = validateSort(Object.fromEntries(sortRaw));
    const fields = rng.chance(0.15) ? validateFields(rng.some(['n', 's', 'o.x', 'objs.k', 'arr'], 2)) : undefined;
    const query0: Query = { filter, raw, sort, limit, ...(fields && { fields }) };
    let matches = oracle(documents, query0);
    limit = Math.max(limit, Math.ceil(matches.length / MOST_PAGES));
    const query: Query = { ...query0, limit };
    // Sometimes documents change between pages (pages stay stable: each resumes after its cursor's position).
    const changing = rng.chance(0.25);
    const describe = () =>
      `seed ${seed}, query ${q}: filter ${ascii(JSON.stringify(raw))} sort ${JSON.stringify(sort)} limit ${limit}${fields ? ` fields ${JSON.stringify(fields)}` : ''}${changing ? ' (documents change between pages)' : ''}\n` +
      `indexes ${JSON.stringify(indexes)}\nreplay: PLANNER_SEEDS=${seed} node test/run.mjs sqlite-planner-differential`;
    const report = (what: string, got: Page, expected: Page, pageNumber: number) => {
      const differing = [...new Set([...expected.ids, ...got.ids])].filter((id) => !expected.ids.includes(id) || !got.ids.includes(id));
      return (
        `${what}, page ${pageNumber}, answers otherwise than the domain's matcher and sort\n${describe()}\nexpected ${ascii(JSON.stringify(expected))}\ngot      ${ascii(JSON.stringify(got))}\n` +
        `documents (${differing.length > 0 ? 'in one answer only' : 'expected'}):\n${relevantFields(documents, differing.length > 0 ? differing : expected.ids, query)}`
      );
    };
    const usedIndexes = new Set<string | null>();
    let after: SortPosition | undefined;
    for (let pageNumber = 1; ; pageNumber++) {
      if (changing && pageNumber > 1) {
        for (let i = rng.int(3); i > 0; i--) await change();
        if (rng.chance(0.15)) await changeIndexes();
        matches = oracle(documents, query);
      }
      const expected = oraclePage(matches, query, after);
      const withIndexes = await storePage(store, indexed, query, after);
      const without = await storePage(store, plain, query, after);
      assert.equal(without.page, expected, report('without indexes, the query', without.page, expected, pageNumber));
      assert.equal(withIndexes.page, expected, report(`with indexes (plan: ${withIndexes.index}), the query`, withIndexes.page, expected, pageNumber));
      for (const [what, answer] of [['with', withIndexes], ['without', without]] as const) {
        for (const [id, data] of answer.data) assert.equal(data, dataOf(documents.get(id)!, fields), `${what} indexes, document ${id} is answered with other data\n${describe()}`);
      }
      assert.ok(withIndexes.index === null || indexes.some((index) => index.name === withIndexes.index), `explain names '${withIndexes.index}', no index of the collection\n${describe()}`);
      assert.is(without.index, null, `explain names an index of a collection with none\n${describe()}`);
      usedIndexes.add(withIndexes.index);
      tally.pages++;
      if (withIndexes.cursor === undefined || pageNumber > MOST_PAGES + 2) break;
      after = withIndexes.cursor;
    }
    const total = matches.length;
    for (const collection of [indexed, plain]) {
      const count = await store.count(collection, { filter });
      assert.is(count, total, `count on ${collection} is ${count}, the query returns ${total}\n${describe()}\n${relevantFields(documents, matches.map((m) => m.id), query)}`);
    }
    const states = indexes.map((definition) => ({ definition, multikey: everWritten.some((data) => multikeyIn(data, definition)) }));
    const plan = planQuery(filter, sort, states);
    const kind = plan === undefined ? 'scan' : `${plan.order}${plan.exact ? ' exact' : ''}${plan.fixed?.parts ? ' fixed' : ''}`;
    tally.plans[kind] = (tally.plans[kind] ?? 0) + 1;
    tally.queries++;
    if ([...usedIndexes].some((name) => name !== null)) tally.servedByIndex++;
    if (total > 0) tally.nonEmpty++;
  }
}

/** Whether `data` makes `definition` multikey: a document the index refuses (parallel arrays) never had keys in it. */
function multikeyIn(data: JsonObject, definition: IndexDefinition): boolean {
  try {
    return indexKeysOf(data, definition).multikey;
  } catch (error) {
    if (error instanceof InvalidInputError) return false;
    throw error;
  }
}

const test = suite<{ dir: string; store: DocumentStore }>('SQLite planner: generated queries answer alike with indexes, without, and by the domain', { dir: '', store: undefined as never });

test.before(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'dbsvc-planner-'));
  context.store = openSqliteStore({ dataDir: context.dir });
});

test.after(async ({ dir, store }) => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

test(`seeds ${SEEDS.join(' ')}: every page, cursor and count agree`, async ({ store }) => {
  const tally: Tally = { plans: {}, queries: 0, uniqueIndexes: 0, pages: 0, servedByIndex: 0, nonEmpty: 0 };
  const started = performance.now();
  const failures: string[] = [];
  for (const seed of SEEDS) {
    try {
      await runSeed(store, seed, tally);
    } catch (error) {
      // PLANNER_KEEP_GOING=1 (a long local run) reports each failing seed and goes on to the next.
      if (!process.env.PLANNER_KEEP_GOING) throw error;
      failures.push(String((error as Error).message));
      console.log(`\nFAILED seed ${seed}: ${(error as Error).message}\n`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} seeds failed`);
  console.log(`planner differential: ${SEEDS.length} seeds, ${tally.queries} queries (${tally.nonEmpty} with matches, ${tally.servedByIndex} served by an index), ${tally.pages} pages, ${tally.uniqueIndexes} unique indexes, ${Math.round(performance.now() - started)} ms; plans ${JSON.stringify(tally.plans)}`);
  // A run in which indexes served too few queries would prove little.
  assert.ok(tally.servedByIndex * 4 > tally.queries, `indexes served only ${tally.servedByIndex} of ${tally.queries} queries`);
});

test.run();

