import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { newDocument } from '../../shared/domain/document.js';
import { openSqliteStore } from '../../shared/infrastructure/sqlite/sqlite-store.js';
import { eventually } from '../support/eventually.js';
import { request } from '../support/http.js';
import { metricValue, scrape } from '../support/metrics.js';
import { tempDir, type Spawned } from '../support/processes.js';
import { inspector, redisServerInstalled, requireServer, startOwnRedis, type OwnRedis } from '../support/redis.js';
import { startFunction } from '../support/stack.js';

/**
 * The get function in front of a Redis of the test's own, which the test kills and starts again. The
 * shared Redis is never touched.
 */
type Context = { own: OwnRedis; data: { path: string; remove: () => void }; get: { url: string; process: Spawned } | undefined };

const DOCS = 20;
const path = (i: number) => `/v1/collections/outage/documents/d${i % DOCS}`;
const counter = async (url: string, name: string, labels: Record<string, string> = {}) => metricValue(await scrape(url), name, labels);

/** Outages take a while to notice and recover from: breakers, reconnects, a pause of the server. */
const OUTAGE_MS = 20_000;

/** Gets of one document until one is answered from the cache. */
const cacheAnswers = (url: string) => async () => {
  const before = await counter(url, 'cache_hits_total');
  await request(url, 'GET', path(0));
  await request(url, 'GET', path(0));
  return (await counter(url, 'cache_hits_total')) > before;
};

if (requireServer('redis-server (to start a Redis of the test’s own)', redisServerInstalled)) {
  const test = suite<Context>('Redis outage under the get function');

  test.before.each(async (ctx) => {
    ctx.own = await startOwnRedis();
    ctx.data = tempDir('dbsvc-outage');
    const db = openSqliteStore({ dataDir: ctx.data.path });
    for (let i = 0; i < DOCS; i++) await db.create(newDocument('outage', `d${i}`, { i }, new Date()));
    await db.close();
    ctx.get = undefined;
  });
  test.after.each(async (ctx) => {
    await ctx.get?.process.stop();
    await ctx.own.stop();
    ctx.data.remove();
  });

  const startGet = async (ctx: Context, env: Record<string, string> = {}) => {
    // A generous Redis timeout unless a test says otherwise: on a loaded machine a slow reply must not trip the breaker.
    ctx.get = await startFunction('get', { DATA_DIR: ctx.data.path, REDIS_URL: ctx.own.url, REDIS_TIMEOUT_MS: '2000', ...env });
    await eventually(cacheAnswers(ctx.get.url), 'a first cache hit', OUTAGE_MS);
    return ctx.get.url;
  };

  test('Redis killed while 2,000 gets run fails none of them; once it is back, gets are answered from the cache again', async (ctx) => {
    const url = await startGet(ctx, { REDIS_BREAKER_HALF_OPEN_MS: '500' });
    const total = 2000;
    const killAt = 400;
    let issued = 0;
    let completed = 0;
    let completedAtKill = -1;
    let killing: Promise<void> | undefined;
    const failures: string[] = [];
    const worker = async () => {
      while (issued < total) {
        const i = issued++;
        try {
          const reply = await request(url, 'GET', path(i));
          if (reply.status !== 200) failures.push(`${reply.status} ${reply.text}`);
        } catch (error) {
          failures.push(String(error));
        }
        completed++;
        if (completed === killAt) {
          completedAtKill = completed;
          killing = ctx.own.kill();
        }
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    await killing;
    assert.is(completed, total);
    assert.equal(failures, [], 'no get failed');
    assert.ok(completedAtKill > 0 && completedAtKill < total, 'Redis died while gets were running');
    assert.ok((await counter(url, 'circuit_breaker_transitions_total', { breaker: 'redis', state: 'open' })) >= 1, 'the Redis breaker opened');

    await ctx.own.restart();
    await eventually(cacheAnswers(url), 'a cache hit after Redis came back', OUTAGE_MS);
  });

  test('the Redis breaker goes closed → open → half-open → closed across an outage, in metrics and logs', async (ctx) => {
    const url = await startGet(ctx, { REDIS_BREAKER_HALF_OPEN_MS: '300', LOG_LEVEL: 'info' });
    assert.is(await counter(url, 'circuit_breaker_state', { breaker: 'redis' }), 0);
    await ctx.own.kill();
    await eventually(async () => {
      await request(url, 'GET', path(1));
      return (await counter(url, 'circuit_breaker_state', { breaker: 'redis' })) === 1;
    }, 'the breaker opening', OUTAGE_MS);
    await ctx.own.restart();
    await eventually(async () => {
      await request(url, 'GET', path(1));
      return (await counter(url, 'circuit_breaker_transitions_total', { breaker: 'redis', state: 'closed' })) === 1;
    }, 'the breaker closing', OUTAGE_MS);
    assert.is(await counter(url, 'circuit_breaker_state', { breaker: 'redis' }), 0);
    assert.ok((await counter(url, 'circuit_breaker_transitions_total', { breaker: 'redis', state: 'half-open' })) >= 1);

    const states = ctx
      .get!.process.output()
      .split('\n')
      .filter((line) => line.includes('"breaker":"redis"'))
      .map((line) => JSON.parse(line).state as string);
    assert.is(states[0], 'open');
    assert.equal(states.slice(-2), ['half-open', 'closed']);
    states.forEach((state, i) => {
      if (state === 'half-open') assert.is(states[i - 1], 'open', 'half-open only follows open');
    });
  });

  test('once the Redis breaker is open, gets stop sending commands to a Redis that hangs', async (ctx) => {
    const url = await startGet(ctx, { REDIS_TIMEOUT_MS: '200', REDIS_BREAKER_THRESHOLD: '3', REDIS_BREAKER_HALF_OPEN_MS: '60000' });
    const admin = inspector(ctx.own.url);
    try {
      await admin.config('RESETSTAT');
      // Redis accepts commands but answers none for a while, as behind a network black hole.
      await admin.call('CLIENT', 'PAUSE', '2000', 'ALL');
      for (let i = 0; i < 50; i++) {
        const reply = await request(url, 'GET', path(i));
        assert.is(reply.status, 200);
      }
      await eventually(async () => (await admin.ping()) === 'PONG', 'the pause ending', OUTAGE_MS);
      const stats = (await admin.info('commandstats')) as string;
      const calls = [...stats.matchAll(/^cmdstat_(hget|evalsha|eval):calls=(\d+)/gm)].reduce((sum, m) => sum + Number(m[2]), 0);
      assert.ok(calls >= 1 && calls <= 3, `only the ${calls} calls that opened the breaker reached Redis, not one per get`);
    } finally {
      admin.disconnect();
    }
  });

  test.run();
}
