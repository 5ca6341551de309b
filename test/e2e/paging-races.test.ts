import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request, uniqueCollection } from '../support/http.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Reads and bulk changes over REST on the SQLite stack while other clients write to the same collection. A
 * collection of a few thousand documents is read in several steps (query-reads.ts), so writes sent meanwhile
 * land between them.
 */

const test = suite<{ stack: Stack & { removeData: () => void } }>('Counts and bulk changes racing writers over REST (sqlite)');

test.before(async (ctx) => {
  ctx.stack = await startStack({ STORE: 'sqlite' });
});
test.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

const SIZE = 3000;
const idOf = (i: number) => `d${String(i).padStart(5, '0')}`;

/** SIZE documents `d00000`… with data `{n: i, t: i % 7}`, in bulk creates of 1,000. */
async function seed(stack: Stack, collection: string): Promise<void> {
  for (let start = 0; start < SIZE; start += 1000) {
    const documents = Array.from({ length: 1000 }, (_, k) => ({ id: idOf(start + k), data: { n: start + k, t: (start + k) % 7 } }));
    const reply = await request(stack.url, 'POST', `/v1/collections/${collection}/bulk/create`, { json: { documents } });
    assert.is(reply.status, 200, reply.text);
  }
}

async function createIndex(stack: Stack, collection: string, keys: Record<string, 1 | -1>): Promise<void> {
  const reply = await request(stack.url, 'PUT', `/v1/collections/${collection}/indexes/ix`, { json: { keys } });
  assert.is(reply.status, 201, reply.text);
}

/** Runs `write(i)` for i = 0, 1, … one after another until `reads` settles (at most SIZE writes), then returns what `reads` gave. */
async function whileWriting<T>(write: (i: number) => Promise<unknown>, reads: () => Promise<T>): Promise<T> {
  let reading = true;
  const writer = (async () => {
    for (let i = 0; reading && i < SIZE; i++) await write(i);
  })();
  try {
    return await reads();
  } finally {
    reading = false;
    await writer;
  }
}

/** `times` counts of `filter`, one after another: each 200 answer's count. */
async function counts(stack: Stack, collection: string, filter: object, times = 15): Promise<number[]> {
  const found: number[] = [];
  for (let k = 0; k < times; k++) {
    const reply = await request(stack.url, 'POST', `/v1/collections/${collection}/count`, { json: { filter } });
    assert.is(reply.status, 200, reply.text);
    found.push(reply.body.count);
  }
  return found;
}

test('a count while matching documents move within the index it reads counts every one of them', async ({ stack }) => {
  const c = uniqueCollection();
  await seed(stack, c);
  await createIndex(stack, c, { n: 1 });
  // The document with the highest n is moved below the lowest: it matches the filter before and after.
  const moveDown = (i: number) => request(stack.url, 'PATCH', `/v1/collections/${c}/documents/${idOf(SIZE - 1 - i)}`, { json: { $set: { n: -1 - i } } });
  const found = await whileWriting(moveDown, () => counts(stack, c, { n: { $gte: -SIZE } }));
  assert.equal([...new Set(found)], [SIZE]);
});

test('a count while each delete is followed by a create is a count the collection had at some moment', async ({ stack }) => {
  const c = uniqueCollection();
  await seed(stack, c);
  // A low id goes, then a high one comes: the collection holds SIZE or SIZE - 1 matching documents at every moment.
  const swap = async (i: number) => {
    assert.is((await request(stack.url, 'DELETE', `/v1/collections/${c}/documents/${idOf(i)}`)).status, 204);
    const created = await request(stack.url, 'POST', `/v1/collections/${c}/documents`, { json: { id: `z${idOf(i)}`, data: { n: SIZE + i, t: 1 } } });
    assert.is(created.status, 201, created.text);
  };
  const found = await whileWriting(swap, async () => [...(await counts(stack, c, { t: { $gte: 0 } }, 8)), ...(await counts(stack, c, {}, 8))]);
  assert.equal(
    found.filter((count) => count !== SIZE && count !== SIZE - 1),
    [],
  );
});

/**
 * A bulk change with `limit` LIMIT over `{t: {$gte: 0}}` (every document matches) while another client takes
 * documents the bulk change has found but not reached out of the match, one after another from `d00500` up:
 * deleting them, or setting their t to -1. Half the collection stays matching throughout.
 */
const LIMIT = SIZE / 2;
async function limitedWhileMatchesGo(stack: Stack, collection: string, kind: 'update' | 'delete') {
  await seed(stack, collection);
  const takeOut = (i: number) =>
    kind === 'delete'
      ? request(stack.url, 'DELETE', `/v1/collections/${collection}/documents/${idOf(500 + (i % 1000))}`)
      : request(stack.url, 'PATCH', `/v1/collections/${collection}/documents/${idOf(500 + (i % 1000))}`, { json: { $set: { t: -1 } } });
  const body = { filter: { t: { $gte: 0 } }, limit: LIMIT, ...(kind === 'update' && { update: { $set: { changed: true } } }) };
  const reply = await whileWriting(takeOut, () => request(stack.url, 'POST', `/v1/collections/${collection}/bulk/${kind}`, { json: body }));
  assert.is(reply.status, 200, reply.text);
  return reply.body;
}

test('a bulk delete with a limit deletes that many matching documents, though some it found stopped matching first', async ({ stack }) => {
  const c = uniqueCollection();
  assert.equal(await limitedWhileMatchesGo(stack, c, 'delete'), { deleted: LIMIT });
});

test('a bulk update with a limit changes that many matching documents, though some it found stopped matching first', async ({ stack }) => {
  const c = uniqueCollection();
  assert.equal(await limitedWhileMatchesGo(stack, c, 'update'), { matched: LIMIT, modified: LIMIT });
  const changed = await request(stack.url, 'POST', `/v1/collections/${c}/count`, { json: { filter: { changed: true } } });
  assert.is(changed.body.count, LIMIT);
});

/** Documents a bulk update or delete finds per page (shared/application/bulk-change.ts). */
const PAGE = 1000;

/**
 * A bulk change on a stack whose QUERY_MAX_TIME_MS is `limitMs`, racing single updates of the same documents:
 * its answer, and how many documents carry its change.
 */
async function bulkPastItsLimit(kind: 'update' | 'delete', limitMs: number) {
  const stack = await startStack({ STORE: 'sqlite', QUERY_MAX_TIME_MS: String(limitMs) });
  try {
    const c = uniqueCollection();
    await seed(stack, c);
    // Each change also rewrites the document's entries in two indexes: a page of changes takes many times the limit.
    await createIndex(stack, c, { n: 1 });
    assert.is((await request(stack.url, 'PUT', `/v1/collections/${c}/indexes/by_t`, { json: { keys: { t: 1, n: -1 } } })).status, 201);
    // Three single updates at a time.
    const touch = (i: number) =>
      Promise.all([0, 1, 2].map((k) => request(stack.url, 'PATCH', `/v1/collections/${c}/documents/${idOf((i * 7919 + k * 1000) % SIZE)}`, { json: { $inc: { w: 1 } } })));
    const body = kind === 'update' ? { filter: {}, update: { $set: { changed: true } } } : { filter: {} };
    const reply = await whileWriting(touch, () => request(stack.url, 'POST', `/v1/collections/${c}/bulk/${kind}`, { json: body }));
    const left = await request(stack.url, 'POST', `/v1/collections/${c}/count`, { json: { filter: kind === 'update' ? { changed: true } : {} } });
    const changed = kind === 'update' ? left.body.count : SIZE - left.body.count;
    return { reply, changed };
  } finally {
    await stack.stop();
    stack.removeData();
  }
}

for (const kind of ['update', 'delete'] as const) {
  test(`a bulk ${kind} stops at its time limit, not at the end of the page of documents it found, and says how many it changed`, async () => {
    // A page of changes (a write each, with two indexes) takes several times 100 ms here; reading the page does not.
    const { reply, changed } = await bulkPastItsLimit(kind, 100);
    assert.is(reply.status, 503, reply.text);
    assert.is(reply.body.type, 'urn:dbsvc:problem:query-timeout');
    assert.match(reply.body.detail, `stopped with ${changed} changed: `);
    // Checked only before each page, the limit let the whole first page be changed.
    assert.ok(changed < PAGE, `${changed} changed: the request ran on to the end of its page`);
  });
}

test.run();
