import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from '../support/http.js';
import { startStack } from '../support/stack.js';

/** The OpenAPI document the gateway serves (/openapi.json), read as a client generator or Swagger UI reads it. */

type Stack = Awaited<ReturnType<typeof startStack>>;
interface Operation {
  operationId: string;
  summary?: string;
  tags?: string[];
  security?: unknown[];
  parameters?: Array<{ name: string; in: string; required?: boolean; example?: string }>;
  requestBody?: { content: Record<string, { example?: unknown; schema?: { properties?: Record<string, { maximum?: number }> } }> };
  responses?: Record<string, { headers?: Record<string, unknown> }>;
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  security?: unknown[];
  components: { securitySchemes?: Record<string, { type: string; scheme: string; bearerFormat?: string }> };
}

/** The order the examples make one session in (create first, delete last), as openapi.ts says. */
const SESSION = [
  'createDocument',
  'getDocument',
  'replaceDocument',
  'patchDocument',
  'queryDocuments',
  'countDocuments',
  'createIndex',
  'listIndexes',
  'dropIndex',
  'bulkCreateDocuments',
  'bulkUpdateDocuments',
  'bulkDeleteDocuments',
  'deleteDocument',
];
const PROBES = ['/healthz', '/readyz', '/metrics'];

function operations(spec: OpenApi): Array<{ path: string; method: string; operation: Operation }> {
  return Object.entries(spec.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => ({ path, method, operation })));
}

/** Sends every example of the session to the API; returns what was not answered 2xx, with the answer. */
async function sendExamples(stack: Stack, spec: OpenApi, headers: Record<string, string> = {}): Promise<string[]> {
  const byId = new Map(operations(spec).map((entry) => [entry.operation.operationId, entry]));
  const failures: string[] = [];
  for (const id of SESSION) {
    const { path, method, operation } = byId.get(id)!;
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => operation.parameters!.find((p) => p.in === 'path' && p.name === name)!.example!);
    const bodies = Object.entries(operation.requestBody?.content ?? { none: {} });
    for (const [mediaType, { example }] of bodies) {
      const body = example === undefined ? {} : { body: JSON.stringify(example), headers: { ...headers, 'content-type': mediaType } };
      const reply = await request(stack.url, method.toUpperCase(), url, { headers, ...body });
      if (reply.status >= 300) failures.push(`${id} (${mediaType}): ${method.toUpperCase()} ${url} → ${reply.status} ${reply.text}`);
    }
  }
  return failures;
}

const open = suite<{ stack: Stack; spec: OpenApi }>('OpenAPI document, AUTH_MODE=none');
open.before(async (ctx) => {
  ctx.stack = await startStack();
  ctx.spec = (await request<OpenApi>(ctx.stack.url, 'GET', '/openapi.json')).body;
});
open.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

open('every operation has a summary and a tag, and every request body an example for each media type', ({ spec }) => {
  for (const { path, method, operation } of operations(spec)) {
    const where = `${method.toUpperCase()} ${path}`;
    assert.ok(operation.summary, `${where}: no summary`);
    assert.ok(operation.tags?.length, `${where}: no tag`);
    for (const [mediaType, content] of Object.entries(operation.requestBody?.content ?? {})) assert.ok(content.example !== undefined, `${where} ${mediaType}: no example`);
    for (const parameter of operation.parameters?.filter((p) => p.in === 'path') ?? []) assert.ok(parameter.example, `${where}: path parameter ${parameter.name} has no example`);
  }
});

open("the examples cover every API operation, and sent in order each one is answered 2xx by the real API", async ({ stack, spec }) => {
  const documented = operations(spec).filter(({ path }) => !PROBES.includes(path)).map(({ operation }) => operation.operationId);
  assert.equal([...documented].sort(), [...SESSION].sort());
  assert.equal(await sendExamples(stack, spec), []);
});

open('the headers the API answers with are declared: Location and Idempotent-Replayed on a create, Retry-After on 429, 503 and a bulk create', ({ spec }) => {
  const declared = (operationId: string, status: string) =>
    Object.keys(operations(spec).find(({ operation }) => operation.operationId === operationId)?.operation.responses?.[status]?.headers ?? {}).sort();
  assert.equal(declared('createDocument', '201'), ['ETag', 'Idempotent-Replayed', 'Location']);
  assert.equal(declared('replaceDocument', '201'), ['ETag', 'Location']);
  assert.equal(declared('bulkCreateDocuments', '200'), ['Retry-After']);
  for (const { path, method, operation } of operations(spec)) {
    for (const status of ['429', '503']) {
      const response = operation.responses?.[status];
      if (response && !PROBES.includes(path)) assert.ok(response.headers?.['Retry-After'], `${method.toUpperCase()} ${path} ${status}: no Retry-After`);
    }
  }
});

open('a 304 declares its ETag and every 401 its WWW-Authenticate challenge', ({ spec }) => {
  const getDocument = operations(spec).find(({ operation }) => operation.operationId === 'getDocument')!.operation;
  assert.ok(getDocument.responses?.['304']?.headers?.ETag, 'GET 304: no ETag');
  for (const { path, method, operation } of operations(spec)) {
    const unauthenticated = operation.responses?.['401'];
    if (unauthenticated) assert.ok(unauthenticated.headers?.['WWW-Authenticate'], `${method.toUpperCase()} ${path} 401: no WWW-Authenticate`);
  }
});

/** The most maxTimeMs may be in an operation's JSON body, as the document states it. */
function maxTimeCeiling(spec: OpenApi, operationId: string): number | undefined {
  const operation = operations(spec).find((candidate) => candidate.operation.operationId === operationId)!.operation;
  return operation.requestBody?.content['application/json']?.schema?.properties?.maxTimeMs?.maximum;
}

open('maxTimeMs of a query and a count is bounded by the default QUERY_MAX_TIME_MS, 2,000', ({ spec }) => {
  assert.equal([maxTimeCeiling(spec, 'queryDocuments'), maxTimeCeiling(spec, 'countDocuments')], [2000, 2000]);
});

open('the probes and metrics are documented, tagged Operations, and need no credentials', ({ spec }) => {
  for (const path of PROBES) {
    const operation = spec.paths[path]?.get;
    assert.ok(operation, `${path} is not documented`);
    assert.equal(operation.tags, ['Operations']);
    assert.equal(operation.security, []);
  }
});

open('with authentication off the document declares no security scheme and requires none', ({ spec }) => {
  assert.is(spec.security, undefined);
  assert.is(spec.components.securitySchemes, undefined);
});

open.run();

const KEY = 'openapi-admin-0123456789abcdef';
const keyed = suite<{ stack: Stack; spec: OpenApi }>('OpenAPI document, AUTH_MODE=apikey');
keyed.before(async (ctx) => {
  ctx.stack = await startStack({ AUTH_MODE: 'apikey', API_KEYS: `admin:${KEY}`, AUTH_POLICY: JSON.stringify({ admin: { '*': ['*'] } }), QUERY_MAX_TIME_MS: '5000' });
  ctx.spec = (await request<OpenApi>(ctx.stack.url, 'GET', '/openapi.json')).body;
});
keyed.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

keyed('maxTimeMs is bounded by the stack\'s own QUERY_MAX_TIME_MS, and the query function refuses past it', async ({ stack, spec }) => {
  assert.equal([maxTimeCeiling(spec, 'queryDocuments'), maxTimeCeiling(spec, 'countDocuments')], [5000, 5000]);
  const headers = { authorization: `Bearer ${KEY}` };
  assert.is((await request(stack.url, 'POST', '/v1/collections/ceiling/query', { json: { maxTimeMs: 5000 }, headers })).status, 200);
  assert.is((await request(stack.url, 'POST', '/v1/collections/ceiling/query', { json: { maxTimeMs: 5001 }, headers })).status, 400);
});

keyed('with AUTH_MODE=apikey every API operation requires a bearer API key; the probes still need none', ({ spec }) => {
  assert.equal(Object.keys(spec.components.securitySchemes ?? {}), ['apikey']);
  assert.is(spec.components.securitySchemes!.apikey!.type, 'http');
  assert.is(spec.components.securitySchemes!.apikey!.scheme, 'bearer');
  assert.equal(spec.security, [{ apikey: [] }]);
  for (const path of PROBES) assert.equal(spec.paths[path]!.get!.security, []);
});

keyed('with AUTH_MODE=apikey the examples, sent with the key, are each answered 2xx', async ({ stack, spec }) => {
  assert.equal(await sendExamples(stack, spec, { authorization: `Bearer ${KEY}` }), []);
});

keyed.run();
