import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startEventSink, type EventSink, type Received } from '../support/event-sink.js';
import { request, uniqueCollection } from '../support/http.js';
import { freePort, tempDir } from '../support/processes.js';
import { startFunction, startStack, type Stack } from '../support/stack.js';

/** Change events from the started functions to a real HTTP sink named by K_SINK, as Knative sets it. */
const test = suite<{ sink: EventSink; stack: Stack & { removeData: () => void } }>('change events');

test.before(async (ctx) => {
  ctx.sink = await startEventSink();
  ctx.stack = await startStack({ K_SINK: ctx.sink.url });
});
test.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
  await ctx.sink?.close();
});

const docs = (collection: string) => `/v1/collections/${collection}/documents`;
const about = (collection: string, id: string, type: string) => (e: Received) =>
  e.headers['ce-collection'] === collection && e.headers['ce-documentid'] === id && e.headers['ce-type'] === type;

test('a create sends document.created from the create function with version 1', async ({ sink, stack }) => {
  const c = uniqueCollection();
  assert.is((await request(stack.url, 'POST', docs(c), { json: { id: 'd1', data: { n: 1 } } })).status, 201);
  const event = await sink.waitFor(about(c, 'd1', 'document.created'));
  assert.is(event.headers['ce-source'], '/dbsvc/create');
  assert.is(event.headers['ce-documentversion'], '1');
  assert.equal(event.body, { collection: c, id: 'd1', version: 1 });
});

test('a replace and a merge patch each send document.updated with the new version', async ({ sink, stack }) => {
  const c = uniqueCollection();
  await request(stack.url, 'POST', docs(c), { json: { id: 'd2', data: { n: 1 } } });
  assert.is((await request(stack.url, 'PUT', `${docs(c)}/d2`, { json: { data: { n: 2 } } })).status, 200);
  const patch = { body: '{"n":3}', headers: { 'content-type': 'application/merge-patch+json' } };
  assert.is((await request(stack.url, 'PATCH', `${docs(c)}/d2`, patch)).status, 200);
  await sink.waitFor((e) => about(c, 'd2', 'document.updated')(e) && e.headers['ce-documentversion'] === '3');
  const versions = sink.received.filter(about(c, 'd2', 'document.updated')).map((e) => e.headers['ce-documentversion']);
  assert.equal(versions.sort(), ['2', '3']);
  assert.is(sink.received.find(about(c, 'd2', 'document.updated'))!.headers['ce-source'], '/dbsvc/update');
});

test('a delete sends document.deleted with the version that was deleted', async ({ sink, stack }) => {
  const c = uniqueCollection();
  await request(stack.url, 'POST', docs(c), { json: { id: 'd3', data: { n: 1 } } });
  await request(stack.url, 'PUT', `${docs(c)}/d3`, { json: { data: { n: 2 } } });
  assert.is((await request(stack.url, 'DELETE', `${docs(c)}/d3`)).status, 204);
  const event = await sink.waitFor(about(c, 'd3', 'document.deleted'));
  assert.is(event.headers['ce-documentversion'], '2');
  assert.is(event.headers['ce-source'], '/dbsvc/delete');
});

test('bulk create, update and delete send one event per changed document, each with its own version', async ({ sink, stack }) => {
  const c = uniqueCollection();
  const bulk = (op: string, json: unknown) => request(stack.url, 'POST', `/v1/collections/${c}/bulk/${op}`, { json });
  assert.is((await bulk('create', { documents: [{ id: 'a', data: { n: 1 } }, { id: 'b', data: { n: 2 } }] })).status, 200);
  assert.equal((await bulk('update', { filter: { n: 1 }, update: { $inc: { n: 10 } } })).body, { matched: 1, modified: 1 });
  assert.equal((await bulk('delete', { filter: {} })).body, { deleted: 2 });
  await sink.waitFor(about(c, 'a', 'document.deleted'));
  await sink.waitFor(about(c, 'b', 'document.deleted'));
  const seen = (id: string, type: string) => sink.received.filter(about(c, id, type)).map((e) => e.headers['ce-documentversion']);
  assert.equal([seen('a', 'document.created'), seen('a', 'document.updated'), seen('a', 'document.deleted')], [['1'], ['2'], ['2']]);
  assert.equal([seen('b', 'document.created'), seen('b', 'document.updated'), seen('b', 'document.deleted')], [['1'], [], ['1']]);
});

test('a change that fails sends no event', async ({ sink, stack }) => {
  const c = uniqueCollection();
  await request(stack.url, 'POST', docs(c), { json: { id: 'kept', data: { n: 1 } } });
  const stale = await request(stack.url, 'PUT', `${docs(c)}/kept`, { json: { data: { n: 2 } }, headers: { 'if-match': '"7"' } });
  assert.is(stale.status, 412);
  // A later change through the same function shows that its events are flowing.
  await request(stack.url, 'POST', docs(c), { json: { id: 'marker', data: {} } });
  await request(stack.url, 'PUT', `${docs(c)}/marker`, { json: { data: { n: 2 } } });
  await sink.waitFor(about(c, 'marker', 'document.updated'));
  assert.is(sink.received.filter(about(c, 'kept', 'document.updated')).length, 0);
});

test('a create replayed with the same Idempotency-Key sends no second event', async ({ sink, stack }) => {
  const c = uniqueCollection();
  const create = () => request(stack.url, 'POST', docs(c), { json: { id: 'once', data: {} }, headers: { 'idempotency-key': 'k1' } });
  assert.is((await create()).status, 201);
  assert.is((await create()).headers.get('idempotent-replayed'), 'true');
  await request(stack.url, 'POST', docs(c), { json: { id: 'marker', data: {} } });
  await sink.waitFor(about(c, 'marker', 'document.created'));
  assert.is(sink.received.filter(about(c, 'once', 'document.created')).length, 1);
});

test.run();

const alone = suite('change events when the sink misbehaves');

alone('a sink that is down fails no change and the undelivered events are counted', async () => {
  const data = tempDir('dbsvc-events');
  const fn = await startFunction('create', { DATA_DIR: data.path, K_SINK: `http://127.0.0.1:${await freePort()}/` });
  try {
    for (let i = 0; i < 5; i++) {
      assert.is((await request(fn.url, 'POST', docs('down'), { json: { data: { i } } })).status, 201);
    }
    let failures = 0;
    for (let i = 0; i < 300 && failures < 5; i++) {
      const metrics = await request(fn.url, 'GET', '/metrics');
      failures = Number(/^events_delivery_failures_total\{reason="unreachable",function="create"\} (\d+)/m.exec(metrics.text)?.[1] ?? 0);
      if (failures < 5) await new Promise((r) => setTimeout(r, 50));
    }
    assert.is(failures, 5);
  } finally {
    await fn.process.stop();
    data.remove();
  }
});

alone('a change is answered while the sink still holds its event', async () => {
  const sink = await startEventSink(() => 'hold');
  const data = tempDir('dbsvc-events');
  const fn = await startFunction('create', { DATA_DIR: data.path, K_SINK: sink.url });
  try {
    assert.is((await request(fn.url, 'POST', docs('stuck'), { json: { id: 's1', data: {} } })).status, 201);
    const held = await sink.waitFor((e) => e.headers['ce-documentid'] === 's1');
    assert.is(held.status, 'held', 'the sink has not answered, yet the change was');
  } finally {
    await fn.process.stop(1000);
    await sink.close();
    data.remove();
  }
});

alone('an event still being delivered at SIGTERM is retried and delivered before the function exits', async () => {
  // The first attempt is held until after SIGTERM and then refused, so only a drain can deliver the retry.
  const sink = await startEventSink((_event, attempt) => (attempt === 1 ? 'hold' : 202));
  const data = tempDir('dbsvc-events');
  const fn = await startFunction('create', { DATA_DIR: data.path, K_SINK: sink.url });
  try {
    assert.is((await request(fn.url, 'POST', docs('drain'), { json: { id: 'last', data: {} } })).status, 201);
    await sink.waitFor((e) => e.headers['ce-documentid'] === 'last');
    fn.process.child.kill('SIGTERM');
    sink.release(503);
    const { code } = await fn.process.exited;
    assert.is(code, 0);
    const accepted = sink.received.filter((e) => e.headers['ce-documentid'] === 'last' && e.status === 202);
    assert.is(accepted.length, 1);
  } finally {
    await fn.process.stop();
    await sink.close();
    data.remove();
  }
});

alone.run();
