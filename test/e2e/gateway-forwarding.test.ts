import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { curlPost, documentFileOfSize } from '../support/curl-post.js';
import { rawExchange, request, uniqueCollection } from '../support/http.js';
import { tempDir } from '../support/processes.js';
import { startStack, type Stack } from '../support/stack.js';

/** How the gateway passes requests to the functions: curl against the started stack (MAX_BODY_BYTES 1 MiB). */
const test = suite<{ stack: Stack & { removeData: () => void }; bodies: { path: string; remove: () => void } }>('gateway forwarding');

test.before(async (ctx) => {
  ctx.bodies = tempDir('dbsvc-bodies');
  ctx.stack = await startStack();
});
test.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
  ctx.bodies?.remove();
});

const documents = (stack: Stack) => `${stack.url}/v1/collections/${uniqueCollection()}/documents`;

test('a create sent with Expect: 100-continue is created', async ({ stack, bodies }) => {
  assert.is(await curlPost(documents(stack), documentFileOfSize(bodies.path, 2000), { expectContinue: true }), '201');
});

test('a body over MAX_BODY_BYTES sent with Expect: 100-continue (as curl sends it) is answered 413', async ({ stack, bodies }) => {
  assert.is(await curlPost(documents(stack), documentFileOfSize(bodies.path, 2 * 2 ** 20), { expectContinue: true }), '413');
});

test('each of 20 bodies of 1.1 to 4 MB sent without Expect is answered 413, never a reset connection', async ({ stack, bodies }) => {
  const sizes = Array.from({ length: 20 }, (_, i) => Math.round((1.1 + (2.9 * i) / 19) * 1e6));
  const files = sizes.map((size) => documentFileOfSize(bodies.path, size));
  const outcomes = await Promise.all(files.map((file) => curlPost(documents(stack), file, { expectContinue: false })));
  assert.equal(outcomes, sizes.map(() => '413'));
});

test('a document path with a method no route takes is 405 with Allow naming the methods it takes', async ({ stack }) => {
  const reply = await request(stack.url, 'POST', `/v1/collections/${uniqueCollection()}/documents/d1`, { json: { data: {} } });
  assert.is(reply.status, 405);
  assert.is(reply.headers.get('allow'), 'GET, HEAD, PUT, PATCH, DELETE');
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.is(reply.body.status, 405);
});

test("the gateway's own pages answer another method 405 with Allow: GET, HEAD", async ({ stack }) => {
  for (const [method, path] of [['POST', '/healthz'], ['DELETE', '/metrics'], ['POST', '/openapi.json'], ['PUT', '/readyz'], ['POST', '/docs']]) {
    const reply = await request(stack.url, method!, path!);
    assert.is(reply.status, 405, `${method} ${path}`);
    assert.is(reply.headers.get('allow'), 'GET, HEAD');
    assert.is(reply.body.type, 'urn:dbsvc:problem:method-not-allowed');
  }
  assert.is((await request(stack.url, 'POST', '/nowhere')).status, 404);
});

test('HEAD of a document answers as its GET does, with its ETag and no body', async ({ stack }) => {
  const c = uniqueCollection();
  await request(stack.url, 'POST', `/v1/collections/${c}/documents`, { json: { id: 'h', data: { n: 1 } } });
  const head = await request(stack.url, 'HEAD', `/v1/collections/${c}/documents/h`);
  assert.is(head.status, 200);
  assert.is(head.headers.get('etag'), '"1"');
  assert.is(head.text, '');
  assert.is((await request(stack.url, 'HEAD', `/v1/collections/${c}/documents/none`)).status, 404);
});

test('a path no route has is still 404', async ({ stack }) => {
  assert.is((await request(stack.url, 'GET', '/v1/nothing-here')).status, 404);
});

test('a request whose target is an absolute URL is routed by its path, as a function alone routes it', async ({ stack }) => {
  const c = uniqueCollection();
  await request(stack.url, 'POST', `/v1/collections/${c}/documents`, { json: { id: 'abs', data: { n: 1 } } });
  const reply = await rawExchange(stack.url, `GET ${stack.url}/v1/collections/${c}/documents/abs?x=1 HTTP/1.1\r\nHost: elsewhere\r\nConnection: close\r\n\r\n`);
  assert.is(reply.status, 200, reply.body);
  assert.is(JSON.parse(reply.body).id, 'abs');
});

test('an absolute URL target with a body reaches its function with the body', async ({ stack }) => {
  const c = uniqueCollection();
  const body = JSON.stringify({ id: 'abs', data: { n: 2 } });
  const reply = await rawExchange(
    stack.url,
    `POST ${stack.url}/v1/collections/${c}/documents HTTP/1.1\r\nHost: elsewhere\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
  );
  assert.is(reply.status, 201, reply.body);
  assert.match(reply.head.toLowerCase(), `location: /v1/collections/${c.toLowerCase()}/documents/abs`);
});

test('an Expect the gateway cannot meet is answered 417 problem+json', async ({ stack }) => {
  const reply = await rawExchange(
    stack.url,
    `POST /v1/collections/${uniqueCollection()}/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 200-ok\r\nContent-Length: 2\r\n\r\n{}`,
  );
  assert.is(reply.status, 417);
  assert.match(reply.head.toLowerCase(), 'content-type: application/problem+json');
  assert.is(JSON.parse(reply.body).type, 'urn:dbsvc:problem:expectation-failed');
});

test('headers the Connection header names are not forwarded (RFC 9110 §7.6.1), on reads and on writes', async ({ stack }) => {
  const c = uniqueCollection();
  await request(stack.url, 'POST', `/v1/collections/${c}/documents`, { json: { id: 'h', data: { n: 1 } } });
  const read = await rawExchange(stack.url, `GET /v1/collections/${c}/documents/h HTTP/1.1\r\nHost: x\r\nIf-None-Match: "1"\r\nConnection: close, If-None-Match\r\n\r\n`);
  assert.is(read.status, 200, read.head);
  const body = JSON.stringify({ data: { n: 2 } });
  const write = await rawExchange(
    stack.url,
    `PUT /v1/collections/${c}/documents/h HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nIf-Match: "7"\r\nConnection: If-Match, close\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
  assert.is(write.status, 200, write.body);
});

test('CONNECT is answered 400 problem+json, not a dropped connection: the gateway is no tunnel', async ({ stack }) => {
  const reply = await rawExchange(stack.url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  assert.is(reply.status, 400);
  assert.is(JSON.parse(reply.body).type, 'urn:dbsvc:problem:invalid-input');
});

test.run();
