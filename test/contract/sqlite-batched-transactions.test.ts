import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newDocument } from '../../shared/domain/document.js';
import { DocumentAlreadyExistsError, UnavailableError, VersionMismatchError } from '../../shared/domain/errors.js';
import type { Filter } from '../../shared/domain/query/index.js';
import { DEFAULT_FILE_NAME, openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';

/**
 * Operations issued together share one transaction (reads one read transaction, writes one write transaction);
 * these pin what callers must still see: each operation atomic on its own, in the order issued, writes settled
 * only once committed, reads never waiting for a writer.
 */
const test = suite<{ dir: string }>('SQLite store: operations issued together', { dir: '' });
const T0 = new Date('2026-01-01T00:00:00.000Z');

test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'dbsvc-group-'));
});

test.after.each(async ({ dir }) => {
  await rm(dir, { recursive: true, force: true });
});

test('a write that fails among others fails alone; the rest are stored', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });
  try {
    await store.create(newDocument('c', 'taken', { n: 0 }, T0));
    const results = await Promise.allSettled([
      store.create(newDocument('c', 'a', { n: 1 }, T0)),
      store.create(newDocument('c', 'taken', { n: 2 }, T0)),
      store.replace('c', 'a', { data: { n: 3 }, expectedVersion: 7, now: T0 }),
      store.create(newDocument('c', 'b', { n: 4 }, T0)),
    ]);
    assert.equal(results.map((r) => r.status), ['fulfilled', 'rejected', 'rejected', 'fulfilled']);
    assert.instance((results[1] as PromiseRejectedResult).reason, DocumentAlreadyExistsError);
    assert.instance((results[2] as PromiseRejectedResult).reason, VersionMismatchError);
    assert.equal((await store.get('c', 'a'))?.data, { n: 1 });
    assert.equal((await store.get('c', 'b'))?.data, { n: 4 });
    assert.equal((await store.get('c', 'taken'))?.data, { n: 0 });
  } finally {
    await store.close();
  }
});

test('writes issued together apply in the order issued', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });
  try {
    const created = store.create(newDocument('c', 'x', { step: 1 }, T0));
    const replaced = store.replace('c', 'x', { data: { step: 2 }, expectedVersion: 1, now: T0 });
    const deleted = store.delete('c', 'x', 2);
    const recreated = store.create(newDocument('c', 'x', { step: 3 }, T0));
    assert.is((await created).document.version, 1);
    assert.is((await replaced).version, 2);
    assert.equal((await deleted).data, { step: 2 });
    assert.is((await recreated).document.version, 4, 're-created after the tombstone (3) of the delete');
    assert.equal((await store.get('c', 'x'))?.data, { step: 3 });
  } finally {
    await store.close();
  }
});

test('a write settles only after its commit: another connection already sees it', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });
  try {
    await Promise.all([store.create(newDocument('c', 'p', {}, T0)), store.create(newDocument('c', 'q', {}, T0))]);
    const other = new DatabaseSync(join(dir, DEFAULT_FILE_NAME), { readOnly: true });
    try {
      assert.is(other.prepare('SELECT count(*) AS n FROM documents').get()?.n, 2);
    } finally {
      other.close();
    }
  } finally {
    await store.close();
  }
});

test('writes that cannot get the write lock within busyTimeoutMs all fail with UnavailableError and store nothing', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir, busyTimeoutMs: 50 });
  await store.ping();
  const holder = new DatabaseSync(join(dir, DEFAULT_FILE_NAME));
  holder.exec('BEGIN IMMEDIATE');
  try {
    const results = await Promise.allSettled([
      store.create(newDocument('c', 'a', {}, T0)),
      store.create(newDocument('c', 'b', {}, T0)),
    ]);
    for (const result of results) {
      assert.is(result.status, 'rejected');
      assert.instance((result as PromiseRejectedResult).reason, UnavailableError);
    }
    holder.exec('ROLLBACK');
    assert.is(await store.get('c', 'a'), null);
    assert.is(await store.get('c', 'b'), null);
  } finally {
    if (holder.isTransaction) holder.exec('ROLLBACK');
    holder.close();
    await store.close();
  }
});

test('reads issued together are answered while another connection holds the write lock', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir, busyTimeoutMs: 50 });
  await store.create(newDocument('c', 'r', { n: 1 }, T0));
  const holder = new DatabaseSync(join(dir, DEFAULT_FILE_NAME));
  holder.exec('BEGIN IMMEDIATE');
  try {
    holder.prepare("UPDATE documents SET data = '{\"n\":2}'").run();
    const [document, page] = await Promise.all([
      store.get('c', 'r'),
      store.query('c', { filter: {} as Filter, sort: [], limit: 10 }),
    ]);
    assert.equal(document?.data, { n: 1 }, 'the last committed state');
    assert.equal(page.documents.map((d) => d.data), [{ n: 1 }]);
  } finally {
    holder.exec('ROLLBACK');
    holder.close();
    await store.close();
  }
});

test.run();
