import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newDocument } from '../../shared/domain/document.js';
import { validateFilter } from '../../shared/domain/query/index.js';
import { DEFAULT_FILE_NAME, openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';

/**
 * The writer's log is moved into the database file by a worker thread, not by SQLite inside a commit once the
 * log reaches its threshold (1,000 pages by default). The writes here fill a few hundred pages of log: SQLite
 * alone would leave every one of them in the log, and the database file at its size after the schema.
 */
const test = suite<{ dir: string }>('SQLite store: checkpoints off the writer’s thread', { dir: '' });

const T0 = new Date('2026-01-01T00:00:00.000Z');
/** Creates awaited one by one: a commit each, a few pages of log each. */
const WRITES = 120;
/** How long the worker may take to move them; polled, not slept. */
const DEADLINE_MS = 10_000;

test.before.each(async (context) => {
  context.dir = await mkdtemp(join(tmpdir(), 'dbsvc-wal-'));
});

test.after.each(async ({ dir }) => {
  await rm(dir, { recursive: true, force: true });
});

const sizeOf = (file: string): number => statSync(file, { throwIfNoEntry: false })?.size ?? 0;

/** Polls `condition` until it holds or the deadline passes; whether it held. */
async function eventually(condition: () => boolean): Promise<boolean> {
  const deadline = Date.now() + DEADLINE_MS;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await delay(20);
  }
  return true;
}

test('committed writes reach the database file while the log is far below SQLite’s own threshold', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });
  const file = join(dir, DEFAULT_FILE_NAME);
  try {
    await store.create(newDocument('notes', 'first', { text: 'opens the file' }, T0));
    const sizeAfterFirst = sizeOf(file);
    for (let i = 0; i < WRITES; i++) await store.create(newDocument('notes', `n${i}`, { text: 'x'.repeat(2000), i }, T0));
    // The notes hold about 60 pages of data; once checkpointed, the file has grown by at least that much.
    const grown = await eventually(() => sizeOf(file) >= sizeAfterFirst + 50 * 4096);
    assert.ok(grown, `database file ${sizeOf(file)} bytes, ${sizeAfterFirst} after the first write; log ${sizeOf(`${file}-wal`)} bytes`);
  } finally {
    await store.close();
  }
});

test('the last writes of a burst are moved too, with no later write to ask for it', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });
  const file = join(dir, DEFAULT_FILE_NAME);
  try {
    await store.create(newDocument('notes', 'first', { text: 'opens the file' }, T0));
    const sizeAfterFirst = sizeOf(file);
    // One burst, inside one request interval: only the commit that follows the first asks at once.
    await Promise.all(Array.from({ length: WRITES }, (_, i) => store.create(newDocument('notes', `n${i}`, { text: 'x'.repeat(2000), i }, T0))));
    const grown = await eventually(() => sizeOf(file) >= sizeAfterFirst + 50 * 4096);
    assert.ok(grown, `database file ${sizeOf(file)} bytes, ${sizeAfterFirst} after the first write`);
  } finally {
    await store.close();
  }
});

test('closing the store leaves an empty log and every document readable by the next process', async ({ dir }) => {
  const store = openSqliteStore({ dataDir: dir });
  for (let i = 0; i < WRITES; i++) await store.create(newDocument('notes', `n${i}`, { i }, T0));
  await store.close();
  assert.is(sizeOf(join(dir, `${DEFAULT_FILE_NAME}-wal`)), 0);
  const next = openSqliteStore({ dataDir: dir });
  try {
    assert.is((await next.get('notes', `n${WRITES - 1}`))?.data.i, WRITES - 1);
  } finally {
    await next.close();
  }
});

test('counts without pause, each on a snapshot of its own, still let the log start over', async ({ dir }) => {
  const counter = openSqliteStore({ dataDir: dir });
  const writer = openSqliteStore({ dataDir: dir });
  const log = join(dir, `${DEFAULT_FILE_NAME}-wal`);
  try {
    // Enough documents that a count takes many steps, and so holds its snapshot for a while.
    const seed = Array.from({ length: 10_000 }, (_, i) => ({ document: newDocument('notes', `n${i}`, { i, t: i % 7 }, T0) }));
    for (let start = 0; start < seed.length; start += 1000) await writer.createMany('notes', seed.slice(start, start + 1000), false);
    const before = sizeOf(log);
    let writing = true;
    // Three clients counting, one after another each, so that some count is under way at every moment.
    const counting = Array.from({ length: 3 }, async () => {
      for (let k = 0; writing && k < 1000; k++) await counter.count('notes', { filter: validateFilter({ t: { $gte: 0 } }) });
    });
    let written = 0;
    for (let i = 0; i < 1500; i++) {
      await writer.replace('notes', `n${i}`, { data: { i, t: i % 7, text: 'x'.repeat(2000) }, now: T0 });
      written += 2000;
    }
    writing = false;
    await Promise.all(counting);
    // Over 3 MB written: a log that never started over would have grown by at least that much.
    const grown = sizeOf(log) - before;
    assert.ok(grown < written / 3, `the log grew by ${grown} bytes while ${written} bytes of data were written`);
  } finally {
    await Promise.all([counter.close(), writer.close()]);
  }
});

test.run();
