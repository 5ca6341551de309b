import { writeFileSync } from 'node:fs';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request, uniqueCollection } from '../support/http.js';
import { jsonLines, waitForLine } from '../support/logs.js';
import { type OtlpReceiver, startOtlpReceiver } from '../support/otlp-receiver.js';
import { tempDir, type Spawned } from '../support/processes.js';
import { startFunction } from '../support/stack.js';

/** A function's stdout read line by line as JSON, as a log shipper would. */
type Fn = { url: string; process: Spawned };
const test = suite<{ fn: Fn; data: { path: string; remove: () => void } }>('logs');

test.before(async (ctx) => {
  ctx.data = tempDir('dbsvc-logs');
  ctx.fn = await startFunction('create', { DATA_DIR: ctx.data.path, LOG_LEVEL: 'info' });
});
test.after(async (ctx) => {
  await ctx.fn?.process.stop();
  ctx.data?.remove();
});

const create = (fn: Fn, collection: string, body: unknown, headers: Record<string, string> = {}) =>
  request(fn.url, 'POST', `/v1/collections/${collection}/documents`, { json: body, headers });

test('every line is one JSON object with level, timestamp and msg', async (ctx) => {
  await create(ctx.fn, uniqueCollection('l'), { data: { a: 1 } });
  const rejected = uniqueCollection('l');
  await create(ctx.fn, rejected, { nope: true });
  // Log lines are written once per event-loop turn: wait for the last request's line, not a moment.
  await waitForLine(ctx.fn.process, (l) => l.msg === 'request' && l.collection === rejected);
  const lines = jsonLines(ctx.fn.process.output());
  assert.ok(lines.length >= 3);
  for (const line of lines) {
    assert.ok(['trace', 'debug', 'info', 'warn', 'error', 'fatal'].includes(line.level as string), JSON.stringify(line));
    assert.ok(!Number.isNaN(Date.parse(line.timestamp as string)), JSON.stringify(line));
    assert.type(line.msg, 'string');
  }
});

test('each request writes one access line at info with method, route, status, duration, collection and id', async (ctx) => {
  const collection = uniqueCollection('access');
  for (let i = 0; i < 3; i++) assert.is((await create(ctx.fn, collection, { id: `d${i}`, data: {} })).status, 201);
  assert.is((await create(ctx.fn, collection, { id: 'd0', data: {} })).status, 409);
  await waitForLine(ctx.fn.process, (l) => l.msg === 'request' && l.collection === collection && l.status === '409');
  const access = jsonLines(ctx.fn.process.output()).filter((l) => l.msg === 'request' && l.collection === collection);
  assert.equal(
    access.map((l) => [l.level, l.method, l.route, l.status]),
    [
      ['info', 'POST', '/v1/collections/:collection/documents', '201'],
      ['info', 'POST', '/v1/collections/:collection/documents', '201'],
      ['info', 'POST', '/v1/collections/:collection/documents', '201'],
      ['info', 'POST', '/v1/collections/:collection/documents', '409'],
    ],
  );
  for (const line of access) assert.ok(typeof line.duration_ms === 'number' && line.duration_ms >= 0);
});

test('a change is logged once as a domain event with collection, document id and version', async (ctx) => {
  const collection = uniqueCollection('event');
  const key = { 'idempotency-key': `k-${collection}` };
  assert.is((await create(ctx.fn, collection, { id: 'e1', data: { n: 1 } }, key)).status, 201);
  // A replay of the same request changes nothing, so it is no new event.
  assert.is((await create(ctx.fn, collection, { id: 'e1', data: { n: 1 } }, key)).status, 201);
  const requestLines = () => jsonLines(ctx.fn.process.output()).filter((l) => l.msg === 'request' && l.collection === collection).length;
  await waitForLine(ctx.fn.process, () => requestLines() === 2);
  const events = jsonLines(ctx.fn.process.output()).filter((l) => l.collection === collection && l.msg !== 'request');
  assert.equal(
    events.map((l) => ({ level: l.level, msg: l.msg, collection: l.collection, document_id: l.document_id, version: l.version })),
    [{ level: 'info', msg: 'document created', collection, document_id: 'e1', version: 1 }],
  );
});

test('LOG_LEVEL=warn keeps info and debug lines out', async (ctx) => {
  const quiet = await startFunction('get', { DATA_DIR: ctx.data.path, LOG_LEVEL: 'warn' });
  try {
    assert.is((await request(quiet.url, 'GET', '/v1/collections/quiet/documents/none')).status, 404);
    assert.is((await quiet.process.stop()).code, 0);
    const levels = jsonLines(quiet.process.output()).map((l) => l.level);
    assert.equal(levels.filter((level) => level === 'info' || level === 'debug' || level === 'trace'), []);
  } finally {
    await quiet.process.stop();
  }
});

test('a store that cannot open shows why in the warn line of the breaker that opens (an unusable DATA_DIR names its path)', async (ctx) => {
  // Nothing can be made under a regular file: every open fails with ENOTDIR.
  const unusable = `${ctx.data.path}/a-file/data`;
  writeFileSync(`${ctx.data.path}/a-file`, '');
  const broken = await startFunction('get', { DATA_DIR: unusable, STORE_RETRY_ATTEMPTS: '0', STORE_BREAKER_THRESHOLD: '1' });
  try {
    assert.is((await request(broken.url, 'GET', '/v1/collections/c/documents/d')).status, 503);
    const opened = await waitForLine(broken.process, (l) => l.msg === 'circuit breaker open');
    assert.is(opened.level, 'warn');
    assert.match(String(opened.error), `ENOTDIR`);
    assert.match(String(opened.error), `${ctx.data.path}/a-file`);
  } finally {
    await broken.process.stop();
  }
});

test.run();

const secrets = suite<{ fn: Fn; receiver: OtlpReceiver; data: { path: string; remove: () => void } }>('no secrets in logs or spans');

const SECRET_VALUE = 'pa55-W0RD-in-body-7f3a';
const SECRET_KEY = 'api_key_field_9c1e';
const TOKEN = 'Bearer tok-SHOULD-NOT-APPEAR-44b2';

secrets.before(async (ctx) => {
  ctx.data = tempDir('dbsvc-secrets');
  ctx.receiver = await startOtlpReceiver();
  ctx.fn = await startFunction('create', {
    DATA_DIR: ctx.data.path,
    LOG_LEVEL: 'trace',
    OTEL_EXPORTER_OTLP_ENDPOINT: ctx.receiver.url,
    OTEL_BSP_SCHEDULE_DELAY: '3600000',
  });
  const collection = uniqueCollection('secret');
  const auth = { authorization: TOKEN };
  const docs = `/v1/collections/${collection}/documents`;
  const replies = [
    await request(ctx.fn.url, 'POST', docs, { json: { id: 's1', data: { password: SECRET_VALUE, [SECRET_KEY]: 1 } }, headers: auth }),
    await request(ctx.fn.url, 'POST', docs, { body: `{"data":{"password":"${SECRET_VALUE}"`, headers: { ...auth, 'content-type': 'application/json' } }),
    await request(ctx.fn.url, 'POST', docs, { json: { data: {}, [SECRET_KEY]: SECRET_VALUE }, headers: auth }),
    await request(ctx.fn.url, 'POST', docs, { json: { data: { [`$${SECRET_KEY}`]: SECRET_VALUE } }, headers: auth }),
  ];
  assert.equal(replies.map((r) => r.status), [201, 400, 400, 400]);
  // Stopping flushes every span and log line: the receiver and the output hold them all.
  assert.is((await ctx.fn.process.stop()).code, 0);
});
secrets.after(async (ctx) => {
  await ctx.fn?.process.stop();
  await ctx.receiver?.close();
  ctx.data?.remove();
});

secrets('no log line contains a document body, an Authorization header or a rejected body', (ctx) => {
  const output = ctx.fn.process.output();
  assert.ok(jsonLines(output).some((l) => l.msg === 'document created'), 'the create was logged');
  for (const needle of [SECRET_VALUE, SECRET_KEY, TOKEN, 'tok-SHOULD-NOT-APPEAR']) assert.not.ok(output.includes(needle), `the logs contain ${needle}`);
});

secrets('no span attribute contains a document body or an Authorization header', (ctx) => {
  assert.ok(ctx.receiver.spans.length >= 4, 'spans were exported');
  const exported = JSON.stringify(ctx.receiver.spans);
  for (const needle of [SECRET_VALUE, SECRET_KEY, 'tok-SHOULD-NOT-APPEAR']) assert.not.ok(exported.includes(needle), `a span contains ${needle}`);
});

secrets.run();
