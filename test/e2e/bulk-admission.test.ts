import { request as httpRequest } from 'node:http';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request, uniqueCollection } from '../support/http.js';
import { tempDir, type Spawned } from '../support/processes.js';
import { startFunction } from '../support/stack.js';

/**
 * A create function runs BULK_MAX_CONCURRENCY bulk requests at once and keeps BULK_MAX_QUEUE waiting, in order,
 * before their bodies are read; past that it answers 503 at once. Single requests never wait for bulk ones.
 * Each bulk request here announces its body with `Expect: 100-continue`: the function's 100 says it has the
 * request's head, and the test sends the body only when it chooses, so a request can be held inside the
 * function (admitted, reading its body) or in its queue for as long as a test needs.
 */
const test = suite<{ url: string; fn: Spawned; data: { path: string; remove: () => void } }>('bulk admission');

test.before(async (ctx) => {
  ctx.data = tempDir('dbsvc-bulk-admission');
  const started = await startFunction('create', { DATA_DIR: ctx.data.path, BULK_MAX_CONCURRENCY: '1', BULK_MAX_QUEUE: '1' });
  ctx.url = started.url;
  ctx.fn = started.process;
});

test.after(async (ctx) => {
  await ctx.fn?.stop();
  ctx.data?.remove();
});

interface HeldRequest {
  /** Settles once the function answered `100 Continue`: it has read the head and is ready for the body. */
  readonly continued: Promise<void>;
  /** Sends the body. */
  send(): void;
  readonly reply: Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>;
}

/** A bulk create of `ids` whose body goes out only when `send()` is called. */
function heldBulkCreate(url: string, collection: string, ids: readonly string[]): HeldRequest {
  const body = JSON.stringify({ documents: ids.map((id) => ({ id, data: { id } })) });
  let continued!: () => void;
  const continuedPromise = new Promise<void>((resolve) => (continued = resolve));
  const req = httpRequest(`${url}/v1/collections/${collection}/bulk/create`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), expect: '100-continue' },
  });
  req.on('continue', continued);
  const reply = new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: any }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(text) }));
    });
    req.on('error', reject);
  });
  req.flushHeaders();
  return { continued: continuedPromise, send: () => req.end(body), reply };
}

test('a bulk request past the running one and the queue is answered 503 at once, with Retry-After, naming the limits', async ({ url }) => {
  const c = uniqueCollection();
  const running = heldBulkCreate(url, c, ['a']);
  await running.continued;
  const queued = heldBulkCreate(url, c, ['b']);
  await queued.continued;

  const shed = await request(url, 'POST', `/v1/collections/${c}/bulk/create`, { json: { documents: [{ id: 'c', data: {} }] } });
  assert.is(shed.status, 503, shed.text);
  assert.is(shed.headers.get('retry-after'), '1');
  assert.match(shed.headers.get('content-type') ?? '', 'application/problem+json');
  assert.match(shed.body.detail, 'too many bulk requests in progress (1 at once, 1 waiting)');

  running.send();
  queued.send();
  assert.is((await running.reply).status, 200);
  assert.is((await queued.reply).status, 200);
  const again = await request(url, 'POST', `/v1/collections/${c}/documents`, { json: { id: 'c', data: {} } });
  assert.is(again.status, 201, 'the shed request stored nothing, so its id is still free');
});

test('a waiting bulk request runs once the one before it is done, and stores its documents', async ({ url }) => {
  const c = uniqueCollection();
  const running = heldBulkCreate(url, c, ['first']);
  await running.continued;
  const queued = heldBulkCreate(url, c, ['second']);
  await queued.continued;
  // The waiting request's body is there first; it is still not read before the running request is done.
  const answered: string[] = [];
  const firstReply = running.reply.then((r) => (answered.push('first'), r));
  const secondReply = queued.reply.then((r) => (answered.push('second'), r));
  queued.send();
  running.send();

  const [first, second] = await Promise.all([firstReply, secondReply]);
  assert.equal(answered, ['first', 'second']);
  assert.equal(first.body.results.map((r: { status: number }) => r.status), [201]);
  assert.equal(second.body.results.map((r: { status: number }) => r.status), [201]);
  const again = await request(url, 'POST', `/v1/collections/${c}/documents`, { json: { id: 'second', data: {} } });
  assert.is(again.status, 409, 'the waiting request stored its document');
});

test('a single create is answered while bulk requests fill every turn and the queue', async ({ url }) => {
  const c = uniqueCollection();
  const running = heldBulkCreate(url, c, ['a']);
  await running.continued;
  const queued = heldBulkCreate(url, c, ['b']);
  await queued.continued;

  const single = await request(url, 'POST', `/v1/collections/${c}/documents`, { json: { id: 'single', data: {} } });
  assert.is(single.status, 201, single.text);

  running.send();
  queued.send();
  await Promise.all([running.reply, queued.reply]);
});

test.run();
