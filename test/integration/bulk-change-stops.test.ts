import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { bulkDelete, bulkUpdate, type BulkChangeDeps } from '../../shared/application/bulk-change.js';
import { newDocument } from '../../shared/domain/document.js';
import { QueryTimeoutError, UnavailableError } from '../../shared/domain/errors.js';
import type { DocumentStore } from '../../shared/domain/ports.js';
import { validateFilter } from '../../shared/domain/query/index.js';
import { openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';
import { passThrough } from '../../shared/runtime/store/decorate-store.js';
import { tempDir } from '../support/processes.js';

/**
 * A bulk update or delete that stops part way (its time limit, the store failing) has changed some documents,
 * which stay changed: its failure says how many, and at which document it stopped, so the caller can tell.
 * The SQLite store, with one call made to fail as the store or the time limit would fail it.
 */
interface Context {
  store: DocumentStore;
  remove: () => void;
}

const test = suite<Context>('bulk changes that stop part way', {} as Context);
const C = 'stops';

test.before.each(async (ctx) => {
  const dir = tempDir('dbsvc-bulk-stops');
  ctx.store = openSqliteStore({ dataDir: dir.path });
  ctx.remove = dir.remove;
});

test.after.each(async ({ store, remove }) => {
  await store.close();
  remove();
});

async function seed(store: DocumentStore, count: number): Promise<void> {
  const now = new Date();
  const items = Array.from({ length: count }, (_, i) => ({ document: newDocument(C, `d${String(i).padStart(4, '0')}`, { n: i }, now) }));
  for (let i = 0; i < items.length; i += 1000) await store.createMany(C, items.slice(i, i + 1000), true);
}

/** Use case dependencies over `store`, its `failing` methods replaced. */
function depsOver(store: DocumentStore, failing: Partial<DocumentStore>): BulkChangeDeps {
  return {
    store: { ...passThrough(store), ...failing },
    clock: { now: () => new Date() },
    ids: { next: () => 'unused' },
    events: { publish: () => undefined },
    queryTimeLimitMs: 2000,
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('resolved, expected a rejection');
}

test('a bulk update stopped at its time limit between pages says how many documents it changed, and those stay changed', async ({ store }) => {
  await seed(store, 1001);
  let queries = 0;
  const deps = depsOver(store, {
    query: (collection, spec) => (++queries === 2 ? Promise.reject(new QueryTimeoutError(2000)) : store.query(collection, spec)),
  });
  const error = await rejection(bulkUpdate(deps, { collection: C, filter: {}, update: { $set: { hit: true } } }));
  assert.instance(error, QueryTimeoutError);
  assert.match(error.message, /^stopped with 1000 changed: the query ran past its time limit of 2000 ms/);
  assert.is(await store.count(C, { filter: validateFilter({ hit: true }) }), 1000);
});

test('a bulk delete stopped by the store at a document names it and how many it deleted before, and keeps Retry-After', async ({ store }) => {
  await seed(store, 5);
  let deletes = 0;
  const deps = depsOver(store, {
    delete: (collection, id, version) => (++deletes === 3 ? Promise.reject(new UnavailableError('the store did not answer', 7)) : store.delete(collection, id, version)),
  });
  const error = await rejection(bulkDelete(deps, { collection: C, filter: {} }));
  assert.instance(error, UnavailableError);
  assert.is(error.message, "document 'd0002' (2 changed before it): the store did not answer");
  assert.is((error as UnavailableError).retryAfterSeconds, 7);
  assert.is(await store.count(C, { filter: validateFilter({}) }), 3);
});

test('a bulk change that fails before changing anything says none were changed', async ({ store }) => {
  await seed(store, 3);
  const deps = depsOver(store, { query: () => Promise.reject(new UnavailableError('the store is down')) });
  const error = await rejection(bulkUpdate(deps, { collection: C, filter: {}, update: { $inc: { n: 1 } } }));
  assert.is(error.message, 'stopped with 0 changed: the store is down');
});

test('two bulk changes failed by one store error each name their own document, and the error stays as the store made it', async ({ store }) => {
  // SQLite fails every operation of a batch that fails as a whole with one error object, whoever queued them.
  await seed(store, 4);
  const shared = new UnavailableError('the SQLite store is closed', 1);
  const deps = depsOver(store, { delete: () => Promise.reject(shared) });
  const [first, second] = await Promise.all([
    rejection(bulkDelete(deps, { collection: C, filter: { n: { $gte: 2 } } })),
    rejection(bulkDelete(deps, { collection: C, filter: {} })),
  ]);
  assert.is(first.message, "document 'd0002' (0 changed before it): the SQLite store is closed");
  assert.is(second.message, "document 'd0000' (0 changed before it): the SQLite store is closed");
  assert.instance(first, UnavailableError);
  assert.is((first as UnavailableError).retryAfterSeconds, 1);
  assert.is(shared.message, 'the SQLite store is closed');
});

test('a bad limit is refused as it was sent, before anything is read or changed', async ({ store }) => {
  let queries = 0;
  const deps = depsOver(store, { query: (collection, spec) => (queries++, store.query(collection, spec)) });
  const error = await rejection(bulkDelete(deps, { collection: C, filter: {}, limit: 0 }));
  assert.is(error.message, 'limit must be a positive integer');
  assert.is(queries, 0);
});

test.run();
