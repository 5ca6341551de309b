import { MongoClient } from 'mongodb';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newDocument, type JsonObject, type JsonValue } from '../../shared/domain/document.js';
import { DocumentAlreadyExistsError, UnavailableError } from '../../shared/domain/errors.js';
import type { DocumentStore } from '../../shared/domain/ports.js';
import { comparePositions, sortKeyOf, validateFilter, type Filter, type SortPosition, type SortSpec } from '../../shared/domain/query/index.js';
import { CLAIM_LEASE_MS, IDEMPOTENCY_COLLECTION, IDEMPOTENCY_TTL_MS, type StoredClaim } from '../../shared/infrastructure/mongodb/idempotency-keys.js';
import { openMongoStore, type MongoStoreOptions } from '../../shared/infrastructure/mongodb/mongo-store.js';
import { toStored } from '../../shared/infrastructure/mongodb/stored-document.js';
import { FERRETDB_INDEX_DIFFERENCES, FERRETDB_STORE_DIFFERENCES, mongoAvailable, mongoServer, mongoServerKind, type MongoTestServer } from '../support/mongodb.js';
import { freePort } from '../support/processes.js';
import { storeContract, type OpenedStore, type StoreTestOptions } from './document-store.contract.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const T1 = new Date('2026-01-02T00:00:00.000Z');

const TIMEOUTS = { poolSize: 20, connectTimeoutMs: 2000, serverSelectionTimeoutMs: 2000, socketTimeoutMs: 10_000 };

let databases = 0;
/** A database no other test uses; dropped by its cleanup. */
const freshDatabase = (): string => `dbsvc_test_${process.pid}_${++databases}`;

/** FerretDB v1 differs from MongoDB in ways listed (and explained) in FERRETDB_STORE_DIFFERENCES. */
const onFerretDb = mongoServerKind() === 'FerretDB';

if (mongoAvailable('MongoDB store')) {
  /** A store on a database of its own, dropped by its cleanup. */
  const openOwnStore = async (options?: StoreTestOptions): Promise<OpenedStore> => {
    const server = await mongoServer();
    const database = freshDatabase();
    const store = openMongoStore({ uri: server.uri(database), ...TIMEOUTS, ...options });
    return { store, cleanup: () => dropAndClose(server, database, store) };
  };
  storeContract('MongoDB store contract', openOwnStore, onFerretDb ? FERRETDB_STORE_DIFFERENCES : {});
  storeContract(
    'MongoDB store contract, every query also with indexes',
    openOwnStore,
    onFerretDb ? { ...FERRETDB_STORE_DIFFERENCES, ...FERRETDB_INDEX_DIFFERENCES } : {},
    { withIndexes: true },
  );
  mongoSpecifics();
}

async function dropAndClose(server: MongoTestServer, database: string, ...stores: DocumentStore[]): Promise<void> {
  for (const store of stores) await store.close();
  const client = new MongoClient(server.uri(database));
  try {
    await client.db().dropDatabase();
  } finally {
    await client.close();
  }
}

interface Context {
  server: MongoTestServer;
  database: string;
  options: MongoStoreOptions;
  store: DocumentStore;
  /** The same database through the driver, to look at what is stored. */
  client: MongoClient;
}

function mongoSpecifics(): void {
  const test = suite<Context>('MongoDB store: stored shape, idempotency across processes, paging, outages', {} as Context);

  test.before.each(async (context) => {
    const server = await mongoServer();
    context.server = server;
    context.database = freshDatabase();
    context.options = { uri: server.uri(context.database), ...TIMEOUTS };
    context.store = openMongoStore(context.options);
    context.client = new MongoClient(server.uri(context.database));
  });

  test.after.each(async ({ server, database, store, client }) => {
    await client.close();
    await dropAndClose(server, database, store);
  });

  test('a document is stored as {_id, version, createdAt, updatedAt, data} in the collection of its name', async ({ store, client }) => {
    await store.create(newDocument('users', 'u1', { name: 'Ada' }, T0));
    await store.replace('users', 'u1', { data: { name: 'Ada', age: 36 }, expectedVersion: 1, now: T1 });
    const stored = await client.db().collection('users').findOne({ _id: 'u1' as never });
    assert.equal(stored, { _id: 'u1', version: 2, createdAt: T0, updatedAt: T1, data: { name: 'Ada', age: 36 } });
  });

  test('the database defaults to the one the URI names', async ({ store, client, database }) => {
    await store.create(newDocument('users', 'u1', {}, T0));
    assert.is(client.db().databaseName, database);
    assert.is(await client.db().collection('users').countDocuments(), 1);
  });

  test('two stores (as two processes would have) see each other’s writes and version guards', async ({ store, options }) => {
    const other = openMongoStore(options);
    try {
      await store.create(newDocument('users', 'u1', { n: 1 }, T0));
      assert.equal((await other.get('users', 'u1'))?.data, { n: 1 });
      await other.replace('users', 'u1', { data: { n: 2 }, expectedVersion: 1, now: T1 });
      const stale = await store.replace('users', 'u1', { data: { n: 3 }, expectedVersion: 1, now: T1 }).catch((error: unknown) => error);
      assert.is((stale as { actual?: number }).actual, 2);
    } finally {
      await other.close();
    }
  });

  test('a retry through another process replays the first create of an idempotency key', async ({ store, options }) => {
    const other = openMongoStore(options);
    const claim = { key: 'k', fingerprint: 'f' };
    try {
      const first = await store.create(newDocument('users', 'gen-1', { n: 1 }, T0), claim);
      const retry = await other.create(newDocument('users', 'gen-2', { n: 1 }, T1), claim);
      assert.is(retry.replayed, true);
      assert.equal(retry.document, first.document);
      assert.is(await other.get('users', 'gen-2'), null);
    } finally {
      await other.close();
    }
  });

  test('concurrent creates with one idempotency key from two processes write one document', async ({ store, options }) => {
    const other = openMongoStore(options);
    const claim = { key: 'race', fingerprint: 'f' };
    try {
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? other : store).create(newDocument('users', `gen-${i}`, { n: 1 }, T0), claim)),
      );
      assert.is(results.filter((r) => !r.replayed).length, 1, 'exactly one create is not a replay');
      assert.is(new Set(results.map((r) => r.document.id)).size, 1, 'every caller gets the same document');
      const { documents } = await store.query('users', { filter: {} as Filter, sort: [], limit: 100 });
      assert.equal(documents.map((d) => d.id), [results[0]?.document.id]);
    } finally {
      await other.close();
    }
  });

  test('a key claimed by a writer that died before writing its document is completed by the retry', async ({ store, client }) => {
    const original = newDocument('users', 'orphan', { n: 1 }, T0);
    const pending: StoredClaim = {
      _id: 'users/k',
      fingerprint: 'f',
      token: 'dead-writer',
      state: 'pending',
      // Pending past its lease: its writer is gone.
      createdAt: new Date(Date.now() - CLAIM_LEASE_MS - 1000),
      document: toStored(original),
    };
    await client.db().collection<StoredClaim>(IDEMPOTENCY_COLLECTION).insertOne(pending);
    const retry = await store.create(newDocument('users', 'retry-id', { n: 1 }, T1), { key: 'k', fingerprint: 'f' });
    assert.is(retry.replayed, true);
    assert.equal(retry.document, original);
    assert.equal(await store.get('users', 'orphan'), original);
    assert.is((await client.db().collection<StoredClaim>(IDEMPOTENCY_COLLECTION).findOne({ _id: 'users/k' }))?.state, 'done');
  });

  test('a retry that finds a claim pending within its lease never writes its document: 503 until the writer is done, then its replay', async ({ store, client }) => {
    // The writer has written its document, a delete has removed it, and the writer has not yet marked its claim done.
    const original = newDocument('users', 'written', { n: 1 }, T0);
    const claims = client.db().collection<StoredClaim>(IDEMPOTENCY_COLLECTION);
    await claims.insertOne({ _id: 'users/k', fingerprint: 'f', token: 'live-writer', state: 'pending', createdAt: new Date(), document: toStored(original) });
    await client.db().collection<{ _id: string; version: number; deletedAt: Date }>('users').insertOne({ _id: 'written', version: 2, deletedAt: new Date() });
    const retry = () => store.create(newDocument('users', 'retry-id', { n: 1 }, T1), { key: 'k', fingerprint: 'f' });
    const early = await retry().catch((error: unknown) => error);
    assert.instance(early, UnavailableError);
    assert.is(await store.get('users', 'written'), null, 'the deleted document stays deleted');
    await claims.updateOne({ _id: 'users/k' }, { $set: { state: 'done' } });
    const replay = await retry();
    assert.is(replay.replayed, true);
    assert.equal(replay.document, original);
    assert.is(await store.get('users', 'written'), null);
  });

  test('a keyed create of an id that exists fails with 409 and leaves the key free', async ({ store }) => {
    await store.create(newDocument('users', 'taken', { owner: 'first' }, T0));
    const error = await store.create(newDocument('users', 'taken', { owner: 'second' }, T0), { key: 'k', fingerprint: 'f' }).catch((e: unknown) => e);
    assert.instance(error, DocumentAlreadyExistsError);
    const next = await store.create(newDocument('users', 'free', { owner: 'second' }, T1), { key: 'k', fingerprint: 'f' });
    assert.is(next.replayed, false);
    assert.is(next.document.id, 'free');
  });

  test('an idempotency key older than 24 hours is forgotten: the same key creates again', async ({ store, client }) => {
    const claim = { key: 'k', fingerprint: 'f' };
    await store.create(newDocument('users', 'u1', { n: 1 }, T0), claim);
    await client
      .db()
      .collection<StoredClaim>(IDEMPOTENCY_COLLECTION)
      .updateMany({}, { $set: { createdAt: new Date(Date.now() - IDEMPOTENCY_TTL_MS - 60_000) } });
    const again = await store.create(newDocument('users', 'u2', { n: 1 }, T0), claim);
    assert.is(again.replayed, false);
    assert.is(again.document.id, 'u2');
    assert.is((await store.create(newDocument('users', 'u3', { n: 1 }, T0), claim)).document.id, 'u2');
  });

  test('an unreachable server makes every call fail with UnavailableError within the selection timeout', async () => {
    const port = await freePort();
    const store = openMongoStore({ uri: `mongodb://127.0.0.1:${port}/nobody`, poolSize: 5, connectTimeoutMs: 200, serverSelectionTimeoutMs: 200, socketTimeoutMs: 1000 });
    try {
      for (const call of [() => store.ping(), () => store.get('users', 'u1'), () => store.create(newDocument('users', 'u1', {}, T0))]) {
        const error = await call().catch((e: unknown) => e);
        assert.instance(error, UnavailableError);
        assert.is((error as UnavailableError).retryAfterSeconds, 1);
      }
    } finally {
      await store.close();
    }
  });

  test('a closed store answers with UnavailableError', async ({ options }) => {
    const store = openMongoStore(options);
    await store.ping();
    await store.close();
    assert.instance(await store.get('users', 'u1').catch((e: unknown) => e), UnavailableError);
  });

  /**
   * Keys of every BSON bracket the sort order knows, plus the cases the keyset bound can only widen: arrays
   * (a key is their least or greatest element), nested and empty arrays, arrays along a dotted path, and paths
   * that run into a scalar or are missing.
   */
  const MIXED: Array<JsonValue | undefined> = [
    undefined,
    null,
    -3,
    0,
    2.5,
    7,
    '',
    'a',
    'b',
    'é',
    { x: 1 },
    { x: 2 },
    { y: 0 },
    false,
    true,
    [],
    [5, 'a'],
    [true, -10],
    [null, 3],
    [{ x: 1 }, 'z'],
    // Arrays inside arrays: FerretDB v1 refuses to store them (see the FerretDB-only test below).
    ...(onFerretDb ? [] : [[[1], 4], [[2]]]),
  ];

  /** `p.v` reaches `v` inside an object, or runs into a scalar, or (not on FerretDB v1: see below) goes through an array of objects. */
  function pathShape(n: number, value: JsonValue): JsonValue {
    if (n % 3 === 0 && !onFerretDb) return [{ v: value }, { v: n % 5 }];
    return n % 3 === 2 ? 'scalar' : { v: value };
  }

  async function seedMixed(store: DocumentStore): Promise<Array<{ id: string; data: JsonObject }>> {
    const seeded: Array<{ id: string; data: JsonObject }> = [];
    for (const value of MIXED) {
      for (const copy of [0, 1]) {
        const n = seeded.length;
        const data: JsonObject = { copy, p: pathShape(n, value ?? null) };
        if (value !== undefined) data['v'] = value;
        const id = `d${String(n).padStart(3, '0')}`;
        await store.create(newDocument('mixed', id, data, T0));
        seeded.push({ id, data });
      }
    }
    return seeded;
  }

  const MIXED_SORTS: SortSpec[] = [[['v', 1]], [['v', -1]], [['p.v', 1]], [['p.v', -1], ['v', 1]], [['copy', -1], ['v', -1]]];

  test('paging by a cursor serves MongoDB’s order exactly, across mixed types, arrays and missing fields', async ({ store }) => {
    const seeded = await seedMixed(store);
    for (const sort of MIXED_SORTS) {
      const expected = seeded
        .map((d) => ({ id: d.id, values: sortKeyOf(d.data, sort) }))
        .sort((a, b) => comparePositions(a, b, sort))
        .map((d) => d.id);
      const whole = (await store.query('mixed', { filter: {} as Filter, sort, limit: 1000 })).documents.map((d) => d.id);
      assert.equal(whole, expected, `one page, sort ${JSON.stringify(sort)}`);
      for (const limit of [1, 3, 7]) {
        const served: string[] = [];
        let after: SortPosition | undefined;
        do {
          const page = await store.query('mixed', { filter: {} as Filter, sort, limit, ...(after && { after }) });
          served.push(...page.documents.map((d) => d.id));
          after = page.next ?? undefined;
        } while (after);
        assert.equal(served, expected, `sort ${JSON.stringify(sort)} limit ${limit}`);
      }
    }
  });

  test('paging with a projection and a filter still pages by the projected-away sort field', async ({ store }) => {
    await seedMixed(store);
    const sort: SortSpec = [['v', -1]];
    const filter = validateFilter({ copy: 1 });
    const whole = (await store.query('mixed', { filter, sort, limit: 1000 })).documents.map((d) => d.id);
    const served: string[] = [];
    let after: SortPosition | undefined;
    do {
      const page = await store.query('mixed', { filter, sort, limit: 4, fields: ['copy'], ...(after && { after }) });
      for (const document of page.documents) assert.equal(document.data, { copy: 1 });
      served.push(...page.documents.map((d) => d.id));
      after = page.next ?? undefined;
    } while (after);
    assert.equal(served, whole);
  });

  test('a cursor position holding an operator object is compared as a value, never run as an operator', async ({ store }) => {
    await seedMixed(store);
    const sort: SortSpec = [['v', 1]];
    for (const forged of [{ $where: 'sleep(1000) || true' }, { $regex: '(a+)+$' }, { $exists: true }]) {
      const after = { values: [forged as unknown as JsonValue], id: 'd000' };
      const expected = (await store.query('mixed', { filter: {} as Filter, sort, limit: 1000 })).documents
        .map((d) => ({ id: d.id, values: sortKeyOf(d.data, sort) }))
        .filter((position) => comparePositions(position, after, sort) > 0)
        .map((d) => d.id);
      const page = await store.query('mixed', { filter: {} as Filter, sort, limit: 1000, after });
      assert.equal(
        page.documents.map((d) => d.id),
        expected,
        JSON.stringify(forged),
      );
    }
  });

  test('fields that overlap a sort path project as asked (no MongoDB path collision)', async ({ store }) => {
    await store.create(newDocument('c', 'a', { p: { q: 1, r: 2 }, s: 3 }, T0));
    const { documents } = await store.query('c', { filter: {} as Filter, sort: [['p', 1]], limit: 10, fields: ['p.q'] });
    assert.equal(documents[0]?.data, { p: { q: 1 } });
  });

  if (onFerretDb) {
    test('FerretDB v1 difference: a sort path through an array of objects sorts as if missing (MongoDB sorts by the least value reached)', async ({ store }) => {
      await store.create(newDocument('c', 'a', { p: [{ v: 5 }, { v: 4 }] }, T0));
      await store.create(newDocument('c', 'b', { p: { v: 3 } }, T0));
      await store.create(newDocument('c', 'c', {}, T0));
      const { documents } = await store.query('c', { filter: {} as Filter, sort: [['p.v', 1]], limit: 10 });
      assert.equal(
        documents.map((d) => d.id),
        ['a', 'c', 'b'],
      );
    });

    test('FerretDB v1 difference: a document with an array inside an array is refused by the server', async ({ store }) => {
      const error = await store.create(newDocument('c', 'nested', { v: [[1]] }, T0)).catch((e: unknown) => e);
      assert.match(String(error), /nested arrays are not supported/);
      assert.is(await store.get('c', 'nested'), null);
    });
  }

  test('the idempotency keys have an index on their age for the expiry sweep', async ({ store, client }) => {
    await store.create(newDocument('users', 'u1', {}, T0), { key: 'k', fingerprint: 'f' });
    const indexes = await client.db().collection(IDEMPOTENCY_COLLECTION).listIndexes().toArray();
    assert.ok(indexes.some((index) => JSON.stringify(index['key']) === '{"createdAt":1}'), JSON.stringify(indexes));
  });

  test.run();
}
