import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { rawExchange, request, uniqueCollection } from '../support/http.js';
import { ROOT, tempDir, type Spawned } from '../support/processes.js';
import { isExported, scrape, valueOf } from '../support/prometheus.js';
import { assertStatus, DocumentServiceApi, status } from '../support/grpc.js';
import { startFunction, startStack, type Stack } from '../support/stack.js';

/** Scrapes `/metrics` of real function processes over HTTP and reads the Prometheus text. */
const DOCUMENT_ROUTE = '/v1/collections/:collection/documents/:id';

const oneFunction = suite<{ create: { url: string; process: Spawned }; get: { url: string; process: Spawned }; data: { remove: () => void } }>(
  'metrics of a function',
);

oneFunction.before(async (ctx) => {
  const data = tempDir('dbsvc-metrics');
  ctx.data = data;
  ctx.create = await startFunction('create', { DATA_DIR: data.path });
  ctx.get = await startFunction('get', { DATA_DIR: data.path });
});
oneFunction.after(async (ctx) => {
  await Promise.all([ctx.create?.process.stop(), ctx.get?.process.stop()]);
  ctx.data?.remove();
});

oneFunction('request, latency and store counters move by exactly the requests made', async (ctx) => {
  const collection = uniqueCollection('m');
  assert.is((await request(ctx.create.url, 'POST', `/v1/collections/${collection}/documents`, { json: { id: 'a', data: {} } })).status, 201);
  const ok = { method: 'GET', route: DOCUMENT_ROUTE, status: '200' };
  const before = await scrape(ctx.get.url);
  for (let i = 0; i < 3; i++) assert.is((await request(ctx.get.url, 'GET', `/v1/collections/${collection}/documents/a`)).status, 200);
  const after = await scrape(ctx.get.url);
  assert.is(valueOf(after, 'http_requests_total', ok) - valueOf(before, 'http_requests_total', ok), 3);
  assert.is(valueOf(after, 'http_request_duration_seconds_count', ok) - valueOf(before, 'http_request_duration_seconds_count', ok), 3);
  const stored = { operation: 'get', store: 'sqlite', outcome: 'ok' };
  assert.is(valueOf(after, 'db_operations_total', stored) - valueOf(before, 'db_operations_total', stored), 3);
  assert.is(valueOf(after, 'db_operation_duration_seconds_count', stored) - valueOf(before, 'db_operation_duration_seconds_count', stored), 3);
});

oneFunction('requests the HTTP parser refuses (headers over the limit, not HTTP) are counted under route="unmatched"', async (ctx) => {
  const tooLarge = { method: '_OTHER', route: 'unmatched', status: '431' };
  const malformed = { ...tooLarge, status: '400' };
  const before = await scrape(ctx.get.url);
  assert.is((await rawExchange(ctx.get.url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)).status, 431);
  assert.is((await rawExchange(ctx.get.url, 'HELLO THERE\r\n\r\n')).status, 400);
  const after = await scrape(ctx.get.url);
  assert.is(valueOf(after, 'http_requests_total', tooLarge) - valueOf(before, 'http_requests_total', tooLarge), 1);
  assert.is(valueOf(after, 'http_requests_total', malformed) - valueOf(before, 'http_requests_total', malformed), 1);
});

oneFunction('a request with an Expect the function cannot meet is counted as a refusal, status 417', async (ctx) => {
  const unmet = { method: '_OTHER', route: 'unmatched', status: '417' };
  const before = await scrape(ctx.get.url);
  assert.is((await rawExchange(ctx.get.url, 'GET /healthz HTTP/1.1\r\nHost: x\r\nExpect: 200-ok\r\n\r\n')).status, 417);
  const after = await scrape(ctx.get.url);
  assert.is(valueOf(after, 'http_requests_total', unmet) - valueOf(before, 'http_requests_total', unmet), 1);
});

oneFunction('a store call that fails is counted under its outcome', async (ctx) => {
  const collection = uniqueCollection('m');
  const conflict = { operation: 'create', store: 'sqlite', outcome: 'already_exists' };
  const before = valueOf(await scrape(ctx.create.url), 'db_operations_total', conflict);
  const body = { json: { id: 'twice', data: {} } };
  assert.is((await request(ctx.create.url, 'POST', `/v1/collections/${collection}/documents`, body)).status, 201);
  assert.is((await request(ctx.create.url, 'POST', `/v1/collections/${collection}/documents`, body)).status, 409);
  assert.is(valueOf(await scrape(ctx.create.url), 'db_operations_total', conflict) - before, 1);
});

oneFunction('labels stay bounded: no id, collection or made-up method becomes a label value', async (ctx) => {
  // PURGE is a method Node's parser accepts but HTTP does not define.
  const userInput = ['coll_alpha_7', 'doc-beta-9', 'PURGE'];
  await request(ctx.get.url, 'GET', `/v1/collections/${userInput[0]}/documents/${userInput[1]}`);
  await request(ctx.get.url, 'GET', `/nowhere/${userInput[1]}`);
  await request(ctx.get.url, userInput[2]!, `/v1/collections/${userInput[0]}/documents/${userInput[1]}`);
  const exposition = await scrape(ctx.get.url);
  const values = exposition.samples.flatMap((s) => Object.values(s.labels));
  for (const input of userInput) assert.not.ok(values.some((v) => v.includes(input)), `a label value contains ${input}`);
  assert.ok(valueOf(exposition, 'http_requests_total', { method: '_OTHER' }) >= 1);
  assert.ok(valueOf(exposition, 'http_requests_total', { route: 'unmatched', status: '404' }) >= 1);
});

oneFunction('default process metrics and the cold start are exported, labelled by function', async (ctx) => {
  const exposition = await scrape(ctx.get.url);
  for (const name of ['process_cpu_seconds_total', 'process_resident_memory_bytes', 'nodejs_eventloop_lag_p99_seconds', 'process_start_time_seconds']) {
    assert.ok(isExported(exposition, name), `${name} is exported`);
  }
  const coldStart = exposition.samples.find((s) => s.name === 'function_cold_start_seconds');
  assert.ok(coldStart && coldStart.value > 0, 'function_cold_start_seconds is set');
  assert.is(coldStart.labels.function, 'get');
});

oneFunction.run();

/**
 * The metric names a PromQL expression selects: identifiers that are not functions, keywords or label names.
 * Label matchers, strings, ranges and `by (...)` lists are removed first.
 */
function metricNames(expr: string): string[] {
  const stripped = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, '{}')
    .replace(/\[[^\]]*\]/g, '[]')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, '');
  const keywords = new Set(['and', 'or', 'unless', 'bool', 'offset']);
  return [...stripped.matchAll(/(?<![$\w])([a-zA-Z_:][a-zA-Z0-9_:]*)(\s*\()?/g)]
    .filter(([, name, call]) => !call && !keywords.has(name!))
    .map(([, name]) => name!);
}

function dashboardExpressions(): string[] {
  const dashboard = JSON.parse(readFileSync(join(ROOT, 'deploy/grafana/dashboard.json'), 'utf8'));
  const panels = (list: any[]): any[] => list.flatMap((p) => [p, ...panels(p.panels ?? [])]);
  const targets = panels(dashboard.panels).flatMap((p) => (p.targets ?? []).map((t: any) => t.expr as string));
  const variables = dashboard.templating.list
    .map((v: any) => /label_values\(([^,)]+)/.exec(v.definition ?? '')?.[1])
    .filter(Boolean)
    .map((name: string) => `${name}{}`);
  return [...targets, ...variables];
}

function alertExpressions(): string[] {
  const rules = parseYaml(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yaml'), 'utf8'));
  return rules.groups.flatMap((g: any) => g.rules.map((r: any) => String(r.expr)));
}

const assets = suite('dashboard and alert rules');

assets('every alert rule has a name, an expression, a severity and a summary', () => {
  const rules = parseYaml(readFileSync(join(ROOT, 'deploy/prometheus/alerts.yaml'), 'utf8'));
  const all = rules.groups.flatMap((g: any) => g.rules);
  assert.ok(all.length > 0);
  for (const rule of all) {
    assert.type(rule.alert, 'string');
    assert.type(rule.expr, 'string');
    assert.ok(['page', 'warn', 'info'].includes(rule.labels?.severity), `${rule.alert} has a severity`);
    assert.type(rule.annotations?.summary, 'string');
  }
});

assets('the dashboard covers rate, errors, latency quantiles, store, cache, cold starts and gRPC', () => {
  const exprs = dashboardExpressions().join('\n');
  const needles = [
    'http_requests_total',
    'status=~"5..',
    'histogram_quantile(0.5,',
    'histogram_quantile(0.95,',
    'histogram_quantile(0.99,',
    'db_operations_total',
    'db_operation_duration_seconds_bucket',
    'cache_hits_total',
    'cache_misses_total',
    'function_cold_start_seconds',
    'grpc_server_handled_total',
    'grpc_server_handling_seconds_bucket',
  ];
  for (const needle of needles) assert.ok(exprs.includes(needle), `the dashboard queries ${needle}`);
});

assets.run();

/** The local stack: every function and the gRPC sidecar, their metrics merged by the gateway's /metrics. */
const stack = suite<{ stack: Stack & { removeData: () => void }; grpc: DocumentServiceApi }>('metrics of the running stack');

stack.before(async (ctx) => {
  ctx.stack = await startStack();
  ctx.grpc = new DocumentServiceApi(ctx.stack.grpcAddress);
});
stack.after(async (ctx) => {
  ctx.grpc?.close();
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

stack('the sidecar counts each gRPC call by method and status code', async ({ stack, grpc }) => {
  const missing = { function: 'grpc-sidecar', grpc_service: 'dbsvc.v1.DocumentService', grpc_method: 'GetDocument', grpc_code: 'NOT_FOUND' };
  const before = await scrape(stack.url);
  for (let i = 0; i < 2; i++) await assertStatus(grpc.get({ collection: uniqueCollection('g'), id: 'none' }), status.NOT_FOUND);
  const after = await scrape(stack.url);
  assert.is(valueOf(after, 'grpc_server_handled_total', missing) - valueOf(before, 'grpc_server_handled_total', missing), 2);
  const timed = { function: 'grpc-sidecar', grpc_method: 'GetDocument' };
  assert.is(valueOf(after, 'grpc_server_handling_seconds_count', timed) - valueOf(before, 'grpc_server_handling_seconds_count', timed), 2);
});

stack('a 404 the gateway answers itself, for a path no function serves, is counted under function="gateway"', async ({ stack }) => {
  const notFound = { function: 'gateway', method: 'GET', route: 'unmatched', status: '404' };
  const before = await scrape(stack.url);
  assert.is((await request(stack.url, 'GET', '/v1/nothing-here')).status, 404);
  const after = await scrape(stack.url);
  assert.is(valueOf(after, 'http_requests_total', notFound) - valueOf(before, 'http_requests_total', notFound), 1);
  assert.is(valueOf(after, 'http_request_duration_seconds_count', notFound) - valueOf(before, 'http_request_duration_seconds_count', notFound), 1);
});

stack('a 400 the gateway answers itself, for a request without a Host header, is counted under function="gateway"', async ({ stack }) => {
  const invalid = { function: 'gateway', method: 'GET', route: DOCUMENT_ROUTE, status: '400' };
  const before = await scrape(stack.url);
  assert.is((await rawExchange(stack.url, `GET /v1/collections/${uniqueCollection('m')}/documents/d HTTP/1.1\r\n\r\n`)).status, 400);
  const after = await scrape(stack.url);
  assert.is(valueOf(after, 'http_requests_total', invalid) - valueOf(before, 'http_requests_total', invalid), 1);
  assert.is(valueOf(after, 'http_request_duration_seconds_count', invalid) - valueOf(before, 'http_request_duration_seconds_count', invalid), 1);
});

stack('a request the HTTP parser of the gateway refuses is counted under function="gateway"', async ({ stack }) => {
  const malformed = { function: 'gateway', method: '_OTHER', route: 'unmatched', status: '400' };
  const before = await scrape(stack.url);
  assert.is((await rawExchange(stack.url, 'HELLO THERE\r\n\r\n')).status, 400);
  const after = await scrape(stack.url);
  assert.is(valueOf(after, 'http_requests_total', malformed) - valueOf(before, 'http_requests_total', malformed), 1);
});

stack('a request forwarded to a function is counted once, by that function, not again by the gateway', async ({ stack }) => {
  const missing = { method: 'GET', route: DOCUMENT_ROUTE, status: '404' };
  const before = await scrape(stack.url);
  assert.is((await request(stack.url, 'GET', `/v1/collections/${uniqueCollection('m')}/documents/none`)).status, 404);
  const after = await scrape(stack.url);
  const moved = (labels: Record<string, string>) => valueOf(after, 'http_requests_total', labels) - valueOf(before, 'http_requests_total', labels);
  assert.is(moved({ ...missing, function: 'get' }), 1);
  assert.is(moved(missing), 1);
});

stack('every metric the dashboard and the alert rules reference is exported by the running processes', async ({ stack, grpc }) => {
  const collection = uniqueCollection('assets');
  const docs = `/v1/collections/${collection}/documents`;
  assert.is((await request(stack.url, 'POST', docs, { json: { id: 'x', data: { n: 1 } } })).status, 201);
  assert.is((await request(stack.url, 'GET', `${docs}/x`)).status, 200);
  assert.is((await request(stack.url, 'PUT', `${docs}/x`, { json: { data: { n: 2 } } })).status, 200);
  assert.is((await request(stack.url, 'POST', `/v1/collections/${collection}/query`, { json: {} })).status, 200);
  assert.is((await request(stack.url, 'DELETE', `${docs}/x`)).status, 204);
  await assertStatus(grpc.get({ collection, id: 'x' }), status.NOT_FOUND);
  const exposition = await scrape(stack.url);
  const referenced = new Set([...dashboardExpressions(), ...alertExpressions()].flatMap(metricNames));
  assert.ok(referenced.size >= 10, `found ${[...referenced].join(', ')}`);
  const missing = [...referenced].filter((name) => !isExported(exposition, name));
  assert.equal(missing, [], `referenced but not exported: ${missing.join(', ')}`);
});

stack.run();
