import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newDocument } from '../../shared/domain/document.js';
import { UnavailableError } from '../../shared/domain/errors.js';
import type { DocumentStore } from '../../shared/domain/ports.js';
import { openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';
import { holdWriteLock, release, stopHolder } from '../support/write-lock.js';

/**
 * Another process holding the SQLite file's write lock (a long batch, an index build) must not stop this
 * process: a write waits for the lock on timers, while reads and everything else go on, and fails with 503 only
 * once the busy timeout has passed.
 */
const test = suite<{ dir: string }>('SQLite store: waiting for another process’s write lock', { dir: '' });
const T0 = new Date('2026-01-01T00:00:00.000Z');

test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'dbsvc-lock-wait-'));
});

test.after.each(async ({ dir }) => {
  await rm(dir, { recursive: true, force: true });
});

/** A store whose file exists with its schema, so the holder can lock it and the store's next call writes at once. */
async function openedStore(dir: string, busyTimeoutMs?: number): Promise<DocumentStore> {
  const store = openSqliteStore({ dataDir: dir, busyTimeoutMs });
  await store.create(newDocument('c', 'seed', { n: 0 }, T0));
  return store;
}

/** Settles when `promise` does, and tells meanwhile whether it has. */
function watch(promise: Promise<unknown>): () => boolean {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  return () => settled;
}

/** What `promise` settles to; a rejection meanwhile is this result, not an unhandled rejection. */
function outcome<T>(promise: Promise<T>): Promise<PromiseSettledResult<T>> {
  return Promise.allSettled([promise]).then(([result]) => result!);
}

function valueOf<T>(result: PromiseSettledResult<T>): T {
  if (result.status === 'rejected') assert.unreachable(`rejected: ${String(result.reason)}`);
  return (result as PromiseFulfilledResult<T>).value;
}

test('a read through the same store is answered while a create waits for the lock, which then succeeds', async ({ dir }) => {
  const store = await openedStore(dir);
  const holder = await holdWriteLock(dir);
  try {
    const created = store.create(newDocument('c', 'waits', { n: 1 }, T0));
    const createSettled = watch(created);
    // Queued after the create's first try, so answered only once that try has found the lock taken.
    const read = await store.get('c', 'seed');
    assert.equal(read?.data, { n: 0 });
    assert.not.ok(createSettled(), 'the create still waits for the lock when the read is answered');
    await release(holder);
    assert.is((await created).document.version, 1);
    assert.equal((await store.get('c', 'waits'))?.data, { n: 1 });
  } finally {
    await stopHolder(holder);
    await store.close();
  }
});

test('writes issued while a create waits for the lock apply after it, in the order issued', async ({ dir }) => {
  const store = await openedStore(dir);
  const holder = await holdWriteLock(dir);
  try {
    const created = outcome(store.create(newDocument('c', 'x', { step: 1 }, T0)));
    // Answered once the create's first try has found the lock taken.
    await store.get('c', 'seed');
    const replaced = outcome(store.replace('c', 'x', { data: { step: 2 }, expectedVersion: 1, now: T0 }));
    const deleted = outcome(store.delete('c', 'x', 2));
    await release(holder);
    assert.is(valueOf(await created).document.version, 1);
    assert.is(valueOf(await replaced).version, 2);
    assert.equal(valueOf(await deleted).data, { step: 2 });
    assert.is(await store.get('c', 'x'), null);
  } finally {
    await stopHolder(holder);
    await store.close();
  }
});

test('a create that cannot get the lock within busyTimeoutMs fails with UnavailableError and writes nothing', async ({ dir }) => {
  const store = await openedStore(dir, 200);
  const holder = await holdWriteLock(dir);
  try {
    const error = await store.create(newDocument('c', 'never', {}, T0)).catch((e: unknown) => e);
    assert.instance(error, UnavailableError);
    await release(holder);
    assert.is(await store.get('c', 'never'), null);
  } finally {
    await stopHolder(holder);
    await store.close();
  }
});

test.run();
