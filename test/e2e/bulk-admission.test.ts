import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { eventually } from '../support/eventually.js';
import { request, uniqueCollection, type Reply } from '../support/http.js';
import { metricValue, scrape } from '../support/metrics.js';
import { tempDir, type Spawned } from '../support/processes.js';
import { startFunction } from '../support/stack.js';
import { holdWriteLock, release, stopHolder, type LockHolder } from '../support/write-lock.js';

/**
 * A create function runs BULK_MAX_CONCURRENCY bulk requests at once and keeps BULK_MAX_QUEUE waiting, in order;
 * past that it answers 503 at once. To hold bulk requests in their turn for as long as a test needs, another
 * process holds the SQLite file's write lock: the running request waits for it (its writes wait on timers, up to
 * the store's 5 s busy timeout), and the next one waits for its turn. `bulk_requests{state}` says when they are
 * there.
 */
const test = suite<{ url: string; fn: Spawned; data: { path: string; remove: () => void }; holder?: LockHolder }>('bulk admission');

test.before(async (ctx) => {
  ctx.data = tempDir('dbsvc-bulk-admission');
  const started = await startFunction('create', { DATA_DIR: ctx.data.path, BULK_MAX_CONCURRENCY: '1', BULK_MAX_QUEUE: '1' });
  ctx.url = started.url;
  ctx.fn = started.process;
  // The first write makes the file and its schema, so the holder can lock it.
  await request(ctx.url, 'POST', `/v1/collections/${uniqueCollection()}/documents`, { json: { data: {} } });
});

test.after.each(async (ctx) => {
  if (ctx.holder) await stopHolder(ctx.holder);
  ctx.holder = undefined;
});

test.after(async (ctx) => {
  await ctx.fn?.stop();
  ctx.data?.remove();
});

const bulkCreate = (url: string, collection: string, ids: readonly string[]): Promise<Reply> =>
  request(url, 'POST', `/v1/collections/${collection}/bulk/create`, { json: { documents: ids.map((id) => ({ id, data: { id } })) } });

/** Waits until the function reports `running` bulk requests in their turn and `waiting` in its queue. */
async function bulkRequests(url: string, running: number, waiting: number): Promise<void> {
  await eventually(async () => {
    const metrics = await scrape(url);
    return metricValue(metrics, 'bulk_requests', { state: 'running' }) === running && metricValue(metrics, 'bulk_requests', { state: 'waiting' }) === waiting;
  }, `${running} bulk request(s) running and ${waiting} waiting`);
}

test('a bulk request past the running one and the queue is answered 503 at once, with Retry-After, naming the limits', async (ctx) => {
  const c = uniqueCollection();
  ctx.holder = await holdWriteLock(ctx.data.path);
  const running = bulkCreate(ctx.url, c, ['a']);
  const queued = bulkCreate(ctx.url, c, ['b']);
  await bulkRequests(ctx.url, 1, 1);

  const shed = await bulkCreate(ctx.url, c, ['shed']);
  assert.is(shed.status, 503, shed.text);
  assert.is(shed.headers.get('retry-after'), '1');
  assert.match(shed.headers.get('content-type') ?? '', 'application/problem+json');
  assert.match(shed.body.detail, 'too many bulk requests in progress (1 at once, 1 waiting)');

  await release(ctx.holder);
  assert.equal((await running).body.results.map((r: { status: number }) => r.status), [201]);
  assert.equal((await queued).body.results.map((r: { status: number }) => r.status), [201]);
  const again = await request(ctx.url, 'POST', `/v1/collections/${c}/documents`, { json: { id: 'shed', data: {} } });
  assert.is(again.status, 201, 'the shed request stored nothing, so its id is still free');
});

test('a waiting bulk request runs once the one before it is done', async (ctx) => {
  const c = uniqueCollection();
  ctx.holder = await holdWriteLock(ctx.data.path);
  const answered: string[] = [];
  const running = bulkCreate(ctx.url, c, ['first']).then((reply) => (answered.push('first'), reply));
  await bulkRequests(ctx.url, 1, 0);
  const queued = bulkCreate(ctx.url, c, ['second']).then((reply) => (answered.push('second'), reply));
  await bulkRequests(ctx.url, 1, 1);

  await release(ctx.holder);
  const [first, second] = await Promise.all([running, queued]);
  assert.equal(answered, ['first', 'second']);
  assert.equal(first.body.results.map((r: { status: number }) => r.status), [201]);
  assert.equal(second.body.results.map((r: { status: number }) => r.status), [201]);
  await bulkRequests(ctx.url, 0, 0);
});

test('a single request is answered while bulk requests fill every turn and the queue', async (ctx) => {
  const c = uniqueCollection();
  ctx.holder = await holdWriteLock(ctx.data.path);
  const running = bulkCreate(ctx.url, c, ['a']);
  const queued = bulkCreate(ctx.url, c, ['b']);
  await bulkRequests(ctx.url, 1, 1);

  // A single create waits for the same lock as any write would; one the function refuses needs no store.
  const single = await request(ctx.url, 'POST', `/v1/collections/${c}/documents`, { json: { data: 'not an object' } });
  assert.is(single.status, 400, single.text);

  await release(ctx.holder);
  await Promise.all([running, queued]);
});

test.run();
