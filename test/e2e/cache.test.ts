import type { Redis } from 'ioredis';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { cacheKey } from '../../shared/infrastructure/redis/redis-document-cache.js';
import { openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';
import { request, uniqueCollection } from '../support/http.js';
import { metricValue, scrape } from '../support/metrics.js';
import { inspector, redisReachable, requireServer, TEST_REDIS_URL } from '../support/redis.js';
import { startStack, type Stack } from '../support/stack.js';

/** The local stack with REDIS_URL set: every function process shares the SQLite file and the Redis cache. */
type Context = { stack: Stack & { removeData: () => void }; redis: Redis };

const docs = (collection: string) => `/v1/collections/${collection}/documents`;
const getFunction = { function: 'get' };
const hits = async (stack: Stack) => metricValue(await scrape(stack.url), 'cache_hits_total', getFunction);
const storeGets = async (stack: Stack) => metricValue(await scrape(stack.url), 'db_operations_total', { ...getFunction, operation: 'get' });

/** Resolves once the get function answers from Redis (each function connects in the background). */
async function cacheInUse(stack: Stack): Promise<void> {
  const collection = uniqueCollection('warm');
  await request(stack.url, 'POST', docs(collection), { json: { id: 'w', data: {} } });
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    await request(stack.url, 'GET', `${docs(collection)}/w`);
    if ((await hits(stack)) > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('the get function did not answer from the cache within 15 s');
}

if (requireServer(`Redis at ${TEST_REDIS_URL}`, () => redisReachable())) {
  const test = suite<Context>('Redis cache through the functions');

  test.before(async (ctx) => {
    ctx.stack = await startStack({ REDIS_URL: TEST_REDIS_URL, REDIS_TIMEOUT_MS: '2000' });
    ctx.redis = inspector();
    await cacheInUse(ctx.stack);
  });
  test.after(async (ctx) => {
    ctx.redis?.disconnect();
    await ctx.stack?.stop();
    ctx.stack?.removeData();
  });

  test('a repeated get is answered from the cache without a store read', async ({ stack }) => {
    const c = uniqueCollection();
    await request(stack.url, 'POST', docs(c), { json: { id: 'd', data: { n: 1 } } });
    await request(stack.url, 'GET', `${docs(c)}/d`);
    const [hitsBefore, readsBefore] = [await hits(stack), await storeGets(stack)];
    const reply = await request(stack.url, 'GET', `${docs(c)}/d`);
    assert.is(reply.status, 200);
    assert.equal(reply.body.data, { n: 1 });
    assert.is(reply.headers.get('etag'), '"1"');
    assert.is(await hits(stack), hitsBefore + 1);
    assert.is(await storeGets(stack), readsBefore);
  });

  test('If-None-Match is answered from the cache: 304 without a store read', async ({ stack }) => {
    const c = uniqueCollection();
    await request(stack.url, 'POST', docs(c), { json: { id: 'd', data: { n: 1 } } });
    await request(stack.url, 'GET', `${docs(c)}/d`);
    const [hitsBefore, readsBefore] = [await hits(stack), await storeGets(stack)];
    const reply = await request(stack.url, 'GET', `${docs(c)}/d`, { headers: { 'If-None-Match': '"1"' } });
    assert.is(reply.status, 304);
    assert.is(await hits(stack), hitsBefore + 1);
    assert.is(await storeGets(stack), readsBefore);
  });

  test('each change through the API is visible to the very next get', async ({ stack }) => {
    const c = uniqueCollection();
    const doc = `${docs(c)}/d`;
    await request(stack.url, 'POST', docs(c), { json: { id: 'd', data: { n: 0 } } });
    for (let n = 1; n <= 10; n++) {
      await request(stack.url, 'GET', doc);
      const changed =
        n % 2
          ? await request(stack.url, 'PUT', doc, { json: { data: { n } } })
          : await request(stack.url, 'PATCH', doc, { body: JSON.stringify({ n }), headers: { 'content-type': 'application/merge-patch+json' } });
      assert.is(changed.status, 200);
      const read = await request(stack.url, 'GET', doc);
      assert.is(read.body.version, n + 1);
      assert.equal(read.body.data, { n });
    }
    assert.is((await request(stack.url, 'DELETE', doc)).status, 204);
    assert.is((await request(stack.url, 'GET', doc)).status, 404);
    await request(stack.url, 'POST', docs(c), { json: { id: 'd', data: { again: true } } });
    const recreated = await request(stack.url, 'GET', doc);
    assert.is(recreated.body.version, 13, 'version 11 deleted, tombstone 12, created again at 13');
    assert.equal(recreated.body.data, { again: true });
  });

  test('after concurrent updates and gets of one document, the cached version equals the stored one', async ({ stack, redis }) => {
    const c = uniqueCollection('race');
    const doc = `${docs(c)}/hot`;
    await request(stack.url, 'POST', docs(c), { json: { id: 'hot', data: { n: 0 } } });
    // Bounded in time and in count: about three seconds of writers and readers on one document.
    const until = Date.now() + 3000;
    const maxEach = 400;
    const failures: string[] = [];
    const writer = async (w: number) => {
      for (let i = 0; i < maxEach && Date.now() < until; i++) {
        const reply =
          i % 2
            ? await request(stack.url, 'PUT', doc, { json: { data: { n: i, w } } })
            : await request(stack.url, 'PATCH', doc, { body: JSON.stringify({ n: i, w }), headers: { 'content-type': 'application/merge-patch+json' } });
        if (reply.status !== 200) failures.push(`${reply.status} ${reply.text}`);
      }
    };
    const reader = async () => {
      for (let i = 0; i < maxEach && Date.now() < until; i++) {
        const reply = await request(stack.url, 'GET', doc);
        if (reply.status !== 200) failures.push(`${reply.status} ${reply.text}`);
      }
    };
    await Promise.all([...[1, 2, 3].map(writer), ...Array.from({ length: 6 }, reader)]);
    assert.equal(failures, []);

    const db = openSqliteStore({ dataDir: stack.dataDir });
    try {
      const stored = await db.get(c, 'hot');
      assert.ok(stored && stored.version > 10, 'the writers really changed the document');
      const cachedJson = await redis.hget(cacheKey(c, 'hot'), 'doc');
      if (cachedJson !== null) assert.is(JSON.parse(cachedJson).version, stored.version, 'no older version stays cached');
      const read = await request(stack.url, 'GET', doc);
      assert.is(read.body.version, stored.version);
      assert.is(JSON.parse((await redis.hget(cacheKey(c, 'hot'), 'doc'))!).version, stored.version);
    } finally {
      await db.close();
    }
  });

  test.run();
}
