import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { request } from '../support/http.js';
import { DIST, spawnNode } from '../support/processes.js';
import { startStack } from '../support/stack.js';

/** CORS at the gateway (`npm start`, dist/gateway.mjs): opt-in with CORS_ORIGINS, checked from a browser's side. */

type Stack = Awaited<ReturnType<typeof startStack>>;
const APP = 'https://app.example';
const OTHER = 'https://evil.example';
const DOCUMENT = '/v1/collections/cors/documents/d1';

function preflight(stack: Stack, origin: string, method = 'PATCH') {
  return request(stack.url, 'OPTIONS', DOCUMENT, {
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type, if-match' },
  });
}

const on = suite<{ stack: Stack }>('CORS_ORIGINS set');
on.before(async (ctx) => {
  ctx.stack = await startStack({ CORS_ORIGINS: `${APP}, http://localhost:5173` });
});
on.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

on('a preflight from a listed origin is 204 allowing that origin, the methods and the headers a client sends', async ({ stack }) => {
  const reply = await preflight(stack, APP);
  assert.is(reply.status, 204);
  assert.is(reply.headers.get('access-control-allow-origin'), APP);
  assert.is(reply.headers.get('vary'), 'Origin');
  assert.match(reply.headers.get('access-control-allow-methods') ?? '', /\bPATCH\b/);
  for (const header of ['Authorization', 'Content-Type', 'If-Match', 'If-None-Match', 'Idempotency-Key', 'traceparent']) {
    assert.ok(reply.headers.get('access-control-allow-headers')?.includes(header), `${header} is not allowed`);
  }
});

on('a request from a listed origin is forwarded and answered with the origin allowed and ETag and Location exposed', async ({ stack }) => {
  const reply = await request(stack.url, 'POST', '/v1/collections/cors/documents', { json: { data: { n: 1 } }, headers: { origin: APP } });
  assert.is(reply.status, 201);
  assert.is(reply.headers.get('access-control-allow-origin'), APP);
  const exposed = reply.headers.get('access-control-expose-headers') ?? '';
  for (const header of ['ETag', 'Location', 'Retry-After']) assert.ok(exposed.includes(header), `${header} is not exposed: ${exposed}`);
});

on("the gateway's own answers (the OpenAPI document) carry the CORS headers too", async ({ stack }) => {
  const reply = await request(stack.url, 'GET', '/openapi.json', { headers: { origin: 'http://localhost:5173' } });
  assert.is(reply.status, 200);
  assert.is(reply.headers.get('access-control-allow-origin'), 'http://localhost:5173');
});

on('a preflight from an origin not listed is 403 problem+json naming the origin and CORS_ORIGINS', async ({ stack }) => {
  const reply = await preflight(stack, OTHER);
  assert.is(reply.status, 403);
  assert.is(reply.headers.get('content-type'), 'application/problem+json');
  assert.match(reply.body.detail, `origin ${OTHER} is not in CORS_ORIGINS`);
  assert.is(reply.headers.get('access-control-allow-origin'), null);
});

on('a request from an origin not listed is answered without CORS headers (the browser withholds it)', async ({ stack }) => {
  const reply = await request(stack.url, 'GET', DOCUMENT, { headers: { origin: OTHER } });
  assert.is(reply.status, 404);
  assert.is(reply.headers.get('access-control-allow-origin'), null);
});

on('every answer says Vary: Origin, also without an Origin or from one not listed, so a cache keeps them apart', async ({ stack }) => {
  const answers = [
    await request(stack.url, 'GET', DOCUMENT),
    await request(stack.url, 'GET', DOCUMENT, { headers: { origin: OTHER } }),
    await preflight(stack, OTHER),
  ];
  assert.equal(answers.map((reply) => reply.headers.get('vary')), ['Origin', 'Origin', 'Origin']);
});

on.run();

const off = suite<{ stack: Stack }>('CORS_ORIGINS unset');
off.before(async (ctx) => {
  ctx.stack = await startStack();
});
off.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

off('without CORS_ORIGINS no answer carries a CORS header, and a preflight is not answered as one (405)', async ({ stack }) => {
  const asked = await preflight(stack, APP);
  assert.is(asked.status, 405);
  const got = await request(stack.url, 'GET', DOCUMENT, { headers: { origin: APP } });
  for (const reply of [asked, got]) assert.equal([...reply.headers.keys()].filter((name) => name.startsWith('access-control-')), []);
});

off.run();

for (const [value, message] of [
  ['https://app.example/', "'https://app.example/' is not an origin"],
  ['*, https://app.example', '* allows every origin and cannot be listed with others'],
  ['app.example', "'app.example' is not an origin"],
] as const) {
  test(`the gateway refuses CORS_ORIGINS=${value} at start, naming the variable`, async () => {
    const gateway = spawnNode(join(DIST, 'gateway.mjs'), { PORT: '0', CORS_ORIGINS: value });
    const { code } = await gateway.exited;
    assert.is(code, 1);
    assert.match(gateway.output(), `CORS_ORIGINS`);
    assert.match(gateway.output(), message);
  });
}

test.run();
