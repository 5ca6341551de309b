import * as grpc from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import { service as healthService } from 'grpc-health-check';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { assertStatus, DocumentServiceApi, jsonToStruct, status } from '../support/grpc.js';
import { request } from '../support/http.js';
import { startHungCollector } from '../support/hung-collector.js';
import { jsonLines } from '../support/logs.js';
import { DIST, spawnNode, tempDir } from '../support/processes.js';
import { startSidecar, waitForHealth, waitForOutput, type StartedSidecar } from '../support/sidecar.js';
import { startFunction } from '../support/stack.js';
import { FUNCTION_NAMES } from '../../shared/runtime/http/routes.js';
import { documentJson, startStandInFunction, type SeenRequest, type StandInFunction } from '../support/stand-in-function.js';

/**
 * The sidecar's own behaviour — deadlines, retries, pass-through, health, shutdown — against functions that
 * are real sockets: a stand-in HTTP server a test can make slow or failing, or the real function bundles.
 */

const problem = (res: ServerResponse, status: number, detail: string, headers: Record<string, string> = {}) =>
  res.writeHead(status, { 'content-type': 'application/problem+json', ...headers }).end(JSON.stringify({ type: 'urn:x', title: 'x', status, detail }));

/**
 * Behaviour by document id: `slow-*` never answers, `unrouted-*` gets a proxy's bare 404, `flaky-*` answers 503 once, `held-*` waits for release,
 * `dropped-*` drops the connection once and then answers 412; a
 * query of collection `stopped` ran past its time limit.
 */
function standInBehaviour(held: Map<string, () => void>, failedOnce: Set<string>) {
  return (seen: SeenRequest, res: ServerResponse) => {
    const id = /\/documents\/([^/?]+)/.exec(seen.url)?.[1] ?? 'new';
    const collection = /\/collections\/([^/]+)/.exec(seen.url)?.[1] ?? 'c';
    if (id.startsWith('slow-')) return;
    // As an ingress with no route to the function answers.
    if (id.startsWith('unrouted-')) return res.writeHead(404, { 'content-type': 'text/plain' }).end('404 page not found');
    if (id.startsWith('held-')) {
      held.set(id, () => {
        held.delete(id);
        res.writeHead(200, { 'content-type': 'application/json' }).end(documentJson(collection, id));
      });
      return;
    }
    if (id.startsWith('flaky-') || seen.headers['idempotency-key']?.toString().startsWith('flaky-')) {
      const key = `${seen.method} ${seen.url}`;
      if (!failedOnce.has(key)) {
        failedOnce.add(key);
        return problem(res, 503, 'store is briefly down', { 'retry-after': '1' });
      }
    }
    // As if the change were applied and its connection then lost: sent again, the version has moved on.
    if (id.startsWith('dropped-')) {
      const key = `${seen.method} ${seen.url}`;
      if (!failedOnce.has(key)) {
        failedOnce.add(key);
        res.socket?.destroy();
        return;
      }
      return problem(res, 412, 'document is at version 4, not 3');
    }
    if (seen.url.endsWith('/query') && collection === 'stopped') {
      return res
        .writeHead(503, { 'content-type': 'application/problem+json', 'retry-after': '1' })
        .end(JSON.stringify({ type: 'urn:dbsvc:problem:query-timeout', title: 'Query timeout', status: 503, detail: 'the query ran past its time limit of 5 ms and was stopped' }));
    }
    if (seen.method === 'POST' && seen.url.endsWith('/documents') && seen.body.includes('"down"')) {
      return problem(res, 503, 'the store is down', { 'retry-after': '7' });
    }
    res.writeHead(seen.method === 'POST' ? 201 : 200, { 'content-type': 'application/json' }).end(documentJson(collection, id));
  };
}

const test = suite<{ standIn: StandInFunction; sidecar: StartedSidecar; api: DocumentServiceApi; held: Map<string, () => void>; ready: { value: boolean } }>(
  'gRPC sidecar against a stand-in function',
);

test.before(async (ctx) => {
  ctx.held = new Map();
  ctx.ready = { value: true };
  ctx.standIn = await startStandInFunction(standInBehaviour(ctx.held, new Set()), () => ctx.ready.value);
  const url = ctx.standIn.url;
  ctx.sidecar = await startSidecar(
    Object.fromEntries(FUNCTION_NAMES.map((name) => [name, url])),
    { GRPC_DEFAULT_TIMEOUT_SECONDS: '2', GRPC_READINESS_POLL_SECONDS: '1', LOG_LEVEL: 'info' },
  );
  ctx.api = new DocumentServiceApi(ctx.sidecar.address);
  await ctx.api.get({ collection: 'warm', id: 'up' });
});
test.after(async (ctx) => {
  ctx.api?.close();
  for (const release of [...(ctx.held?.values() ?? [])]) release();
  await ctx.sidecar?.process.stop();
  await ctx.standIn?.close();
});

test('a deadline shorter than the function takes is DEADLINE_EXCEEDED, and the HTTP request is abandoned', async ({ api, standIn }) => {
  const arrived = standIn.nextRequest();
  await assertStatus(api.get({ collection: 'c', id: 'slow-1' }, { deadlineMs: 1_500 }), status.DEADLINE_EXCEEDED);
  const seen = await arrived;
  assert.is(seen.url, '/v1/collections/c/documents/slow-1');
  await seen.abandoned;
});

test('a call its client cancels abandons the HTTP request and is not logged as a failed call', async ({ api, standIn, sidecar }) => {
  const failedCalls = () => sidecar.process.output().split('\n').filter((line) => line.includes('"call failed"')).length;
  const before = failedCalls();
  const arrived = standIn.nextRequest();
  const outcome = new Promise<grpc.ServiceError | null>((resolve) => {
    const call = api.client.GetDocument({ collection: 'c', id: 'slow-cancelled' }, (error) => resolve(error));
    void arrived.then(() => call.cancel());
  });
  assert.is((await outcome)?.code, status.CANCELLED);
  await (await arrived).abandoned;
  // The sidecar learns of the cancel and abandons its request; any log line of the call is written by then.
  await api.get({ collection: 'c', id: 'after-cancel' });
  assert.is(failedCalls(), before, sidecar.process.output());
});

test('a call without a deadline gets GRPC_DEFAULT_TIMEOUT_SECONDS, then DEADLINE_EXCEEDED', async ({ api, standIn }) => {
  const arrived = standIn.nextRequest();
  await assertStatus(api.get({ collection: 'c', id: 'slow-2' }), status.DEADLINE_EXCEEDED, "function 'get' did not answer within 2000 ms");
  await (await arrived).abandoned;
});

test('a query stopped at its time limit is DEADLINE_EXCEEDED at once, not retried as an unavailable function', async ({ api, standIn }) => {
  const before = standIn.requests.length;
  await assertStatus(api.query({ collection: 'stopped', max_time_ms: 5 }, { deadlineMs: 30_000 }), status.DEADLINE_EXCEEDED, 'ran past its time limit');
  assert.equal(standIn.requests.slice(before).map((r) => r.url), ['/v1/collections/stopped/query']);
});

test('a bare 404 from something in front of the function is UNAVAILABLE, not NOT_FOUND: the document may well exist', async ({ api }) => {
  await assertStatus(api.get({ collection: 'c', id: 'unrouted-1' }), status.UNAVAILABLE, 'not the function');
  await assertStatus(api.delete({ collection: 'c', id: 'unrouted-2' }), status.UNAVAILABLE, 'not the function');
});

test('traceparent, tracestate and authorization metadata reach the function as headers', async ({ api, standIn }) => {
  const arrived = standIn.nextRequest();
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  await api.get({ collection: 'c', id: 'traced' }, { metadata: { traceparent, tracestate: 'vendor=1', authorization: 'Bearer t0ken' } });
  const { headers } = await arrived;
  assert.is(headers.traceparent, traceparent);
  assert.is(headers.tracestate, 'vendor=1');
  assert.is(headers.authorization, 'Bearer t0ken');
});

test('each RPC becomes its route, method, media type and version precondition', async ({ api, standIn }) => {
  const seen: SeenRequest[] = [];
  const record = async (call: () => Promise<unknown>) => {
    const arrived = standIn.nextRequest();
    await call();
    seen.push(await arrived);
  };
  await record(() => api.create({ collection: 'c', id: 'n1', data: jsonToStruct({ a: 1 }), idempotency_key: 'k1' }));
  await record(() => api.update({ collection: 'c', id: 'n1', data: jsonToStruct({ a: 2 }), expected_version: 3 }));
  await record(() => api.update({ collection: 'c', id: 'n1', merge_patch: jsonToStruct({ a: null }) }));
  await record(() => api.delete({ collection: 'c', id: 'n1', expected_version: '9007199254740991' }));
  const view = seen.map((s) => [s.method, s.url, s.headers['content-type'], s.headers['if-match'], s.headers['idempotency-key'], s.body]);
  assert.equal(view, [
    ['POST', '/v1/collections/c/documents', 'application/json', undefined, 'k1', '{"id":"n1","data":{"a":1}}'],
    ['PUT', '/v1/collections/c/documents/n1', 'application/json', '"3"', undefined, '{"data":{"a":2}}'],
    ['PATCH', '/v1/collections/c/documents/n1', 'application/merge-patch+json', undefined, undefined, '{"a":null}'],
    ['DELETE', '/v1/collections/c/documents/n1', undefined, '"9007199254740991"', undefined, ''],
  ]);
});

test('an idempotent call is retried after a 503 and succeeds', async ({ api, standIn }) => {
  const before = standIn.requests.length;
  const document = await api.get({ collection: 'c', id: 'flaky-get' });
  assert.is(document.id, 'flaky-get');
  assert.equal(standIn.requests.slice(before).map((r) => r.url), ['/v1/collections/c/documents/flaky-get', '/v1/collections/c/documents/flaky-get']);
});

test('a create with an idempotency key is retried after a 503 with the same key', async ({ api, standIn }) => {
  const before = standIn.requests.length;
  await api.create({ collection: 'c', data: jsonToStruct({}), idempotency_key: 'flaky-key' });
  assert.equal(standIn.requests.slice(before).map((r) => r.headers['idempotency-key']), ['flaky-key', 'flaky-key']);
});

test('a versioned update or delete whose connection dropped, sent again and answered 412, is UNAVAILABLE: it may have been applied', async ({ api, standIn }) => {
  const before = standIn.requests.length;
  const change = { collection: 'c', id: 'dropped-update', data: jsonToStruct({ a: 1 }), expected_version: 3 };
  await assertStatus(api.update(change), status.UNAVAILABLE, 'may have been applied');
  await assertStatus(api.delete({ collection: 'c', id: 'dropped-delete', expected_version: 3 }), status.UNAVAILABLE, 'may have been applied');
  assert.equal(
    standIn.requests.slice(before).map((r) => `${r.method} ${r.url}`),
    ['PUT /v1/collections/c/documents/dropped-update', 'PUT /v1/collections/c/documents/dropped-update', 'DELETE /v1/collections/c/documents/dropped-delete', 'DELETE /v1/collections/c/documents/dropped-delete'],
  );
});

test('a create without an idempotency key is not retried: 503 is UNAVAILABLE with the detail and Retry-After', async ({ api, standIn }) => {
  const before = standIn.requests.length;
  const error = await assertStatus(api.create({ collection: 'c', data: jsonToStruct({ state: 'down' }) }), status.UNAVAILABLE, 'the store is down');
  assert.equal(error.metadata.get('retry-after'), ['7']);
  assert.is(standIn.requests.length - before, 1);
});

test('health is NOT_SERVING while a function is not ready and SERVING again once it is', async ({ sidecar, ready }) => {
  await waitForHealth(sidecar.address, 'SERVING', 'dbsvc.v1.DocumentService');
  ready.value = false;
  try {
    await waitForHealth(sidecar.address, 'NOT_SERVING', 'dbsvc.v1.DocumentService');
    await waitForHealth(sidecar.address, 'NOT_SERVING');
  } finally {
    ready.value = true;
  }
  await waitForHealth(sidecar.address, 'SERVING', 'dbsvc.v1.DocumentService');
});

test('on SIGTERM it refuses new calls, finishes the one in flight and exits 0', async ({ standIn, held }) => {
  const url = standIn.url;
  const draining = await startSidecar(Object.fromEntries(FUNCTION_NAMES.map((name) => [name, url])), { LOG_LEVEL: 'info' });
  const api = new DocumentServiceApi(draining.address);
  try {
    const arrived = standIn.nextRequest();
    const inFlight = api.get({ collection: 'c', id: 'held-1' }, { deadlineMs: 30_000 });
    await arrived;
    draining.process.child.kill('SIGTERM');
    await waitForOutput(draining.process, /"msg":"shutting down"/);
    const late = new DocumentServiceApi(draining.address);
    try {
      await assertStatus(late.get({ collection: 'c', id: 'late' }, { deadlineMs: 5_000 }), status.UNAVAILABLE);
    } finally {
      late.close();
    }
    held.get('held-1')!();
    assert.is((await inFlight).id, 'held-1');
    assert.equal(await draining.process.exited, { code: 0, signal: null });
  } finally {
    api.close();
    await draining.process.stop();
  }
});

test('a trace collector that never answers does not hold its shutdown: SIGTERM exits 0 within SHUTDOWN_TIMEOUT_SECONDS, with a warning', async ({ standIn }) => {
  const url = standIn.url;
  const collector = await startHungCollector();
  const traced = await startSidecar(Object.fromEntries(FUNCTION_NAMES.map((name) => [name, url])), {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    // The call's spans wait in the buffer until shutdown, which must then try to export them.
    OTEL_BSP_SCHEDULE_DELAY: '600000',
    SHUTDOWN_TIMEOUT_SECONDS: '3',
  });
  const api = new DocumentServiceApi(traced.address);
  try {
    assert.is((await api.get({ collection: 'c', id: 'traced' })).id, 'traced');
    // A drain still running at SHUTDOWN_TIMEOUT_SECONDS exits 1 ("shutdown timed out"): 0 means it ended within it.
    const { code } = await traced.process.stop(30_000);
    assert.is(code, 0, traced.process.output());
    const warning = jsonLines(traced.process.output(), { onlyObjects: true }).find((line) => line.msg === 'spans still buffered were not exported at shutdown');
    assert.is(warning?.level, 'warn', traced.process.output());
  } finally {
    api.close();
    await traced.process.stop();
    await collector.close();
  }
});

test('an open health Watch does not hold the exit: SIGTERM ends it and the sidecar exits 0 at once', async ({ standIn }) => {
  const url = standIn.url;
  const watched = await startSidecar({ create: url, get: url, update: url, delete: url, query: url }, { SHUTDOWN_TIMEOUT_SECONDS: '30' });
  const client = new grpc.Client(watched.address, grpc.credentials.createInsecure());
  try {
    const watchMethod = healthService.Watch as MethodDefinition<{ service: string }, { status: string }>;
    const stream = client.makeServerStreamRequest(watchMethod.path, watchMethod.requestSerialize, watchMethod.responseDeserialize, { service: '' });
    const statuses: string[] = [];
    const ended = new Promise<void>((resolve) => {
      stream.on('data', (message: { status: string }) => statuses.push(message.status));
      stream.on('error', () => resolve());
      stream.on('end', () => resolve());
    });
    for (let i = 0; i < 500 && statuses.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
    const signalled = performance.now();
    watched.process.child.kill('SIGTERM');
    assert.equal(await watched.process.exited, { code: 0, signal: null });
    assert.ok(performance.now() - signalled < 5_000, `exited ${(performance.now() - signalled).toFixed(0)} ms after SIGTERM`);
    await ended;
    assert.is(statuses.at(-1), 'NOT_SERVING');
  } finally {
    client.close();
    await watched.process.stop();
  }
});

test.run();

const real = suite('gRPC sidecar against the real function bundles');

real('a get while its function is stopped succeeds through the retry once it is back on the same port', async () => {
  const data = tempDir('dbsvc-grpc-retry');
  const create = await startFunction('create', { DATA_DIR: data.path });
  let get = await startFunction('get', { DATA_DIR: data.path });
  // A window wide enough for a function to start on a loaded machine; the call's deadline stays the bound.
  const sidecar = await startSidecar({ create: create.url, get: get.url }, { LOG_LEVEL: 'warn', GRPC_RETRY_SECONDS: '60' });
  const api = new DocumentServiceApi(sidecar.address);
  try {
    assert.is((await request(create.url, 'POST', '/v1/collections/r/documents', { json: { id: 'back', data: { n: 1 } } })).status, 201);
    assert.is((await api.get({ collection: 'r', id: 'back' })).version, '1');
    assert.equal(await get.process.stop(), { code: 0, signal: null });
    const call = api.get({ collection: 'r', id: 'back' }, { deadlineMs: 60_000 }).then(
      (document) => document,
      (error: Error) => error,
    );
    await waitForOutput(sidecar.process, /"msg":"retrying function call"[^\n]*"function":"get"[^\n]*"after":"ECONNREFUSED"/);
    get = await startFunction('get', { DATA_DIR: data.path }, get.port);
    const outcome = await call;
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.is(outcome.id, 'back');
  } finally {
    api.close();
    await Promise.all([sidecar.process.stop(), create.process.stop(), get.process.stop()]);
    data.remove();
  }
});

real('a create while its function is down is UNAVAILABLE at once: without a key it is not retried', async () => {
  const sidecar = await startSidecar({}, { LOG_LEVEL: 'warn' });
  const api = new DocumentServiceApi(sidecar.address);
  try {
    await assertStatus(api.create({ collection: 'c', data: jsonToStruct({}) }, { deadlineMs: 30_000 }), status.UNAVAILABLE, "function 'create' is not reachable");
    assert.not.match(sidecar.process.output(), /retrying function call/);
  } finally {
    api.close();
    await sidecar.process.stop();
  }
});

real('a bad or missing function URL stops the sidecar at start with a message naming the variables', async () => {
  const sidecar = spawnNode(join(DIST, 'grpc-sidecar.mjs'), { GRPC_PORT: '0', FUNCTION_URL_GET: 'ftp://get', FUNCTION_URL_CREATE: '' });
  assert.is((await sidecar.exited).code, 1);
  assert.match(sidecar.output(), /FUNCTION_URL_GET="ftp:\/\/get": must be an http\(s\) URL/);
  const missing = spawnNode(join(DIST, 'grpc-sidecar.mjs'), { GRPC_PORT: '0', FUNCTION_URL_GET: 'http://get', FUNCTION_URL_CREATE: '' });
  assert.is((await missing.exited).code, 1);
  assert.match(missing.output(), /FUNCTION_URL_CREATE, FUNCTION_URL_UPDATE, FUNCTION_URL_DELETE, FUNCTION_URL_QUERY, FUNCTION_URL_INDEXES must be set/);
});

real.run();
