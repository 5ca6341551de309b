import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DocumentServiceApi, jsonToStruct } from '../support/grpc.js';
import { request, uniqueCollection } from '../support/http.js';
import { jsonLines } from '../support/logs.js';
import { formatTrees, newTraceparent, type OtlpReceiver, type ReceivedSpan, SPAN_KIND, startOtlpReceiver } from '../support/otlp-receiver.js';
import { tempDir } from '../support/processes.js';
import { startFunction, startStack, type Stack } from '../support/stack.js';

/**
 * Traces over real sockets: the stack (gateway, gRPC sidecar and function processes) exports OTLP/HTTP JSON to
 * a receiver the test runs, and a caller's `traceparent` is continued through sidecar, request, use case and store.
 */
const test = suite<{ receiver: OtlpReceiver; stack: Stack & { removeData: () => void } }>('tracing');

test.before(async (ctx) => {
  ctx.receiver = await startOtlpReceiver();
  ctx.stack = await startStack({ OTEL_EXPORTER_OTLP_ENDPOINT: ctx.receiver.url, OTEL_BSP_SCHEDULE_DELAY: '50', LOG_LEVEL: 'info' });
});
test.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
  await ctx.receiver?.close();
});

const inTrace = (spans: readonly ReceivedSpan[], traceId: string) => spans.filter((s) => s.traceId === traceId);
const one = (spans: readonly ReceivedSpan[], match: (s: ReceivedSpan) => boolean, what: string): ReceivedSpan => {
  const found = spans.filter(match);
  assert.is(found.length, 1, `expected one ${what} span in:\n${formatTrees(spans)}`);
  return found[0]!;
};

/** Creates a document with the given traceparent and returns that trace's spans once request, use case and store arrived. */
async function tracedCreate(ctx: { receiver: OtlpReceiver; stack: Stack }, collection: string) {
  const caller = newTraceparent();
  const reply = await request(ctx.stack.url, 'POST', `/v1/collections/${collection}/documents`, {
    json: { id: 'doc-1', data: { n: 1 } },
    headers: { traceparent: caller.header },
  });
  assert.is(reply.status, 201);
  const spans = inTrace(await ctx.receiver.waitFor((all) => inTrace(all, caller.traceId).length >= 3), caller.traceId);
  return { caller, spans };
}

test('a request with a traceparent continues that trace: request span, then use case, then store', async (ctx) => {
  const { caller, spans } = await tracedCreate(ctx, uniqueCollection('trace'));
  const server = one(spans, (s) => s.kind === SPAN_KIND.SERVER, 'server');
  const useCase = one(spans, (s) => s.name === 'createDocument', 'use case');
  const store = one(spans, (s) => s.kind === SPAN_KIND.CLIENT, 'store');
  assert.is(server.parentSpanId, caller.spanId);
  assert.is(useCase.parentSpanId, server.spanId);
  assert.is(store.parentSpanId, useCase.spanId);
  assert.is(server.service, 'dbsvc-create');
});

test('the request span is named by method and route template and carries the HTTP semantic conventions', async (ctx) => {
  const collection = uniqueCollection('trace');
  const { spans } = await tracedCreate(ctx, collection);
  const server = one(spans, (s) => s.kind === SPAN_KIND.SERVER, 'server');
  assert.is(server.name, 'POST /v1/collections/:collection/documents');
  assert.equal(
    {
      method: server.attributes['http.request.method'],
      route: server.attributes['http.route'],
      path: server.attributes['url.path'],
      status: server.attributes['http.response.status_code'],
    },
    { method: 'POST', route: '/v1/collections/:collection/documents', path: `/v1/collections/${collection}/documents`, status: 201 },
  );
});

test('the store span carries the database semantic conventions', async (ctx) => {
  const collection = uniqueCollection('trace');
  const { spans } = await tracedCreate(ctx, collection);
  const store = one(spans, (s) => s.kind === SPAN_KIND.CLIENT, 'store');
  assert.is(store.name, `create ${collection}`);
  assert.equal(
    {
      system: store.attributes['db.system.name'],
      legacySystem: store.attributes['db.system'],
      operation: store.attributes['db.operation.name'],
      collection: store.attributes['db.collection.name'],
    },
    { system: 'sqlite', legacySystem: 'sqlite', operation: 'create', collection },
  );
});

test('a request without a traceparent starts a trace of its own', async (ctx) => {
  const collection = uniqueCollection('fresh');
  const reply = await request(ctx.stack.url, 'POST', `/v1/collections/${collection}/query`, { json: {} });
  assert.is(reply.status, 200);
  const spans = await ctx.receiver.waitFor((all) => all.some((s) => s.attributes['db.collection.name'] === collection));
  const store = spans.find((s) => s.attributes['db.collection.name'] === collection)!;
  const trace = inTrace(spans, store.traceId);
  const root = one(trace, (s) => s.kind === SPAN_KIND.SERVER, 'server');
  assert.is(root.parentSpanId, undefined);
  assert.is(root.name, 'POST /v1/collections/:collection/query');
});

test('a missing document is a right answer, not a span error: 404 with error.type not_found on the use case', async (ctx) => {
  const caller = newTraceparent();
  const reply = await request(ctx.stack.url, 'GET', `/v1/collections/${uniqueCollection('miss')}/documents/nope`, {
    headers: { traceparent: caller.header },
  });
  assert.is(reply.status, 404);
  const spans = inTrace(await ctx.receiver.waitFor((all) => inTrace(all, caller.traceId).length >= 3), caller.traceId);
  const server = one(spans, (s) => s.kind === SPAN_KIND.SERVER, 'server');
  const useCase = one(spans, (s) => s.name === 'getDocument', 'use case');
  assert.is(server.attributes['http.response.status_code'], 404);
  assert.is(server.statusCode, 0);
  assert.is(useCase.attributes['error.type'], 'not_found');
  assert.is(useCase.statusCode, 0);
});

test('log lines written during a traced request carry its trace id and the ids of their spans', async (ctx) => {
  const collection = uniqueCollection('logged');
  const { caller, spans } = await tracedCreate(ctx, collection);
  const lines = jsonLines(ctx.stack.process.output(), { onlyObjects: true }).filter((l) => l.trace_id === caller.traceId);
  const access = lines.find((l) => l.msg === 'request');
  const created = lines.find((l) => l.msg === 'document created');
  assert.ok(access, 'an access line with the trace id');
  assert.ok(created, 'a "document created" line with the trace id');
  assert.is(access.span_id, one(spans, (s) => s.kind === SPAN_KIND.SERVER, 'server').spanId);
  assert.is(created.span_id, one(spans, (s) => s.name === 'createDocument', 'use case').spanId);
  assert.is(created.collection, collection);
  assert.is(created.document_id, 'doc-1');
});

test('a gRPC call is one trace: call span, HTTP client span, function request span, use case, store', async (ctx) => {
  const caller = newTraceparent();
  const collection = uniqueCollection('grpc');
  const grpc = new DocumentServiceApi(ctx.stack.grpcAddress);
  try {
    await grpc.create({ collection, id: 'g1', data: jsonToStruct({ n: 1 }) }, { metadata: { traceparent: caller.header } });
  } finally {
    grpc.close();
  }
  const spans = inTrace(await ctx.receiver.waitFor((all) => inTrace(all, caller.traceId).length >= 5), caller.traceId);
  const call = one(spans, (s) => s.service === 'dbsvc-grpc-sidecar' && s.kind === SPAN_KIND.SERVER, 'gRPC call');
  const client = one(spans, (s) => s.service === 'dbsvc-grpc-sidecar' && s.kind === SPAN_KIND.CLIENT, 'HTTP client');
  const request = one(spans, (s) => s.service === 'dbsvc-create' && s.kind === SPAN_KIND.SERVER, 'function request');
  const useCase = one(spans, (s) => s.name === 'createDocument', 'use case');
  const store = one(spans, (s) => s.service === 'dbsvc-create' && s.kind === SPAN_KIND.CLIENT, 'store');
  assert.equal(
    [call, client, request, useCase, store].map((s) => s.parentSpanId),
    [caller.spanId, call.spanId, client.spanId, request.spanId, useCase.spanId],
    formatTrees(spans),
  );
  assert.equal(
    { name: call.name, system: call.attributes['rpc.system.name'], status: call.attributes['rpc.status_code'] },
    { name: 'dbsvc.v1.DocumentService/CreateDocument', system: 'grpc', status: 'OK' },
  );
  assert.equal([client.name, client.attributes['http.response.status_code']], ['POST', 201]);
  console.log(`\n${formatTrees(spans)}`);
});

test.run();

const alone = suite('tracing, function alone');

alone('spans still buffered are exported when the function shuts down', async () => {
  const receiver = await startOtlpReceiver();
  const data = tempDir('dbsvc-flush');
  // An hour between exports: only the shutdown flush can deliver these spans.
  const fn = await startFunction('get', { DATA_DIR: data.path, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '3600000' });
  try {
    const caller = newTraceparent();
    const reply = await request(fn.url, 'GET', '/v1/collections/flush/documents/none', { headers: { traceparent: caller.header } });
    assert.is(reply.status, 404);
    const { code } = await fn.process.stop();
    assert.is(code, 0);
    assert.is(inTrace(receiver.spans, caller.traceId).length, 3, formatTrees(receiver.spans));
  } finally {
    await fn.process.stop();
    data.remove();
    await receiver.close();
  }
});

alone("with OTEL_EXPORTER_OTLP_ENDPOINT unset nothing is exported, and log lines carry the caller's trace id but no span id", async () => {
  const receiver = await startOtlpReceiver();
  const data = tempDir('dbsvc-untraced');
  // The exporter's own traces-only variable points at the receiver: were the SDK loaded, spans would arrive.
  const fn = await startFunction('get', {
    DATA_DIR: data.path,
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
    OTEL_BSP_SCHEDULE_DELAY: '1',
    LOG_LEVEL: 'info',
  });
  try {
    const caller = newTraceparent();
    const reply = await request(fn.url, 'GET', '/v1/collections/quiet/documents/none', { headers: { traceparent: caller.header } });
    assert.is(reply.status, 404);
    const { code } = await fn.process.stop();
    assert.is(code, 0);
    assert.is(receiver.spans.length, 0);
    const access = jsonLines(fn.process.output()).find((l) => l.msg === 'request');
    assert.ok(access, 'an access line');
    assert.is(access.trace_id, caller.traceId);
    assert.is(access.span_id, undefined);
  } finally {
    await fn.process.stop();
    data.remove();
    await receiver.close();
  }
});

alone.run();
