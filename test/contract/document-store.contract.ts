import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import '../support/pattern-engine.js';
import { newDocument, type Document, type JsonObject } from '../../shared/domain/document.js';
import {
  DocumentAlreadyExistsError,
  DocumentNotFoundError,
  DocumentExistsPreconditionError,
  DuplicateKeyError,
  IdempotencyKeyReusedError,
  InvalidInputError,
  IndexConflictError,
  IndexNotFoundError,
  QueryTimeoutError,
  VersionMismatchError,
} from '../../shared/domain/errors.js';
import type { IndexDefinition } from '../../shared/domain/indexes/index-definition.js';
import type { CreateOutcome, DocumentStore, QueryResult, QuerySpec } from '../../shared/domain/ports.js';
import { validateFilter, type Filter, type SortPosition, type SortSpec } from '../../shared/domain/query/index.js';
import type { UseCaseDeps } from '../../shared/application/deps.js';
import { updateDocument } from '../../shared/application/update-document.js';
import { upsertDocument } from '../../shared/application/upsert-document.js';
import { comparingIndexes, type ComparisonTally } from '../support/index-comparison.js';
import { withKnownDifferences, type KnownDifferences } from '../support/known-differences.js';

/**
 * The behaviour every DocumentStore must show, whatever the database behind it. Query expectations are what
 * MongoDB returns for the same filter, sort and projection over `data`.
 */

/** What a test may ask of the store it opens; the default is the store as a function opens it. */
export interface StoreTestOptions {
  readonly tombstoneRetentionMs?: number;
}

export interface OpenedStore {
  readonly store: DocumentStore;
  /** Closes the store and removes whatever `open` created. */
  readonly cleanup: () => Promise<void>;
}

interface Context {
  store: DocumentStore;
  cleanup: () => Promise<void>;
  /** A collection no other test uses, so stores that share a database between tests stay independent. */
  collection: string;
}

const T0 = new Date('2026-01-01T00:00:00.000Z');
const T1 = new Date('2026-01-02T00:00:00.000Z');

type ErrorClass<E> = abstract new (...args: never[]) => E;

async function rejection<E>(promise: Promise<unknown>, type: ErrorClass<E>): Promise<E> {
  const outcome = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  assert.instance(outcome, type, `expected a ${type.name}`);
  return outcome as E;
}

async function seed(store: DocumentStore, collection: string, documents: Record<string, JsonObject>): Promise<void> {
  for (const [id, data] of Object.entries(documents)) {
    await store.create(newDocument(collection, id, data, T0));
  }
}

interface Find {
  filter?: JsonObject;
  sort?: SortSpec;
  limit?: number;
  after?: SortPosition;
  fields?: readonly string[];
  maxTimeMs?: number;
}

function querySpec({ filter = {}, sort = [], limit = 100, after, fields, maxTimeMs }: Find): QuerySpec {
  return { filter: filter as Filter, sort, limit, ...(after && { after }), ...(fields && { fields }), ...(maxTimeMs && { maxTimeMs }) };
}

async function find(store: DocumentStore, collection: string, find: Find = {}): Promise<QueryResult> {
  return store.query(collection, querySpec(find));
}

async function idsOf(store: DocumentStore, collection: string, query: Find = {}): Promise<string[]> {
  return (await find(store, collection, query)).documents.map((d) => d.id);
}

/** Follows `next` from the first page to the last and returns every document in the order served. */
async function walk(
  store: DocumentStore,
  collection: string,
  query: Find,
  between?: (page: number) => Promise<void>,
): Promise<Document[]> {
  const all: Document[] = [];
  let after: SortPosition | undefined;
  for (let page = 0; ; page++) {
    const result = await find(store, collection, { ...query, ...(after && { after }) });
    all.push(...result.documents);
    if (result.next === null) return all;
    assert.ok(result.documents.length > 0, 'a page with a next position is never empty');
    assert.ok(page < 1000, 'a walk ends');
    after = result.next;
    await between?.(page);
  }
}

function useCaseDeps(store: DocumentStore): UseCaseDeps {
  let ids = 0;
  return { store, clock: { now: () => T1 }, ids: { next: () => `generated-${++ids}` }, events: { publish: () => undefined } };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

const pad = (i: number): string => String(i).padStart(3, '0');

/** `differences`: tests this store's server cannot pass, by title, with why (see known-differences.ts). */
export function storeContract(
  name: string,
  open: (options?: StoreTestOptions) => Promise<OpenedStore>,
  differences: KnownDifferences = {},
  { withIndexes = false } = {},
): void {
  const test = withKnownDifferences(name, suite<Context>(name, {} as Context), differences);
  let collections = 0;
  // With indexes: every query also runs with indexes built for it and must answer the same (index-comparison.ts).
  const tally: ComparisonTally = { compared: 0, servedByIndex: 0 };

  test.before.each(async (context) => {
    const opened = await open();
    context.store = withIndexes ? comparingIndexes(opened.store, tally) : opened.store;
    context.cleanup = opened.cleanup;
    context.collection = `contract${++collections}_${process.pid}_${Date.now()}`;
  });

  test.after.each(async (context) => {
    await context.cleanup();
  });

  // --- create and get ---------------------------------------------------------------------------------------

  test('create then get returns the same data, exactly as JSON (nesting, arrays, unicode, numbers, key order)', async ({ store, collection }) => {
    const data: JsonObject = {
      zeta: 'first key stays first',
      text: 'Ünïcødé ✓ 日本語 🎉 e\u0301 "quoted" \\ back\nslash \u0000 nul',
      numbers: [0, -17, 3.14159, 1e300, -2.5e-10, Number.MAX_SAFE_INTEGER, 0.1],
      flags: [true, false, null],
      empty: { object: {}, array: [] },
      nested: { a: { b: { c: { d: { e: [{ f: [1, [2, [3]]] }] } } } } },
      long: 'x'.repeat(10_000),
      alpha: 1,
    };
    await store.create(newDocument(collection, 'doc-1', data, T0));
    const got = await store.get(collection, 'doc-1');
    assert.ok(got);
    assert.is(JSON.stringify(got.data), JSON.stringify(data));
  });

  test('create returns the document with version 1 and createdAt equal to updatedAt', async ({ store, collection }) => {
    const { document, replayed } = await store.create(newDocument(collection, 'u1', { name: 'Ada' }, T0));
    assert.is(replayed, false);
    assert.equal(document, {
      id: 'u1',
      collection,
      version: 1,
      createdAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
      data: { name: 'Ada' },
    });
    assert.equal(await store.get(collection, 'u1'), document);
  });

  test('get of a missing document returns null', async ({ store, collection }) => {
    assert.is(await store.get(collection, 'nobody'), null);
  });

  test('create of an existing id throws DocumentAlreadyExistsError and keeps the original', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'u1', { name: 'Ada' }, T0));
    const error = await rejection(store.create(newDocument(collection, 'u1', { name: 'Eve' }, T1)), DocumentAlreadyExistsError);
    assert.is(error.id, 'u1');
    assert.equal((await store.get(collection, 'u1'))?.data, { name: 'Ada' });
  });

  // --- versions are never reused: tombstones ------------------------------------------------------------------

  test('a deleted id created again continues after its tombstone: create 1, replace 2, delete (tombstone 3), create 4', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'u1', { n: 1 }, T0));
    await store.replace(collection, 'u1', { data: { n: 2 }, now: T1 });
    await store.delete(collection, 'u1', undefined);
    const { document } = await store.create(newDocument(collection, 'u1', { n: 3 }, T1));
    assert.is(document.version, 4);
    assert.equal(await store.get(collection, 'u1'), document);
  });

  test('every incarnation of an id continues the same version sequence', async ({ store, collection }) => {
    const versions: number[] = [];
    for (let incarnation = 0; incarnation < 3; incarnation++) {
      versions.push((await store.create(newDocument(collection, 'u1', { incarnation }, T0))).document.version);
      versions.push((await store.replace(collection, 'u1', { data: { incarnation, changed: true }, now: T1 })).version);
      await store.delete(collection, 'u1', undefined);
    }
    assert.equal(versions, [1, 2, 4, 5, 7, 8]);
  });

  test('a tombstone is invisible: get returns null and a query finds nothing', async ({ store, collection }) => {
    await seed(store, collection, { gone: { city: 'Oslo' }, kept: { city: 'Oslo' } });
    await store.delete(collection, 'gone', undefined);
    assert.is(await store.get(collection, 'gone'), null);
    assert.equal(await idsOf(store, collection), ['kept']);
    assert.equal(await idsOf(store, collection, { filter: { city: { $exists: true } } }), ['kept']);
    assert.equal(await idsOf(store, collection, { filter: { city: { $exists: false } } }), []);
  });

  test('a replace or delete of a deleted id throws DocumentNotFoundError, with or without its last version', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'u1', { n: 1 }, T0));
    await store.delete(collection, 'u1', undefined);
    await rejection(store.replace(collection, 'u1', { data: { n: 2 }, now: T1 }), DocumentNotFoundError);
    await rejection(store.replace(collection, 'u1', { data: { n: 2 }, expectedVersion: 1, now: T1 }), DocumentNotFoundError);
    await rejection(store.delete(collection, 'u1', 1), DocumentNotFoundError);
    await rejection(store.delete(collection, 'u1', undefined), DocumentNotFoundError);
  });

  test('a change read from one incarnation cannot land on the next: read at 1, delete, re-create, replace at 1 fails', async ({ store, collection }) => {
    const { document: first } = await store.create(newDocument(collection, 'k', { owner: 'A' }, T0));
    await store.delete(collection, 'k', undefined);
    const { document: second } = await store.create(newDocument(collection, 'k', { owner: 'B' }, T1));
    const error = await rejection(store.replace(collection, 'k', { data: { owner: 'A', patched: true }, expectedVersion: first.version, now: T1 }), VersionMismatchError);
    assert.is(error.actual, second.version);
    await rejection(store.delete(collection, 'k', first.version), VersionMismatchError);
    assert.equal(await store.get(collection, 'k'), second);
  });

  test('modify writes the transform of the current document as version + 1', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'k', { n: 1 }, T0));
    await store.replace(collection, 'k', { data: { n: 2 }, now: T0 });
    const modified = await store.modify(collection, 'k', { transform: (current) => ({ n: (current.data.n as number) * 10, seen: current.version }), now: T1 });
    assert.equal([modified.version, modified.data, modified.updatedAt], [3, { n: 20, seen: 2 }, T1.toISOString()]);
    assert.equal(await store.get(collection, 'k'), modified);
  });

  test('modify at a version from an earlier incarnation fails, and the new incarnation stays', async ({ store, collection }) => {
    const { document: first } = await store.create(newDocument(collection, 'k', { owner: 'A' }, T0));
    await store.delete(collection, 'k', undefined);
    const { document: second } = await store.create(newDocument(collection, 'k', { owner: 'B' }, T1));
    const error = await rejection(store.modify(collection, 'k', { transform: () => ({ owner: 'A', patched: true }), expectedVersion: first.version, now: T1 }), VersionMismatchError);
    assert.is(error.actual, second.version);
    assert.equal(await store.get(collection, 'k'), second);
  });

  test('modify of a missing or deleted document throws DocumentNotFoundError', async ({ store, collection }) => {
    await rejection(store.modify(collection, 'ghost', { transform: () => ({}), now: T1 }), DocumentNotFoundError);
    await store.create(newDocument(collection, 'gone', {}, T0));
    await store.delete(collection, 'gone', undefined);
    await rejection(store.modify(collection, 'gone', { transform: () => ({}), now: T1 }), DocumentNotFoundError);
  });

  test('a modify whose transform throws changes nothing and passes the error on', async ({ store, collection }) => {
    const { document } = await store.create(newDocument(collection, 'k', { n: 1 }, T0));
    const refusal = new InvalidInputError('refused', []);
    assert.is(await store.modify(collection, 'k', { transform: () => { throw refusal; }, now: T1 }).catch((e: unknown) => e), refusal);
    assert.equal(await store.get(collection, 'k'), document);
  });

  test('a modify that would break a unique index throws DuplicateKeyError and changes nothing', async ({ store, collection }) => {
    await store.createIndex(collection, { name: 'by_email', keys: [['email', 1]], unique: true });
    await store.create(newDocument(collection, 'ada', { email: 'a@x' }, T0));
    const { document: eve } = await store.create(newDocument(collection, 'eve', { email: 'e@x' }, T0));
    await rejection(store.modify(collection, 'eve', { transform: () => ({ email: 'a@x' }), now: T1 }), DuplicateKeyError);
    assert.equal(await store.get(collection, 'eve'), eve);
  });

  test('30 concurrent $inc of one document through the update use case end at exactly +30', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'hot', { n: 0 }, T0));
    const deps = useCaseDeps(store);
    const change = { kind: 'operators', update: { $inc: { n: 1 } } } as const;
    await Promise.all(range(30).map(() => updateDocument(deps, { collection, id: 'hot', change })));
    const final = await store.get(collection, 'hot');
    assert.equal(final?.data, { n: 30 });
    assert.is(final?.version, 31);
  });

  test('upsert creates an absent document, replaces a present one, and continues after a tombstone', async ({ store, collection }) => {
    const deps = useCaseDeps(store);
    const first = await upsertDocument(deps, { collection, id: 'u', data: { n: 1 }, mode: 'upsert' });
    assert.equal([first.created, first.document.version], [true, 1]);
    const second = await upsertDocument(deps, { collection, id: 'u', data: { n: 2 }, mode: 'upsert' });
    assert.equal([second.created, second.document.version, second.document.data], [false, 2, { n: 2 }]);
    await store.delete(collection, 'u', undefined);
    const third = await upsertDocument(deps, { collection, id: 'u', data: { n: 3 }, mode: 'upsert' });
    assert.equal([third.created, third.document.version], [true, 4]);
  });

  test('a create-only upsert of a present document fails as a precondition and changes nothing', async ({ store, collection }) => {
    const { document } = await store.create(newDocument(collection, 'u', { n: 1 }, T0));
    const error = await rejection(upsertDocument(useCaseDeps(store), { collection, id: 'u', data: { n: 2 }, mode: 'create-only' }), DocumentExistsPreconditionError);
    assert.is(error.code, 'version_mismatch');
    assert.equal(await store.get(collection, 'u'), document);
  });

  test('an upsert that would break a unique index throws DuplicateKeyError whether it replaces or creates', async ({ store, collection }) => {
    await store.createIndex(collection, { name: 'by_email', keys: [['email', 1]], unique: true });
    await store.create(newDocument(collection, 'ada', { email: 'a@x' }, T0));
    const { document: eve } = await store.create(newDocument(collection, 'eve', { email: 'e@x' }, T0));
    const deps = useCaseDeps(store);
    await rejection(upsertDocument(deps, { collection, id: 'eve', data: { email: 'a@x' }, mode: 'upsert' }), DuplicateKeyError);
    await rejection(upsertDocument(deps, { collection, id: 'new', data: { email: 'a@x' }, mode: 'upsert' }), DuplicateKeyError);
    assert.equal(await store.get(collection, 'eve'), eve);
    assert.is(await store.get(collection, 'new'), null);
  });

  test('a create with an idempotency key of a deleted id continues after its tombstone, and its replay says so', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'u1', { n: 1 }, T0));
    await store.delete(collection, 'u1', undefined);
    const claim = { key: 'again', fingerprint: 'f' };
    const created = await store.create(newDocument(collection, 'u1', { n: 2 }, T1), claim);
    assert.is(created.document.version, 3);
    const replay = await store.create(newDocument(collection, 'u1', { n: 2 }, T1), claim);
    assert.is(replay.replayed, true);
    assert.equal(replay.document, created.document);
  });

  test('once its tombstone is purged (retention 0 here), a deleted id starts over at version 1', async ({ collection }) => {
    const { store, cleanup } = await open({ tombstoneRetentionMs: 0 });
    try {
      await store.create(newDocument(collection, 'u1', { n: 1 }, T0));
      await store.replace(collection, 'u1', { data: { n: 2 }, now: T1 });
      await store.delete(collection, 'u1', undefined);
      // A later delete in the collection sweeps the tombstones that have reached the retention: here, all.
      await store.create(newDocument(collection, 'other', { n: 1 }, T1));
      await store.delete(collection, 'other', undefined);
      const { document } = await store.create(newDocument(collection, 'u1', { n: 3 }, T1));
      assert.is(document.version, 1);
    } finally {
      await cleanup();
    }
  });

  // --- idempotency ------------------------------------------------------------------------------------------

  test('the first create with an idempotency key is not a replay', async ({ store, collection }) => {
    const result = await store.create(newDocument(collection, 'u1', { n: 1 }, T0), { key: 'k-1', fingerprint: 'f' });
    assert.is(result.replayed, false);
    assert.is(result.document.id, 'u1');
  });

  test('a create retried with the same idempotency key returns the original document, replayed, and writes nothing', async ({ store, collection }) => {
    const claim = { key: 'k-1', fingerprint: 'body-hash' };
    const first = await store.create(newDocument(collection, 'generated-1', { n: 1 }, T0), claim);
    // A retry of a create without an id gets a freshly generated id; the key still identifies the request.
    const retry = await store.create(newDocument(collection, 'generated-2', { n: 1 }, T1), claim);
    assert.is(retry.replayed, true);
    assert.equal(retry.document, first.document);
    assert.is(await store.get(collection, 'generated-2'), null);
  });

  test('reusing an idempotency key for a different request throws IdempotencyKeyReusedError and writes nothing', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'u1', { n: 1 }, T0), { key: 'k-1', fingerprint: 'one' });
    const error = await rejection(
      store.create(newDocument(collection, 'u2', { n: 2 }, T1), { key: 'k-1', fingerprint: 'two' }),
      IdempotencyKeyReusedError,
    );
    assert.is(error.key, 'k-1');
    assert.is(await store.get(collection, 'u2'), null);
  });

  // --- createMany -------------------------------------------------------------------------------------------

  /** Each outcome as the error class's name, or the created document's id and version. */
  const outcomesOf = (outcomes: ReadonlyArray<CreateOutcome>) =>
    outcomes.map((outcome) => (outcome.ok ? `${outcome.value.document.id}@${outcome.value.document.version}` : (outcome.error as Error).name));
  const items = (collection: string, entries: Record<string, JsonObject>, claimKey?: string) =>
    Object.entries(entries).map(([id, data], i) => ({
      document: newDocument(collection, id, data, T0),
      ...(claimKey ? { idempotency: { key: `${claimKey}#${i}`, fingerprint: 'f' } } : {}),
    }));

  test('createMany creates each document as create would, in order, and get returns each', async ({ store, collection }) => {
    const outcomes = await store.createMany(collection, items(collection, { a: { n: 1 }, b: { n: 2 }, c: { nested: { x: [1] } } }), true);
    assert.equal(outcomesOf(outcomes), ['a@1', 'b@1', 'c@1']);
    assert.equal((await store.get(collection, 'c'))?.data, { nested: { x: [1] } });
    assert.is(await store.count(collection, { filter: validateFilter({}) }), 3);
  });

  test('createMany of a deleted id continues after its tombstone', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'a', { n: 1 }, T0));
    await store.delete(collection, 'a', undefined);
    assert.equal(outcomesOf(await store.createMany(collection, items(collection, { a: { n: 2 }, b: { n: 3 } }), true)), ['a@3', 'b@1']);
    assert.equal((await store.get(collection, 'a'))?.data, { n: 2 });
  });

  test('an unordered createMany tries every item: an id that exists fails alone and the others are created', async ({ store, collection }) => {
    const taken = await store.create(newDocument(collection, 'taken', { original: true }, T0));
    const batch = [...items(collection, { a: { n: 1 }, taken: { n: 2 }, b: { n: 3 } }), ...items(collection, { a: { again: true } })];
    const outcomes = await store.createMany(collection, batch, false);
    assert.equal(outcomesOf(outcomes), ['a@1', 'DocumentAlreadyExistsError', 'b@1', 'DocumentAlreadyExistsError']);
    assert.equal(await store.get(collection, 'taken'), taken.document);
    assert.equal((await store.get(collection, 'a'))?.data, { n: 1 });
  });

  test('an ordered createMany stops at the first failure: its outcomes end there and nothing after it is written', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'taken', {}, T0));
    const outcomes = await store.createMany(collection, items(collection, { a: {}, taken: {}, b: {} }), true);
    assert.equal(outcomesOf(outcomes), ['a@1', 'DocumentAlreadyExistsError']);
    assert.is(await store.get(collection, 'b'), null);
  });

  test('createMany items that would break a unique index fail with DuplicateKeyError and the others stand', async ({ store, collection }) => {
    await store.createIndex(collection, { name: 'by_email', keys: [['email', 1]], unique: true });
    await store.create(newDocument(collection, 'ada', { email: 'a@x' }, T0));
    const outcomes = await store.createMany(collection, items(collection, { eve: { email: 'e@x' }, mallory: { email: 'a@x' }, bob: { email: 'b@x' } }), false);
    assert.equal(outcomesOf(outcomes), ['eve@1', 'DuplicateKeyError', 'bob@1']);
    assert.is(await store.get(collection, 'mallory'), null);
    assert.equal(await idsOf(store, collection, { filter: { email: 'a@x' } }), ['ada']);
  });

  test('createMany retried with the same idempotency keys replays what it created and writes nothing more', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'taken', { original: true }, T0));
    const first = await store.createMany(collection, items(collection, { a: { n: 1 }, taken: {}, b: { n: 2 } }, 'req'), false);
    assert.equal(outcomesOf(first), ['a@1', 'DocumentAlreadyExistsError', 'b@1']);
    await store.delete(collection, 'taken', undefined);
    const retry = await store.createMany(collection, items(collection, { a: { n: 1 }, taken: {}, b: { n: 2 } }, 'req'), false);
    assert.equal(
      retry.map((outcome) => outcome.ok && outcome.value.replayed),
      [true, false, true],
    );
    assert.equal(outcomesOf(retry), ['a@1', 'taken@3', 'b@1']);
    assert.is(await store.count(collection, { filter: validateFilter({}) }), 3);
  });

  /** Items with one id list, each claiming `req#<position>` as a bulk create does, all with the same data and time. */
  const claimedItems = (collection: string, ids: readonly string[]) =>
    ids.map((id, i) => ({ document: newDocument(collection, id, { g: 5 }, T0), idempotency: { key: `req#${i}`, fingerprint: 'f' } }));

  test('an ordered createMany with idempotency keys stops at an id repeated within it, though its data is the same', async ({ store, collection }) => {
    const outcomes = await store.createMany(collection, claimedItems(collection, ['j1', 'j1', 'j2']), true);
    assert.equal(outcomesOf(outcomes), ['j1@1', 'DocumentAlreadyExistsError']);
    assert.is(await store.get(collection, 'j2'), null);
  });

  test('an ordered createMany with idempotency keys retried after stopping at a repeated id replays the first and stops there again', async ({ store, collection }) => {
    await store.createMany(collection, claimedItems(collection, ['j1', 'j1', 'j2']), true);
    const retry = await store.createMany(collection, claimedItems(collection, ['j1', 'j1', 'j2']), true);
    assert.equal(outcomesOf(retry), ['j1@1', 'DocumentAlreadyExistsError']);
    assert.is(retry[0]?.ok && retry[0].value.replayed, true);
  });

  test('an unordered createMany with idempotency keys creates an id repeated within it once; the other item fails', async ({ store, collection }) => {
    const outcomes = await store.createMany(collection, claimedItems(collection, ['j1', 'j1', 'j2']), false);
    assert.equal(outcomesOf(outcomes).sort(), ['DocumentAlreadyExistsError', 'j1@1', 'j2@1']);
    assert.is(outcomes.filter((outcome) => outcome.ok && !outcome.value.replayed).length, 2, 'one creation of j1, one of j2');
  });

  test('an ordered createMany stops at an id repeated within it: nothing after the repeat is written', async ({ store, collection }) => {
    const outcomes = await store.createMany(collection, items(collection, { a: {}, b: {} }).concat(items(collection, { a: {}, c: {} })), true);
    assert.equal(outcomesOf(outcomes), ['a@1', 'b@1', 'DocumentAlreadyExistsError']);
    assert.is(await store.get(collection, 'c'), null);
  });

  /** `count` documents with ids d000…, each with its own number. */
  const numbered = (collection: string, count: number) =>
    items(collection, Object.fromEntries(Array.from({ length: count }, (_, n) => [`d${String(n).padStart(3, '0')}`, { n }])));

  test('an ordered createMany of hundreds of items stops at a taken id far into it, with nothing after it written', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'd230', {}, T0));
    const outcomes = await store.createMany(collection, numbered(collection, 300), true);
    assert.is(outcomes.length, 231);
    assert.ok(outcomes.slice(0, 230).every((outcome) => outcome.ok));
    assert.equal(outcomesOf(outcomes.slice(230)), ['DocumentAlreadyExistsError']);
    assert.is(await store.count(collection, { filter: validateFilter({}) }), 231);
  });

  test('an ordered createMany of hundreds of items stops at a taken id in its first hundred, with nothing after it written', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'd050', {}, T0));
    const outcomes = await store.createMany(collection, numbered(collection, 300), true);
    assert.is(outcomes.length, 51);
    assert.equal(outcomesOf(outcomes.slice(50)), ['DocumentAlreadyExistsError']);
    assert.is(await store.get(collection, 'd150'), null);
    assert.is(await store.count(collection, { filter: validateFilter({}) }), 51);
  });

  test('an ordered createMany of hundreds of items revives a deleted id at its start and creates every other one once', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'd000', {}, T0));
    await store.delete(collection, 'd000', undefined);
    const outcomes = await store.createMany(collection, numbered(collection, 201), true);
    assert.equal(outcomesOf(outcomes.slice(0, 2)), ['d000@3', 'd001@1']);
    assert.ok(outcomes.every((outcome) => outcome.ok), outcomesOf(outcomes).filter((o) => !o.includes('@')).join());
    assert.is(await store.count(collection, { filter: validateFilter({}) }), 201);
  });

  test('an unordered createMany of hundreds of items creates every one but the taken ids', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'd050', {}, T0));
    await store.create(newDocument(collection, 'd250', {}, T0));
    const outcomes = await store.createMany(collection, numbered(collection, 300), false);
    assert.equal(
      outcomes.flatMap((outcome, n) => (outcome.ok ? [] : [`${n} ${(outcome.error as Error).name}`])),
      ['50 DocumentAlreadyExistsError', '250 DocumentAlreadyExistsError'],
    );
    assert.equal((await store.get(collection, 'd299'))?.data, { n: 299 });
    assert.is(await store.count(collection, { filter: validateFilter({}) }), 300);
  });

  test('createMany mixes items with and without idempotency keys, each created in its place', async ({ store, collection }) => {
    const keyed = items(collection, { k1: {}, k2: {} }, 'req');
    const batch = [...items(collection, { a: {} }), keyed[0]!, ...items(collection, { b: {}, c: {} }), keyed[1]!];
    assert.equal(outcomesOf(await store.createMany(collection, batch, true)), ['a@1', 'k1@1', 'b@1', 'c@1', 'k2@1']);
    assert.equal(
      (await store.createMany(collection, keyed, true)).map((outcome) => outcome.ok && outcome.value.replayed),
      [true, true],
    );
  });

  // --- replace ----------------------------------------------------------------------------------------------

  test('an unconditional replace swaps the data, adds 1 to the version and keeps createdAt', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'u1', { name: 'Ada', age: 36 }, T0));
    const replaced = await store.replace(collection, 'u1', { data: { name: 'Ada' }, now: T1 });
    const expected = {
      id: 'u1',
      collection,
      version: 2,
      createdAt: T0.toISOString(),
      updatedAt: T1.toISOString(),
      data: { name: 'Ada' },
    };
    assert.equal(replaced, expected);
    assert.equal(await store.get(collection, 'u1'), expected);
  });

  test('a replace that only renames keys stores the new names', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'u1', { g: 1, touched: true }, T0));
    const replaced = await store.replace(collection, 'u1', { data: { g: 1, seen: true }, now: T1 });
    assert.equal(replaced.data, { g: 1, seen: true });
    assert.equal((await store.get(collection, 'u1'))?.data, { g: 1, seen: true });
  });

  test('a replace at the current version succeeds', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'u1', { n: 1 }, T0));
    await store.replace(collection, 'u1', { data: { n: 2 }, expectedVersion: 1, now: T1 });
    const replaced = await store.replace(collection, 'u1', { data: { n: 3 }, expectedVersion: 2, now: T1 });
    assert.is(replaced.version, 3);
    assert.equal(replaced.data, { n: 3 });
  });

  test('a replace at a stale version throws VersionMismatchError with the actual version and changes nothing', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'u1', { n: 1 }, T0));
    const current = await store.replace(collection, 'u1', { data: { n: 2 }, now: T0 });
    const error = await rejection(store.replace(collection, 'u1', { data: { n: 3 }, expectedVersion: 1, now: T1 }), VersionMismatchError);
    assert.is(error.expected, 1);
    assert.is(error.actual, 2);
    assert.equal(await store.get(collection, 'u1'), current);
  });

  test('a replace of a missing document throws DocumentNotFoundError', async ({ store, collection }) => {
    await rejection(store.replace(collection, 'ghost', { data: { n: 1 }, now: T1 }), DocumentNotFoundError);
    assert.is(await store.get(collection, 'ghost'), null);
  });

  test('a conditional replace of a missing document throws DocumentNotFoundError, not a version mismatch', async ({ store, collection }) => {
    await rejection(store.replace(collection, 'ghost', { data: { n: 1 }, expectedVersion: 1, now: T1 }), DocumentNotFoundError);
    assert.is(await store.get(collection, 'ghost'), null);
  });

  test('of 30 concurrent replaces at the same version exactly one wins; the rest see VersionMismatchError', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'hot', { writer: -1 }, T0));
    const outcomes = await Promise.allSettled(range(30).map((writer) => store.replace(collection, 'hot', { data: { writer }, expectedVersion: 1, now: T1 })));
    const winners = outcomes.flatMap((o) => (o.status === 'fulfilled' ? [o.value] : []));
    const losers = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
    assert.is(winners.length, 1);
    for (const loser of losers) {
      assert.instance(loser, VersionMismatchError);
      assert.is((loser as VersionMismatchError).actual, 2);
    }
    assert.equal(await store.get(collection, 'hot'), winners[0]);
  });

  test('30 concurrent unconditional replaces each apply once: versions 2..31, none lost', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'hot', { writer: -1 }, T0));
    const replaced = await Promise.all(range(30).map((writer) => store.replace(collection, 'hot', { data: { writer }, now: T1 })));
    assert.equal(
      replaced.map((d) => d.version).sort((a, b) => a - b),
      range(30).map((i) => i + 2),
    );
    assert.is((await store.get(collection, 'hot'))?.version, 31);
  });

  // --- delete -----------------------------------------------------------------------------------------------

  test('an unconditional delete returns the deleted document and removes it', async ({ store, collection }) => {
    const { document } = await store.create(newDocument(collection, 'u1', { n: 1 }, T0));
    assert.equal(await store.delete(collection, 'u1', undefined), document);
    assert.is(await store.get(collection, 'u1'), null);
  });

  test('a delete at the current version returns the deleted document and removes it', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'u1', { n: 1 }, T0));
    const current = await store.replace(collection, 'u1', { data: { n: 2 }, now: T1 });
    assert.equal(await store.delete(collection, 'u1', 2), current);
    assert.is(await store.get(collection, 'u1'), null);
  });

  test('a delete at a stale version throws VersionMismatchError and the document remains', async ({ store, collection }) => {
    await store.create(newDocument(collection, 'u1', { n: 1 }, T0));
    const current = await store.replace(collection, 'u1', { data: { n: 2 }, now: T1 });
    const error = await rejection(store.delete(collection, 'u1', 1), VersionMismatchError);
    assert.is(error.actual, 2);
    assert.equal(await store.get(collection, 'u1'), current);
  });

  test('a delete of a missing document throws DocumentNotFoundError, with or without a version', async ({ store, collection }) => {
    await rejection(store.delete(collection, 'ghost', undefined), DocumentNotFoundError);
    await rejection(store.delete(collection, 'ghost', 1), DocumentNotFoundError);
  });

  // --- indexes ----------------------------------------------------------------------------------------------

  const byCity: IndexDefinition = { name: 'by_city', keys: [['city', 1], ['age', -1]], unique: false };
  const byEmail: IndexDefinition = { name: 'by_email', keys: [['email', 1]], unique: true };

  test('createIndex creates once, then finds the same definition; listIndexes shows it', async ({ store, collection }) => {
    assert.is(await store.createIndex(collection, byCity), true);
    assert.is(await store.createIndex(collection, byCity), false);
    assert.equal(await store.listIndexes(collection), [byCity]);
  });

  test('createIndex of a taken name with another definition throws IndexConflictError and changes nothing', async ({ store, collection }) => {
    await store.createIndex(collection, byCity);
    await rejection(store.createIndex(collection, { ...byCity, unique: true }), IndexConflictError);
    await rejection(store.createIndex(collection, { ...byCity, keys: [['city', 1]] }), IndexConflictError);
    assert.equal(await store.listIndexes(collection), [byCity]);
  });

  test('createIndex of the keys and uniqueness of another index under a new name throws IndexConflictError naming it, as MongoDB refuses it', async ({ store, collection }) => {
    await store.createIndex(collection, byCity);
    const error = await rejection(store.createIndex(collection, { ...byCity, name: 'city_age' }), IndexConflictError);
    assert.match(error.message, /'by_city'/);
    assert.equal(await store.listIndexes(collection), [byCity]);
  });

  test('dropIndex removes the index; dropping it again throws IndexNotFoundError', async ({ store, collection }) => {
    await store.createIndex(collection, byCity);
    await store.dropIndex(collection, 'by_city');
    assert.equal(await store.listIndexes(collection), []);
    await rejection(store.dropIndex(collection, 'by_city'), IndexNotFoundError);
  });

  test('a collection without indexes lists none', async ({ store, collection }) => {
    assert.equal(await store.listIndexes(collection), []);
  });

  test('a unique index refuses a create with a key another document holds, and nothing is stored', async ({ store, collection }) => {
    await store.createIndex(collection, byEmail);
    await store.create(newDocument(collection, 'ada', { email: 'ada@example.com' }, T0));
    const error = await rejection(store.create(newDocument(collection, 'eve', { email: 'ada@example.com' }, T0)), DuplicateKeyError);
    assert.is(error.code, 'duplicate_key');
    assert.is(await store.get(collection, 'eve'), null);
  });

  test('a unique index refuses a replace that would take another document’s key, and the document is unchanged', async ({ store, collection }) => {
    await store.createIndex(collection, byEmail);
    await store.create(newDocument(collection, 'ada', { email: 'ada@example.com' }, T0));
    const { document: eve } = await store.create(newDocument(collection, 'eve', { email: 'eve@example.com' }, T0));
    await rejection(store.replace(collection, 'eve', { data: { email: 'ada@example.com' }, now: T1 }), DuplicateKeyError);
    assert.equal(await store.get(collection, 'eve'), eve);
  });

  test('a unique key is free again once its document is deleted or changes it', async ({ store, collection }) => {
    await store.createIndex(collection, byEmail);
    await store.create(newDocument(collection, 'ada', { email: 'a@example.com' }, T0));
    await store.delete(collection, 'ada', undefined);
    await store.create(newDocument(collection, 'eve', { email: 'a@example.com' }, T0));
    await store.replace(collection, 'eve', { data: { email: 'e@example.com' }, now: T1 });
    assert.is((await store.create(newDocument(collection, 'bob', { email: 'a@example.com' }, T0))).document.id, 'bob');
  });

  test('a unique index refuses a second document that lacks the field: a missing field is the key null', async ({ store, collection }) => {
    await store.createIndex(collection, byEmail);
    await store.create(newDocument(collection, 'm1', {}, T0));
    await rejection(store.create(newDocument(collection, 'm2', {}, T0)), DuplicateKeyError);
    assert.is(await store.get(collection, 'm2'), null);
  });

  test('a unique index refuses a null key where another document lacks the field', async ({ store, collection }) => {
    await store.createIndex(collection, byEmail);
    await store.create(newDocument(collection, 'm1', {}, T0));
    await rejection(store.create(newDocument(collection, 'n1', { email: null }, T0)), DuplicateKeyError);
    assert.is(await store.get(collection, 'n1'), null);
  });

  test('a unique index refuses an array holding an element that is another document’s key', async ({ store, collection }) => {
    await store.createIndex(collection, byEmail);
    await store.create(newDocument(collection, 's1', { email: 'a@x' }, T0));
    await rejection(store.create(newDocument(collection, 's2', { email: ['b@x', 'a@x'] }, T0)), DuplicateKeyError);
    assert.is(await store.get(collection, 's2'), null);
  });

  test('a unique index refuses a key that is an element of another document’s array', async ({ store, collection }) => {
    await store.createIndex(collection, byEmail);
    await store.create(newDocument(collection, 's3', { email: ['c@x'] }, T0));
    await rejection(store.create(newDocument(collection, 's4', { email: 'c@x' }, T0)), DuplicateKeyError);
    assert.is(await store.get(collection, 's4'), null);
  });

  test('a unique index over documents that share a key throws DuplicateKeyError and is not created', async ({ store, collection }) => {
    await seed(store, collection, { a: { email: 'same' }, b: { email: 'same' } });
    await rejection(store.createIndex(collection, byEmail), DuplicateKeyError);
    assert.equal(await store.listIndexes(collection), []);
    assert.is((await store.create(newDocument(collection, 'c', { email: 'same' }, T0))).document.id, 'c', 'no half-built index refuses');
  });

  test('of 30 concurrent creates with one unique key exactly one succeeds; the rest see DuplicateKeyError', async ({ store, collection }) => {
    await store.createIndex(collection, byEmail);
    const results = await Promise.allSettled(range(30).map((i) => store.create(newDocument(collection, `u${i}`, { email: 'one@example.com' }, T0))));
    assert.is(results.filter((r) => r.status === 'fulfilled').length, 1);
    for (const r of results) if (r.status === 'rejected') assert.instance(r.reason, DuplicateKeyError);
    assert.is(await store.count(collection, { filter: validateFilter({ email: 'one@example.com' }) }), 1);
  });

  // Index builds racing other calls. A build over a few thousand documents takes several steps, so calls made
  // while it runs land between them; each test asserts only what holds in every order the calls can take.

  const byE: IndexDefinition = { name: 'by_e', keys: [['e', 1]], unique: false };
  const uniqueE: IndexDefinition = { ...byE, unique: true };

  /** A flag that turns false once `work` settles, for a loop to repeat something while it runs. */
  const whileRunning = (work: Promise<unknown>): { readonly running: boolean } => {
    const state = { running: true };
    const settled = () => (state.running = false);
    void work.then(settled, settled);
    return state;
  };

  /** 3,000 documents d00000.. with data `data(i)`: enough that building an index over them takes a while. */
  const seedMany = async (store: DocumentStore, collection: string, data: (i: number) => JsonObject) => {
    for (let start = 0; start < 3000; start += 1000) {
      const batch = range(1000).map((i) => ({ document: newDocument(collection, `d${String(start + i).padStart(5, '0')}`, data(start + i), T0) }));
      await store.createMany(collection, batch, false);
    }
  };
  /** Every e distinct, but the last document's, which repeats the first's. */
  const oneSharedKey = (i: number): JsonObject => ({ e: i === 2999 ? 'v0' : `v${i}` });

  test('of concurrent createIndex calls of one definition exactly one creates it; the others find it existing', async ({ store, collection }) => {
    await seedMany(store, collection, (i) => ({ e: `v${i}` }));
    const created = await Promise.all(range(4).map(() => store.createIndex(collection, byE)));
    assert.is(created.filter(Boolean).length, 1, `created: ${created.join(', ')}`);
    assert.equal(await store.listIndexes(collection), [byE]);
  });

  test('a unique createIndex that arrives while another builds it over a shared key throws DuplicateKeyError too', async ({ store, collection }) => {
    await seedMany(store, collection, oneSharedKey);
    const outcomes = await Promise.allSettled([
      store.createIndex(collection, uniqueE),
      // Once this write is through, the first build is under way.
      store.create(newDocument(collection, 'later', { e: 'later' }, T0)).then(() => store.createIndex(collection, uniqueE)),
    ]);
    assert.equal(
      outcomes.map((outcome) => (outcome.status === 'rejected' ? (outcome.reason as Error).name : `created: ${outcome.value}`)),
      ['DuplicateKeyError', 'DuplicateKeyError'],
    );
    assert.equal(await store.listIndexes(collection), []);
  });

  test('a createIndex whose index is dropped while it builds still creates it', async ({ store, collection }) => {
    await seedMany(store, collection, (i) => ({ e: `v${i}` }));
    const [created] = await Promise.all([
      store.createIndex(collection, byE),
      // Whether the drop lands during the build or after it, the create answers that it created the index.
      store
        .create(newDocument(collection, 'later', { e: 'later' }, T0))
        .then(() => store.dropIndex(collection, byE.name))
        .catch((error: unknown) => assert.instance(error, IndexNotFoundError)),
    ]);
    assert.is(created, true);
  });

  test('writes while a unique index is being built are not refused by it; its build then fails on the shared key', async ({ store, collection }) => {
    await seedMany(store, collection, oneSharedKey);
    const creating = store.createIndex(collection, uniqueE);
    const build = whileRunning(creating);
    // 'v1' is document d00001's key: a ready unique index would refuse every one of these.
    for (let i = 0; build.running; i++) await store.create(newDocument(collection, `w${i}`, { e: 'v1' }, T0));
    await rejection(creating, DuplicateKeyError);
    assert.equal(await store.listIndexes(collection), []);
  });

  test('an index being built is not listed (a unique build that fails is never listed)', async ({ store, collection }) => {
    await seedMany(store, collection, oneSharedKey);
    const creating = store.createIndex(collection, uniqueE);
    const build = whileRunning(creating);
    const listed: string[] = [];
    while (build.running) listed.push(...(await store.listIndexes(collection)).map((index) => index.name));
    await rejection(creating, DuplicateKeyError);
    assert.equal(listed, []);
  });

  test('a unique index tells an array’s elements from an inner array equal to it: {e: ["x","y"]} and {e: [["x","y"]]} both stand', async ({ store, collection }) => {
    await store.createIndex(collection, uniqueE);
    await store.create(newDocument(collection, 'elements', { e: ['x', 'y'] }, T0));
    await store.create(newDocument(collection, 'inner', { e: [['x', 'y']] }, T0));
    assert.equal(await idsOf(store, collection), ['elements', 'inner']);
  });

  test('an index built over existing documents serves a query, with the same answer as a scan', async ({ store, collection }) => {
    const people = Object.fromEntries(range(60).map((i) => [`p${pad(i)}`, { city: ['Oslo', 'Paris', 'Rome'][i % 3]!, age: i % 20 }]));
    await seed(store, collection, people);
    const query: Find = { filter: { city: 'Paris', age: { $gte: 5 } }, sort: [['age', -1]], limit: 5 };
    const scanned = await find(store, collection, query);
    await store.createIndex(collection, byCity);
    const indexed = await find(store, collection, query);
    assert.equal(indexed.documents, scanned.documents);
    assert.equal(indexed.next, scanned.next);
  });

  test('a multikey index (an array per document) finds documents by any element', async ({ store, collection }) => {
    await store.createIndex(collection, { name: 'by_tag', keys: [['tags', 1]], unique: false });
    await seed(store, collection, { a: { tags: ['x', 'y'] }, b: { tags: ['y'] }, c: { tags: 'x' }, d: {} });
    assert.equal(await idsOf(store, collection, { filter: { tags: 'x' } }), ['a', 'c']);
    assert.equal(await idsOf(store, collection, { filter: { tags: { $in: ['y', 'z'] } } }), ['a', 'b']);
    assert.equal(await idsOf(store, collection, { filter: { tags: null } }), ['d']);
  });

  // An index on two fields of one array of objects: MongoDB keys each element, pairing its fields (not every
  // score with every rater), so documents are not refused as parallel arrays.
  const byRating: IndexDefinition = { name: 'by_rating', keys: [['ratings.score', 1], ['ratings.by', 1]], unique: false };
  const uniqueRating: IndexDefinition = { ...byRating, unique: true };
  const rated = { ratings: [{ score: 2, by: 'mn' }, { score: 9, by: 'anon' }] };

  test('a unique index on two fields of one array of objects takes a document whose pair no element of another holds', async ({ store, collection }) => {
    await store.createIndex(collection, uniqueRating);
    await store.create(newDocument(collection, 'rated', rated, T0));
    await store.create(newDocument(collection, 'paired', { ratings: [{ score: 2, by: 'anon' }] }, T0));
    assert.equal(await idsOf(store, collection), ['paired', 'rated']);
  });

  test('a unique index on two fields of one array of objects refuses an element with the pair of another document’s element', async ({ store, collection }) => {
    await store.createIndex(collection, uniqueRating);
    await store.create(newDocument(collection, 'rated', rated, T0));
    await rejection(store.create(newDocument(collection, 'again', { ratings: [{ score: 1, by: 'mn' }, { score: 9, by: 'anon' }] }, T0)), DuplicateKeyError);
    assert.is(await store.get(collection, 'again'), null);
  });

  const apart: Find = { filter: { 'ratings.score': 2, 'ratings.by': 'anon' } };
  const seedRatings = (store: DocumentStore, collection: string) =>
    seed(store, collection, { rated, paired: { ratings: [{ score: 2, by: 'anon' }] }, other: { ratings: [{ score: 2, by: 'mn' }] }, none: {} });

  test('a query on two fields of one array of objects met by different elements finds the document, with the index as without', async ({ store, collection }) => {
    await seedRatings(store, collection);
    const scanned = await idsOf(store, collection, apart);
    await store.createIndex(collection, byRating);
    assert.equal(scanned, ['paired', 'rated']);
    assert.equal(await idsOf(store, collection, apart), scanned);
    assert.is(await store.count(collection, { filter: apart.filter as Filter }), 2);
  });

  test('explain names the index on two fields of one array of objects that serves a query on them', async ({ store, collection }) => {
    await seedRatings(store, collection);
    await store.createIndex(collection, byRating);
    const { documents, stats } = await store.query(collection, { ...querySpec(apart), explain: true });
    assert.is(stats.index, 'by_rating');
    assert.equal(
      documents.map((d) => d.id),
      ['paired', 'rated'],
    );
  });

  test('count counts the documents a filter matches, with or without an index', async ({ store, collection }) => {
    await seed(store, collection, Object.fromEntries(range(25).map((i) => [`d${pad(i)}`, { city: i % 5 === 0 ? 'Oslo' : 'Rome', age: i }])));
    const count = (filter: JsonObject) => store.count(collection, { filter: filter as Filter });
    const before = [await count({}), await count({ city: 'Oslo' }), await count({ city: 'Rome', age: { $lt: 10 } }), await count({ nope: 1 })];
    await store.createIndex(collection, byCity);
    const after = [await count({}), await count({ city: 'Oslo' }), await count({ city: 'Rome', age: { $lt: 10 } }), await count({ nope: 1 })];
    assert.equal(before, [25, 5, 8, 0]);
    assert.equal(after, before);
  });

  test('count equals the number of documents query returns for null through arrays, with and without an index', async ({ store, collection }) => {
    await seed(store, collection, {
      scalars: { a: [1, 2] },
      empty: { a: [] },
      'null-b': { a: { b: null } },
      'one-without-b': { a: [{ b: 1 }, { c: 1 }] },
      'null-element': { a: [null] },
      scalar: { a: 5 },
      missing: {},
    });
    const filters: JsonObject[] = [{ 'a.b': null }, { 'a.b': { $in: [null, 1] } }, { 'a.0': null }, { 'a.0.b': null }];
    const countsAndReturned = async () => {
      const counts: number[] = [];
      const returned: number[] = [];
      for (const filter of filters) {
        counts.push(await store.count(collection, { filter: filter as Filter }));
        returned.push((await idsOf(store, collection, { filter })).length);
      }
      return { counts, returned };
    };
    const unindexed = await countsAndReturned();
    for (const [i, path] of ['a.b', 'a.0', 'a.0.b'].entries()) await store.createIndex(collection, { name: `by_path${i}`, keys: [[path, 1]], unique: false });
    const indexed = await countsAndReturned();
    assert.equal(unindexed.counts, unindexed.returned, 'without an index');
    assert.equal(indexed.counts, indexed.returned, 'with an index on each path');
  });

  test('a query past its maxTimeMs stops with QueryTimeoutError', async ({ store, collection }) => {
    await seed(store, collection, Object.fromEntries(range(3000).map((i) => [`d${String(i).padStart(4, '0')}`, { n: i, text: 'x'.repeat(200) }])));
    const error = await rejection(store.query(collection, querySpec({ filter: { text: { $regex: 'y' } }, sort: [['n', -1]], maxTimeMs: 1 })), QueryTimeoutError);
    assert.is(error.maxTimeMs, 1);
  });

  // --- collections ------------------------------------------------------------------------------------------

  test('collections are isolated: the same id lives independently in two collections', async ({ store, collection }) => {
    const other = `${collection}_other`;
    await store.create(newDocument(collection, 'u1', { home: 'one' }, T0));
    await store.create(newDocument(other, 'u1', { home: 'other' }, T0));
    await store.create(newDocument(other, 'u2', { home: 'other' }, T0));
    assert.equal((await store.get(collection, 'u1'))?.data, { home: 'one' });
    assert.equal(await idsOf(store, collection), ['u1']);
    await store.delete(other, 'u1', undefined);
    assert.equal((await store.get(collection, 'u1'))?.data, { home: 'one' });
  });

  test('a query of an empty collection returns no documents and no next position', async ({ store, collection }) => {
    const result = await find(store, collection);
    assert.equal(result.documents, []);
    assert.is(result.next, null);
  });

  // --- query: filters ---------------------------------------------------------------------------------------

  test('query: implicit equality matches a top-level field', async ({ store, collection }) => {
    await seed(store, collection, { a: { color: 'red' }, b: { color: 'blue' }, c: { color: 'red' }, d: { colour: 'red' } });
    assert.equal(await idsOf(store, collection, { filter: { color: 'red' } }), ['a', 'c']);
  });

  test('query: a query returns whole documents with their metadata', async ({ store, collection }) => {
    const { document } = await store.create(newDocument(collection, 'a', { color: 'red', n: 1 }, T0));
    assert.equal((await find(store, collection, { filter: { color: 'red' } })).documents, [document]);
  });

  test('query: equality with a scalar also matches arrays that contain it', async ({ store, collection }) => {
    await seed(store, collection, { a: { tags: ['x', 'y'] }, b: { tags: ['y'] }, c: { tags: 'x' }, d: { tags: [['x']] } });
    assert.equal(await idsOf(store, collection, { filter: { tags: 'x' } }), ['a', 'c']);
  });

  test('query: equality with an array matches that exact array, or an array holding it as an element', async ({ store, collection }) => {
    await seed(store, collection, {
      a: { tags: ['x', 'y'] },
      b: { tags: ['y', 'x'] },
      c: { tags: [['x', 'y'], 'z'] },
      d: { tags: ['x', 'y', 'z'] },
      e: { tags: 'x' },
    });
    assert.equal(await idsOf(store, collection, { filter: { tags: ['x', 'y'] } }), ['a', 'c']);
  });

  test('query: equality with an object matches only an identical object, key order included', async ({ store, collection }) => {
    await seed(store, collection, {
      a: { at: { city: 'London', zip: 'N1' } },
      b: { at: { zip: 'N1', city: 'London' } },
      c: { at: { city: 'London', zip: 'N1', floor: 2 } },
      d: { at: { city: 'London' } },
    });
    assert.equal(await idsOf(store, collection, { filter: { at: { city: 'London', zip: 'N1' } } }), ['a']);
  });

  test('query: dotted paths reach into nested objects', async ({ store, collection }) => {
    await seed(store, collection, {
      a: { address: { city: 'London' } },
      b: { address: { city: 'Paris' } },
      c: { city: 'London' },
      d: { address: 'London' },
    });
    assert.equal(await idsOf(store, collection, { filter: { 'address.city': 'London' } }), ['a']);
  });

  test('query: dotted paths traverse arrays of objects', async ({ store, collection }) => {
    await seed(store, collection, {
      a: { items: [{ sku: 'p', qty: 1 }, { sku: 'q', qty: 5 }] },
      b: { items: [{ sku: 'r', qty: 5 }] },
      c: { items: { sku: 'q' } },
      d: { items: [] },
    });
    assert.equal(await idsOf(store, collection, { filter: { 'items.sku': 'q' } }), ['a', 'c']);
  });

  test('query: a numeric path segment addresses an array position', async ({ store, collection }) => {
    await seed(store, collection, { a: { v: ['x', 'y'] }, b: { v: ['y', 'x'] }, c: { v: { '0': 'x' } } });
    assert.equal(await idsOf(store, collection, { filter: { 'v.0': 'x' } }), ['a', 'c']);
  });

  test('query: null matches a null field, a missing field and an array containing null', async ({ store, collection }) => {
    await seed(store, collection, {
      a: { v: null },
      b: {},
      c: { v: 0 },
      d: { v: 'x' },
      e: { v: [null, 1] },
      f: { v: [] },
      g: { v: false },
    });
    assert.equal(await idsOf(store, collection, { filter: { v: null } }), ['a', 'b', 'e']);
  });

  test('query: $eq behaves as implicit equality', async ({ store, collection }) => {
    await seed(store, collection, { a: { v: 1 }, b: { v: [2, 1] }, c: { v: 2 } });
    assert.equal(await idsOf(store, collection, { filter: { v: { $eq: 1 } } }), ['a', 'b']);
  });

  test('query: $ne excludes equal values, arrays containing the value, and keeps missing fields', async ({ store, collection }) => {
    await seed(store, collection, { a: { v: 1 }, b: { v: 2 }, c: {}, d: { v: [1, 2] }, e: { v: '1' } });
    assert.equal(await idsOf(store, collection, { filter: { v: { $ne: 1 } } }), ['b', 'c', 'e']);
  });

  test('query: $in matches any listed value, also inside arrays', async ({ store, collection }) => {
    await seed(store, collection, { a: { v: 'x' }, b: { v: 'y' }, c: { v: ['z', 'y'] }, d: {}, e: { v: 'q' } });
    assert.equal(await idsOf(store, collection, { filter: { v: { $in: ['y', 'q'] } } }), ['b', 'c', 'e']);
  });

  test('query: $in with null matches missing fields', async ({ store, collection }) => {
    await seed(store, collection, { a: { v: 'x' }, b: { v: 'y' }, d: {} });
    assert.equal(await idsOf(store, collection, { filter: { v: { $in: [null, 'x'] } } }), ['a', 'd']);
  });

  const LONG_LIST = { a: { v: 'v0' }, b: { v: 'v2000' }, c: { v: ['w', 'v1000'] }, d: { v: 1000 }, e: {}, f: { v: 'v1999' } };
  const listOf2000 = (): JsonObject => ({ v: { $in: range(2000).map((i) => `v${i}`) } });

  test('query: a $in listing 2,000 values answers the matching documents', async ({ store, collection }) => {
    await seed(store, collection, LONG_LIST);
    assert.equal(await idsOf(store, collection, { filter: listOf2000() }), ['a', 'c', 'f']);
  });

  test('count of a $in listing 2,000 values counts the matching documents', async ({ store, collection }) => {
    await seed(store, collection, LONG_LIST);
    assert.is(await store.count(collection, { filter: listOf2000() as Filter }), 3);
  });

  test('query: a $and of 1,000 range clauses answers the documents within every range', async ({ store, collection }) => {
    await seed(store, collection, { a: { n: 5 }, b: { n: 500 }, c: { n: 0 }, d: { n: [200, 50] }, e: { n: 'x' }, f: {} });
    // n > 0, n > -1, ... and n < 101, n < 103, ...: together 0 < n < 101.
    const clauses = range(1000).map((i): JsonObject => (i % 2 === 0 ? { n: { $gt: -i } } : { n: { $lt: 100 + i } }));
    assert.equal(await idsOf(store, collection, { filter: { $and: clauses } }), ['a', 'd']);
  });

  test('query: a filter of 1,000 fields answers the documents matching every field', async ({ store, collection }) => {
    const all = Object.fromEntries(range(1000).map((i) => [`k${i}`, i]));
    await seed(store, collection, { a: all, b: { ...all, k999: -1 }, c: { k0: 0 } });
    assert.equal(await idsOf(store, collection, { filter: all }), ['a']);
  });

  test('query: $nin excludes listed values, also inside arrays, and keeps missing fields', async ({ store, collection }) => {
    await seed(store, collection, { a: { v: 'x' }, b: { v: 'y' }, c: { v: ['z', 'y'] }, d: {} });
    assert.equal(await idsOf(store, collection, { filter: { v: { $nin: ['y'] } } }), ['a', 'd']);
  });

  test('query: $exists tells present fields (even null) from missing ones', async ({ store, collection }) => {
    await seed(store, collection, { a: { v: null }, b: {}, c: { v: 0 }, d: { w: 1 } });
    assert.equal(await idsOf(store, collection, { filter: { v: { $exists: true } } }), ['a', 'c']);
    assert.equal(await idsOf(store, collection, { filter: { v: { $exists: false } } }), ['b', 'd']);
  });

  test('query: $exists reads a number as MongoDB does, by truthiness: 1 is true, 0 is false', async ({ store, collection }) => {
    await seed(store, collection, { has: { n: 1 }, lacks: {} });
    assert.equal(await idsOf(store, collection, { filter: { n: { $exists: 1 } } }), ['has']);
    assert.equal(await idsOf(store, collection, { filter: { n: { $exists: 0 } } }), ['lacks']);
    assert.equal(await idsOf(store, collection, { filter: { n: { $not: { $exists: 1 } } } }), ['lacks']);
    assert.is(await store.count(collection, { filter: validateFilter({ n: { $exists: 0 } }) }), 1);
  });

  test('query: $gt $gte $lt $lte compare only values of the same type', async ({ store, collection }) => {
    await seed(store, collection, {
      a: { v: 5 },
      b: { v: '10' },
      c: { v: 10 },
      d: { v: null },
      e: {},
      f: { v: true },
      g: { v: 7.5 },
      h: { v: '2' },
    });
    assert.equal(await idsOf(store, collection, { filter: { v: { $gt: 5 } } }), ['c', 'g']);
    assert.equal(await idsOf(store, collection, { filter: { v: { $gte: 5 } } }), ['a', 'c', 'g']);
    assert.equal(await idsOf(store, collection, { filter: { v: { $lte: 5 } } }), ['a']);
    assert.equal(await idsOf(store, collection, { filter: { v: { $lt: '2' } } }), ['b']);
    assert.equal(await idsOf(store, collection, { filter: { v: { $gte: '2' } } }), ['h']);
  });

  test('query: a comparison matches an array when any element satisfies it', async ({ store, collection }) => {
    await seed(store, collection, { a: { v: [1, 20] }, b: { v: [1, 2] }, c: { v: 15 } });
    assert.equal(await idsOf(store, collection, { filter: { v: { $gt: 10 } } }), ['a', 'c']);
  });

  test('query: on an array, each condition of a range may be met by a different element', async ({ store, collection }) => {
    await seed(store, collection, { a: { v: [1, 20] }, b: { v: [30, 40] }, c: { v: 7 }, d: { v: 20 } });
    assert.equal(await idsOf(store, collection, { filter: { v: { $gt: 5, $lt: 10 } } }), ['a', 'c']);
  });

  test('query: $regex matches strings only, case-insensitively with $options "i"', async ({ store, collection }) => {
    await seed(store, collection, {
      a: { name: 'Ada' },
      b: { name: 'adam' },
      c: { name: 'Bada' },
      d: { name: 42 },
      e: { name: ['x', 'ADAx'] },
      f: {},
    });
    assert.equal(await idsOf(store, collection, { filter: { name: { $regex: '^ada', $options: 'i' } } }), ['a', 'b', 'e']);
    assert.equal(await idsOf(store, collection, { filter: { name: { $regex: '^ada' } } }), ['b']);
  });

  test('query: $regex inline flags act as in PCRE: (?s) lets dot match a newline, (?m) keeps \\A and \\z at the ends of the string', async ({ store, collection }) => {
    await seed(store, collection, { a: { text: 'one\ntwo' }, b: { text: 'one two' } });
    assert.equal(await idsOf(store, collection, { filter: { text: { $regex: '(?s)one.two' } } }), ['a', 'b']);
    assert.equal(await idsOf(store, collection, { filter: { text: { $regex: '(?m)\\Atwo' } } }), []);
    assert.equal(await idsOf(store, collection, { filter: { text: { $regex: '(?m)one\\z' } } }), []);
    assert.equal(await idsOf(store, collection, { filter: { text: { $regex: '(?m)^two$' } } }), ['a']);
  });

  const LOGIC: Record<string, JsonObject> = { a: { v: 1, w: 'x' }, b: { v: 1, w: 'y' }, c: { v: 2, w: 'x' }, d: {} };

  test('query: $and matches when every clause matches', async ({ store, collection }) => {
    await seed(store, collection, LOGIC);
    assert.equal(await idsOf(store, collection, { filter: { $and: [{ v: 1 }, { w: 'x' }] } }), ['a']);
  });

  test('query: $or matches when any clause matches', async ({ store, collection }) => {
    await seed(store, collection, LOGIC);
    assert.equal(await idsOf(store, collection, { filter: { $or: [{ v: 2 }, { w: 'y' }] } }), ['b', 'c']);
  });

  test('query: $nor matches when no clause matches, missing fields included', async ({ store, collection }) => {
    await seed(store, collection, LOGIC);
    assert.equal(await idsOf(store, collection, { filter: { $nor: [{ v: 2 }, { w: 'y' }] } }), ['a', 'd']);
  });

  test('query: $not negates an operator expression, matching missing fields and other types', async ({ store, collection }) => {
    await seed(store, collection, { a: { v: 1 }, b: { v: 5 }, c: {}, d: { v: 'x' } });
    assert.equal(await idsOf(store, collection, { filter: { v: { $not: { $gt: 2 } } } }), ['a', 'c', 'd']);
  });

  test('query: top-level fields and operators combine as AND', async ({ store, collection }) => {
    await seed(store, collection, LOGIC);
    assert.equal(await idsOf(store, collection, { filter: { w: 'x', $or: [{ v: 2 }, { v: 3 }] } }), ['c']);
  });

  // --- query: sort, limit, paging ---------------------------------------------------------------------------

  test('query: without a sort, documents come in id order', async ({ store, collection }) => {
    await seed(store, collection, { m: {}, b: {}, z: {}, a: {} });
    assert.equal(await idsOf(store, collection), ['a', 'b', 'm', 'z']);
  });

  test('query: an ascending sort orders by the field, ties by id', async ({ store, collection }) => {
    await seed(store, collection, { c: { n: 2 }, a: { n: 1 }, b: { n: 2 }, d: { n: 1 } });
    assert.equal(await idsOf(store, collection, { sort: [['n', 1]] }), ['a', 'd', 'b', 'c']);
  });

  test('query: a descending sort orders by the field descending, ties still by id ascending', async ({ store, collection }) => {
    await seed(store, collection, { c: { n: 2 }, a: { n: 1 }, b: { n: 2 }, d: { n: 1 } });
    assert.equal(await idsOf(store, collection, { sort: [['n', -1]] }), ['b', 'c', 'a', 'd']);
  });

  test('query: several sort fields apply in priority order', async ({ store, collection }) => {
    await seed(store, collection, { a: { g: 'x', n: 2 }, b: { g: 'y', n: 1 }, c: { g: 'x', n: 1 } });
    assert.equal(
      await idsOf(store, collection, {
        sort: [
          ['g', 1],
          ['n', -1],
        ],
      }),
      ['a', 'c', 'b'],
    );
  });

  test('query: a sort on a dotted path sorts by the nested value', async ({ store, collection }) => {
    await seed(store, collection, { a: { p: { n: 3 } }, b: { p: { n: 1 } }, c: { p: { n: 2 } } });
    assert.equal(await idsOf(store, collection, { sort: [['p.n', 1]] }), ['b', 'c', 'a']);
  });

  test('query: mixed types sort as MongoDB does: missing = null < numbers < strings < objects < booleans', async ({ store, collection }) => {
    await seed(store, collection, {
      t: { v: true },
      s1: { v: 'b' },
      i1: { v: 10 },
      n: { v: null },
      o: { v: { x: 1 } },
      f: { v: false },
      s2: { v: 'a' },
      m: {},
      i2: { v: 2.5 },
    });
    assert.equal(await idsOf(store, collection, { sort: [['v', 1]] }), ['m', 'n', 'i2', 'i1', 's2', 's1', 'o', 'f', 't']);
    assert.equal(await idsOf(store, collection, { sort: [['v', -1]] }), ['t', 'f', 'o', 's1', 's2', 'i1', 'i2', 'm', 'n']);
  });

  test('query: an array field sorts by its smallest element ascending and its largest descending', async ({ store, collection }) => {
    await seed(store, collection, { a: { v: [1, 10] }, b: { v: 5 }, c: { v: [3, 4] } });
    assert.equal(await idsOf(store, collection, { sort: [['v', 1]] }), ['a', 'c', 'b']);
    assert.equal(await idsOf(store, collection, { sort: [['v', -1]] }), ['a', 'b', 'c']);
  });

  test('query: limit returns the first documents and the position of the last one returned', async ({ store, collection }) => {
    await seed(store, collection, { a: {}, b: {}, c: {}, d: {}, e: {} });
    const result = await find(store, collection, { limit: 2 });
    assert.equal(
      result.documents.map((d) => d.id),
      ['a', 'b'],
    );
    assert.is(result.next?.id, 'b');
  });

  test('query: next is null when nothing more matches, even when the page is exactly full', async ({ store, collection }) => {
    await seed(store, collection, { a: { v: 1 }, b: { v: 1 }, c: { v: 2 } });
    assert.is((await find(store, collection, { filter: { v: 1 }, limit: 2 })).next, null);
    assert.is((await find(store, collection, { sort: [['v', 1]], limit: 3 })).next, null);
    assert.is((await find(store, collection, { limit: 5 })).next, null);
  });

  test('query: paging in id order visits every matching document once, in order', async ({ store, collection }) => {
    const docs = Object.fromEntries(range(25).map((i) => [`d${pad(i)}`, { even: i % 2 === 0 }]));
    await seed(store, collection, docs);
    const walked = await walk(store, collection, { filter: { even: true }, limit: 4 });
    assert.equal(
      walked.map((d) => d.id),
      range(25)
        .filter((i) => i % 2 === 0)
        .map((i) => `d${pad(i)}`),
    );
  });

  test('query: paging in sort order visits every document once, in order, across ties', async ({ store, collection }) => {
    await seed(store, collection, Object.fromEntries(range(25).map((i) => [`d${pad(i)}`, { n: i % 5 }])));
    const walked = await walk(store, collection, { sort: [['n', -1]], limit: 3 });
    const expected = range(25)
      .map((i) => ({ id: `d${pad(i)}`, n: i % 5 }))
      .sort((a, b) => b.n - a.n || (a.id < b.id ? -1 : 1))
      .map((d) => d.id);
    assert.equal(
      walked.map((d) => d.id),
      expected,
    );
  });

  test('query: paging stays stable while documents are inserted between pages', async ({ store, collection }) => {
    const original = range(12).map((i) => `d${pad(i)}`);
    await seed(store, collection, Object.fromEntries(original.map((id, i) => [id, { n: i % 4 }])));
    let inserted = 0;
    const walked = await walk(store, collection, { sort: [['n', 1]], limit: 3 }, async (page) => {
      if (page >= 3) return;
      // New documents land both before and after the current position, in sort order and in id order.
      for (const n of [0, 1, 2, 3]) {
        await store.create(newDocument(collection, `a${pad(inserted)}`, { n }, T1));
        await store.create(newDocument(collection, `z${pad(inserted++)}`, { n }, T1));
      }
    });
    const ids = walked.map((d) => d.id);
    assert.is(new Set(ids).size, ids.length, 'no document is served twice');
    for (const id of original) assert.ok(ids.includes(id), `${id} existed from the start and must be served`);
    const keys = walked.map((d) => d.data['n'] as number);
    assert.equal(
      keys,
      [...keys].sort((a, b) => a - b),
      'pages continue in sort order',
    );
  });

  // --- query: projection ------------------------------------------------------------------------------------

  test('query: fields project data to the requested paths, nested and through arrays', async ({ store, collection }) => {
    await seed(store, collection, {
      a: {
        name: 'Ada',
        age: 36,
        address: { city: 'London', zip: 'N1' },
        items: [
          { sku: 'p', qty: 1 },
          { sku: 'q', qty: 5 },
        ],
      },
      b: { age: 41 },
    });
    const { documents } = await find(store, collection, { fields: ['name', 'address.city', 'items.sku'] });
    assert.equal(
      documents.map((d) => d.data),
      [{ name: 'Ada', address: { city: 'London' }, items: [{ sku: 'p' }, { sku: 'q' }] }, {}],
    );
    assert.equal(
      documents.map((d) => [d.id, d.version]),
      [
        ['a', 1],
        ['b', 1],
      ],
    );
  });

  test('query: projecting away the sort field does not disturb paging', async ({ store, collection }) => {
    await seed(store, collection, Object.fromEntries(range(7).map((i) => [`d${i}`, { n: 7 - i, name: `n${i}` }])));
    const walked = await walk(store, collection, { sort: [['n', 1]], limit: 2, fields: ['name'] });
    assert.equal(
      walked.map((d) => d.id),
      ['d6', 'd5', 'd4', 'd3', 'd2', 'd1', 'd0'],
    );
    assert.equal(walked[0]?.data, { name: 'n6' });
  });

  if (withIndexes) {
    test('indexes served queries of this suite, and every one answered as without them', () => {
      console.log(`${name}: ${tally.compared} queries compared, ${tally.servedByIndex} served by an index`);
      assert.ok(tally.compared > 40, `only ${tally.compared} queries were compared`);
      assert.ok(tally.servedByIndex > tally.compared / 2, `only ${tally.servedByIndex} of ${tally.compared} queries were served by an index`);
    });
  }

  test.run();
}
