import { passThrough } from '../../shared/runtime/store/decorate-store.js';
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { Redis } from 'ioredis';
import { updateDocument } from '../../shared/application/update-document.js';
import { newDocument } from '../../shared/domain/document.js';
import { UnavailableError, VersionMismatchError } from '../../shared/domain/errors.js';
import type { DocumentStore } from '../../shared/domain/ports.js';
import { cachedStore, type DocumentCache } from '../../shared/infrastructure/cache/cached-store.js';
import { cacheKey, openRedisDocumentCache } from '../../shared/infrastructure/redis/redis-document-cache.js';
import { DEFAULT_FILE_NAME, openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';
import { loadConfig } from '../../shared/runtime/config/function-config.js';
import { instrumentStore } from '../../shared/runtime/store/instrumented-store.js';
import { createLogger } from '../../shared/runtime/observability/logger.js';
import { createMetrics, type Metrics } from '../../shared/runtime/observability/metrics.js';
import { redisResilience } from '../../shared/runtime/store/resilience.js';
import { eventually } from '../support/eventually.js';
import { uniqueCollection } from '../support/http.js';
import { freePort, tempDir } from '../support/processes.js';
import { inspector, redisReachable, redisServerInstalled, requireServer, startOwnRedis, TEST_REDIS_URL, type OwnRedis } from '../support/redis.js';

const T0 = new Date('2026-01-01T00:00:00.000Z');
const T1 = new Date('2026-01-02T00:00:00.000Z');
const silent = createLogger({ level: 'fatal', write: () => undefined });

interface Cached {
  /** The cached store, reading through Redis, in front of the SQLite store (which counts its calls). */
  store: DocumentStore;
  /** The same, as the functions that change documents use it: reads go to the store, changes tell the cache. */
  writer: DocumentStore;
  /** The SQLite store itself: the truth. */
  db: DocumentStore;
  cache: DocumentCache;
  metrics: Metrics;
  close: () => Promise<void>;
}

/** The pieces `composeStore` wires, opened here so a test can reach between them. */
async function openCached(options: {
  redisUrl: string;
  dataDir: string;
  ttlSeconds?: number;
  busyTimeoutMs?: number;
  wrapDb?: (db: DocumentStore) => DocumentStore;
  env?: Record<string, string>;
  /** Receives the cache's log lines (JSON); none are kept by default. */
  logTo?: (line: string) => void;
}): Promise<Cached> {
  // A generous Redis timeout by default: a loaded machine must not turn a slow reply into a miss here.
  const config = loadConfig({ REDIS_URL: options.redisUrl, REDIS_TIMEOUT_MS: '2000', REDIS_BREAKER_HALF_OPEN_MS: '50', ...options.env });
  const metrics = createMetrics('test');
  const db = openSqliteStore({ dataDir: options.dataDir, ...(options.busyTimeoutMs ? { busyTimeoutMs: options.busyTimeoutMs } : {}) });
  const cache = openRedisDocumentCache({
    url: options.redisUrl,
    ttlSeconds: options.ttlSeconds ?? 60,
    commandTimeoutMs: config.REDIS_TIMEOUT_MS,
    connectTimeoutMs: config.REDIS_CONNECT_TIMEOUT_MS,
    policy: redisResilience(config, metrics, silent),
    log: options.logTo ? createLogger({ level: 'warn', write: options.logTo }) : silent,
  });
  const inner = instrumentStore(options.wrapDb ? options.wrapDb(db) : db, metrics);
  const reads = { onHit: () => metrics.cacheHits.inc({ operation: 'get' }), onMiss: () => metrics.cacheMisses.inc({ operation: 'get' }) };
  const store = cachedStore(inner, cache, { readThrough: true, ...reads });
  const writer = cachedStore(inner, cache, { readThrough: false, ...reads });
  return { store, writer, db, cache, metrics, close: () => store.close() };
}

/** Resolves once the cache answers (it connects in the background and skips Redis until then). */
async function connected(cache: DocumentCache): Promise<void> {
  const probe = newDocument('probe', `p${process.pid}`, {}, T0);
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await cache.fill(probe);
    if (await cache.read(probe.collection, probe.id)) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the cache did not connect within 10 s');
}

const count = async (metrics: Metrics, name: 'cacheHits' | 'cacheMisses' | 'dbOperations', labels: Record<string, string> = {}) =>
  (await metrics[name].get()).values
    .filter((v) => Object.entries(labels).every(([k, l]) => (v.labels as Record<string, unknown>)[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
const storeGets = (metrics: Metrics) => count(metrics, 'dbOperations', { operation: 'get' });

if (requireServer(`Redis at ${TEST_REDIS_URL}`, () => redisReachable())) {
  const test = suite<{ dir: { path: string; remove: () => void }; redis: Redis; c: Cached; collection: string }>('Redis document cache');

  test.before(async (ctx) => {
    ctx.redis = inspector();
  });
  test.after(async (ctx) => {
    ctx.redis?.disconnect();
  });
  test.before.each(async (ctx) => {
    ctx.dir = tempDir('dbsvc-cache');
    ctx.c = await openCached({ redisUrl: TEST_REDIS_URL, dataDir: ctx.dir.path });
    ctx.collection = uniqueCollection('cache');
    await connected(ctx.c.cache);
  });
  test.after.each(async (ctx) => {
    await ctx.c.close();
    ctx.dir.remove();
  });

  test('a first get misses and reads the store; the next is answered from Redis without the store', async ({ c, collection }) => {
    await c.db.create(newDocument(collection, 'd', { n: 1 }, T0));
    assert.equal((await c.store.get(collection, 'd'))?.data, { n: 1 });
    assert.is(await count(c.metrics, 'cacheMisses'), 1);
    assert.is(await storeGets(c.metrics), 1);
    assert.equal(await c.store.get(collection, 'd'), await c.db.get(collection, 'd'));
    assert.is(await count(c.metrics, 'cacheHits'), 1);
    assert.is(await storeGets(c.metrics), 1, 'the hit did not reach the store');
  });

  test('a document that does not exist is not cached: each get asks the store', async ({ c, collection }) => {
    assert.is(await c.store.get(collection, 'nothing'), null);
    assert.is(await c.store.get(collection, 'nothing'), null);
    assert.is(await count(c.metrics, 'cacheMisses'), 2);
    assert.is(await storeGets(c.metrics), 2);
  });

  test('the entry lives CACHE_TTL_SECONDS; once Redis expires it the next get reads the store again', async ({ dir, redis, collection }) => {
    const short = await openCached({ redisUrl: TEST_REDIS_URL, dataDir: dir.path, ttlSeconds: 1 });
    try {
      await connected(short.cache);
      await short.db.create(newDocument(collection, 'd', { n: 1 }, T0));
      await short.store.get(collection, 'd');
      const ttl = await redis.pttl(cacheKey(collection, 'd'));
      assert.ok(ttl > 0 && ttl <= 1000, `TTL ${ttl} ms`);
      await short.store.get(collection, 'd');
      assert.is(await count(short.metrics, 'cacheHits'), 1);
      await eventually(async () => (await redis.exists(cacheKey(collection, 'd'))) === 0, 'expiry');
      await short.store.get(collection, 'd');
      assert.is(await count(short.metrics, 'cacheMisses'), 2);
      assert.is(await storeGets(short.metrics), 2);
    } finally {
      await short.close();
    }
  });

  /** Caches version 1 of `d`, applies the change through the cached store, then expects a get to show the store. */
  const changes: Array<[string, (store: DocumentStore, collection: string) => Promise<unknown>]> = [
    ['an unconditional replace', (store, c) => store.replace(c, 'd', { data: { n: 2 }, now: T1 })],
    ['a conditional replace (If-Match)', (store, c) => store.replace(c, 'd', { data: { n: 2 }, expectedVersion: 1, now: T1 })],
    [
      'a merge patch',
      (store, c) =>
        updateDocument(
          { store, clock: { now: () => T1 }, ids: { next: () => 'x' }, events: { publish: () => undefined } },
          { collection: c, id: 'd', change: { kind: 'merge-patch', patch: { m: true } } },
        ),
    ],
    ['an unconditional delete', (store, c) => store.delete(c, 'd', undefined)],
    ['a conditional delete (If-Match)', (store, c) => store.delete(c, 'd', 1)],
    [
      'a delete followed by a create of the same id',
      async (store, c) => {
        await store.delete(c, 'd', undefined);
        await store.create(newDocument(c, 'd', { reborn: true }, T1));
      },
    ],
  ];
  for (const [name, change] of changes) {
    test(`${name} invalidates the cached copy: the next get answers what the store holds`, async ({ c, collection }) => {
      await c.db.create(newDocument(collection, 'd', { n: 1 }, T0));
      await c.store.get(collection, 'd');
      assert.is((await c.store.get(collection, 'd'))?.version, 1);
      assert.is(await count(c.metrics, 'cacheHits'), 1, 'version 1 was cached');
      await change(c.writer, collection);
      assert.equal(await c.store.get(collection, 'd'), await c.db.get(collection, 'd'));
      assert.is(await count(c.metrics, 'cacheHits'), 1, 'the get after the change did not come from the cache');
    });
  }

  test('after a change the new version is cached by the next get', async ({ c, collection }) => {
    await c.db.create(newDocument(collection, 'd', { n: 1 }, T0));
    await c.store.get(collection, 'd');
    await c.store.replace(collection, 'd', { data: { n: 2 }, now: T1 });
    await c.store.get(collection, 'd');
    assert.is((await c.store.get(collection, 'd'))?.version, 2);
    assert.is(await count(c.metrics, 'cacheHits'), 1);
  });

  test('a change the store refuses (version mismatch) leaves the cached copy in place', async ({ c, collection }) => {
    await c.db.create(newDocument(collection, 'd', { n: 1 }, T0));
    await c.store.get(collection, 'd');
    const error = await c.store.replace(collection, 'd', { data: { n: 2 }, expectedVersion: 7, now: T1 }).catch((e: unknown) => e);
    assert.instance(error, VersionMismatchError);
    assert.is((await c.store.get(collection, 'd'))?.version, 1);
    assert.is(await count(c.metrics, 'cacheHits'), 1);
  });

  test('a change whose outcome is unknown (store unavailable) drops the cached copy', async ({ dir, collection }) => {
    const c = await openCached({ redisUrl: TEST_REDIS_URL, dataDir: dir.path, busyTimeoutMs: 50 });
    const lock = new DatabaseSync(join(dir.path, DEFAULT_FILE_NAME));
    try {
      await connected(c.cache);
      await c.db.create(newDocument(collection, 'd', { n: 1 }, T0));
      await c.store.get(collection, 'd');
      lock.exec('BEGIN IMMEDIATE');
      assert.instance(await c.store.replace(collection, 'd', { data: { n: 2 }, now: T1 }).catch((e: unknown) => e), UnavailableError);
      lock.exec('ROLLBACK');
      await c.store.get(collection, 'd');
      assert.is(await count(c.metrics, 'cacheHits'), 0, 'the get after the failed change read the store');
    } finally {
      lock.close();
      await c.close();
    }
  });

  /** The SQLite store with a switch: once armed, the next read stops after reading, like a reader slow to come back. */
  function slowReads() {
    let armed: { reached: () => void; released: Promise<void> } | undefined;
    const arm = () => {
      let reached!: () => void;
      let release!: () => void;
      const hasRead = new Promise<void>((resolve) => (reached = resolve));
      armed = { reached, released: new Promise<void>((resolve) => (release = resolve)) };
      return { hasRead, release };
    };
    const wrap = (db: DocumentStore): DocumentStore => ({
      ...passThrough(db),
      async get(collection, id) {
        const document = await db.get(collection, id);
        const pause = armed;
        armed = undefined;
        if (pause) {
          pause.reached();
          await pause.released;
        }
        return document;
      },
    });
    return { arm, wrap };
  }

  test('a slow reader cannot put a deleted document back into the cache', async ({ dir, collection }) => {
    const slow = slowReads();
    const c = await openCached({ redisUrl: TEST_REDIS_URL, dataDir: dir.path, wrapDb: slow.wrap });
    try {
      await connected(c.cache);
      await c.db.create(newDocument(collection, 'd', { n: 1 }, T0));
      const reader = slow.arm();
      const slowGet = c.store.get(collection, 'd');
      await reader.hasRead;
      await c.store.delete(collection, 'd', undefined);
      reader.release();
      assert.is((await slowGet)?.version, 1, 'the slow reader read version 1 before the delete');
      assert.is(await c.cache.read(collection, 'd'), undefined);
      assert.is(await c.store.get(collection, 'd'), null);
    } finally {
      await c.close();
    }
  });

  test('a slow reader cannot put an older version over a newer one', async ({ dir, collection }) => {
    const slow = slowReads();
    const c = await openCached({ redisUrl: TEST_REDIS_URL, dataDir: dir.path, wrapDb: slow.wrap });
    try {
      await connected(c.cache);
      await c.db.create(newDocument(collection, 'd', { n: 1 }, T0));
      const reader = slow.arm();
      const slowGet = c.store.get(collection, 'd');
      await reader.hasRead;
      await c.store.replace(collection, 'd', { data: { n: 2 }, now: T1 });
      assert.is((await c.store.get(collection, 'd'))?.version, 2, 'a fast reader cached version 2');
      reader.release();
      assert.is((await slowGet)?.version, 1);
      assert.is((await c.cache.read(collection, 'd'))?.version, 2);
    } finally {
      await c.close();
    }
  });

  test('a document created again after a delete is cached anew, not blocked by the old one', async ({ c, collection }) => {
    await c.db.create(newDocument(collection, 'd', { first: true }, T0));
    await c.db.replace(collection, 'd', { data: { first: true, n: 2 }, now: T0 });
    await c.store.get(collection, 'd');
    await c.store.delete(collection, 'd', undefined);
    await c.store.create(newDocument(collection, 'd', { second: true }, T1));
    await c.store.get(collection, 'd');
    const cached = await c.cache.read(collection, 'd');
    assert.equal(cached?.data, { second: true });
    assert.is(cached?.version, 4, 'the re-created document continues after the tombstone (3)');
  });

  test('a slow reader’s copy of a deleted incarnation is refused after the id is created again', async ({ c, collection }) => {
    const { document: first } = await c.db.create(newDocument(collection, 'd', { incarnation: 'A' }, T0));
    await c.store.delete(collection, 'd', undefined);
    const { document: second } = await c.store.create(newDocument(collection, 'd', { incarnation: 'B' }, T1));
    await c.cache.fill(first);
    assert.is(await c.cache.read(collection, 'd'), undefined, 'the old incarnation never comes back');
    await c.cache.fill(second);
    assert.equal((await c.cache.read(collection, 'd'))?.data, { incarnation: 'B' });
  });

  test('with Redis unreachable from the start, gets and changes go to the store', async ({ dir, collection }) => {
    const c = await openCached({ redisUrl: `redis://127.0.0.1:${await freePort()}`, dataDir: dir.path });
    try {
      await c.store.create(newDocument(collection, 'd', { n: 1 }, T0));
      await c.store.replace(collection, 'd', { data: { n: 2 }, expectedVersion: 1, now: T1 });
      assert.is((await c.store.get(collection, 'd'))?.version, 2);
      assert.is(await count(c.metrics, 'cacheMisses'), 1);
      await c.store.delete(collection, 'd', 2);
      assert.is(await c.store.get(collection, 'd'), null);
    } finally {
      await c.close();
    }
  });

  test.run();
}

if (requireServer('redis-server (to start a Redis of the test’s own)', redisServerInstalled)) {
  const test = suite<{ own: OwnRedis; dir: { path: string; remove: () => void } }>('Redis document cache: invalidations Redis missed');
  test.before.each(async (ctx) => {
    ctx.own = await startOwnRedis();
    ctx.dir = tempDir('dbsvc-cache-own');
  });
  test.after.each(async (ctx) => {
    await ctx.own.stop();
    ctx.dir.remove();
  });

  type Cached = Awaited<ReturnType<typeof openCached>>;

  /**
   * Two processes on one file: `writing` changes documents (its Redis calls time out fast), `reading` reads
   * through the cache. Redis stalls on the same connection (no reconnection follows): three invalidations time
   * out and the writer's breaker opens, so the changes of `e` (never read, so never cached) and `d` are not even
   * sent, and once Redis answers again the reader still gets the outdated copy of `d`. Then `after` runs, and
   * both processes are closed whatever happens.
   */
  async function afterMissedInvalidation(
    { own, dir }: { own: OwnRedis; dir: { path: string } },
    after: (processes: { writing: Cached; reading: Cached }) => Promise<void>,
  ): Promise<void> {
    const writing = await openCached({ redisUrl: own.url, dataDir: dir.path, env: { REDIS_TIMEOUT_MS: '200', REDIS_BREAKER_HALF_OPEN_MS: '300' } });
    const reading = await openCached({ redisUrl: own.url, dataDir: dir.path });
    const admin = inspector(own.url);
    try {
      await Promise.all([connected(writing.cache), connected(reading.cache)]);
      await writing.db.create(newDocument('pause', 'd', { n: 1 }, T0));
      for (const id of ['x1', 'x2', 'x3', 'e']) await writing.db.create(newDocument('pause', id, { n: 1 }, T0));
      await reading.store.get('pause', 'd');
      await admin.call('CLIENT', 'PAUSE', '1500', 'ALL');
      await Promise.all(['x1', 'x2', 'x3'].map((id) => writing.writer.replace('pause', id, { data: { n: 2 }, now: T1 })));
      await writing.writer.replace('pause', 'e', { data: { n: 2 }, now: T1 });
      await writing.writer.replace('pause', 'd', { data: { n: 2 }, now: T1 });
      await eventually(async () => (await admin.ping()) === 'PONG', 'the pause ending');
      assert.is((await reading.store.get('pause', 'd'))?.version, 1, 'the reader still gets the outdated copy from Redis');
      await after({ writing, reading });
    } finally {
      admin.disconnect();
      await Promise.all([writing.close(), reading.close()]);
    }
  }

  test('an invalidation that could not reach Redis is sent once Redis answers again, with no later call to carry it', (ctx) =>
    afterMissedInvalidation(ctx, async ({ reading }) => {
      await eventually(async () => (await reading.store.get('pause', 'd'))?.version === 2, 'the missed invalidation reaching Redis');
    }));

  test('a missed invalidation, once sent, keeps out a copy read before its change, as one sent at once would', (ctx) =>
    afterMissedInvalidation(ctx, async ({ reading }) => {
      // `e`'s invalidation waited before `d`'s: once `d` reads version 2, both were sent.
      await eventually(async () => (await reading.store.get('pause', 'd'))?.version === 2, 'the missed invalidations reaching Redis');
      // A reader that read version 1 of `e` before its change and is only now filling the cache.
      await reading.cache.fill(newDocument('pause', 'e', { n: 1 }, T0));
      assert.is((await reading.store.get('pause', 'e'))?.version, 2);
    }));

  test('an invalidation that could not reach Redis is sent by the writer\'s next call that gets through', (ctx) =>
    afterMissedInvalidation(ctx, async ({ writing, reading }) => {
      await eventually(async () => {
        await writing.writer.replace('pause', 'x1', { data: { n: 3 }, now: T1 });
        return (await reading.store.get('pause', 'd'))?.version === 2;
      }, 'the missed invalidation reaching Redis');
    }));

  test('an invalidation that cannot be sent when the writer closes is logged with its key', async ({ own, dir }) => {
    const lines: string[] = [];
    const writing = await openCached({ redisUrl: own.url, dataDir: dir.path, env: { REDIS_TIMEOUT_MS: '200' }, logTo: (line) => lines.push(line) });
    try {
      await connected(writing.cache);
      await writing.db.create(newDocument('gone', 'd', { n: 1 }, T0));
      await own.kill();
      await writing.writer.replace('gone', 'd', { data: { n: 2 }, now: T1 });
    } finally {
      await writing.close();
    }
    const lost = lines.map((line) => JSON.parse(line)).find((entry) => entry.msg.startsWith('cache invalidations lost'));
    assert.equal({ lost: lost?.lost, keys: lost?.keys }, { lost: 1, keys: cacheKey('gone', 'd') });
  });

  test('an invalidation still waiting when the writer closes is sent before it disconnects', (ctx) =>
    afterMissedInvalidation(ctx, async ({ writing, reading }) => {
      await writing.close();
      assert.is((await reading.store.get('pause', 'd'))?.version, 2);
    }));

  test.run();
}
