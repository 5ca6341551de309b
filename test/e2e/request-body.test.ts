import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { rawExchange, request, uniqueCollection } from '../support/http.js';
import { jsonLines, waitForLine } from '../support/logs.js';
import { tempDir, type Spawned } from '../support/processes.js';
import { startFunction } from '../support/stack.js';

/**
 * Body limits hold however the body is framed: with a Content-Length and chunked, with no length announced
 * (counted as it arrives), straight against a create function; a body cut off or refused leaves the function
 * and the connection as they were.
 */
const test = suite<{ url: string; fn: Spawned; data: { path: string; remove: () => void } }>('request bodies');

const LIMIT = 1024;

test.before(async (ctx) => {
  ctx.data = tempDir('dbsvc-body');
  const started = await startFunction('create', { DATA_DIR: ctx.data.path, MAX_BODY_BYTES: String(LIMIT), LOG_LEVEL: 'info' });
  ctx.url = started.url;
  ctx.fn = started.process;
});

test.after(async (ctx) => {
  await ctx.fn?.stop();
  ctx.data?.remove();
});

/** POSTs `chunks` with Transfer-Encoding: chunked (no Content-Length), one write per chunk. */
function postChunked(url: string, path: string, chunks: readonly string[], agent?: Agent): Promise<{ status: number; body: any; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text), reusedSocket: req.reusedSocket }));
    });
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

test('a chunked body within MAX_BODY_BYTES is read whole', async ({ url }) => {
  const c = uniqueCollection();
  const reply = await postChunked(url, `/v1/collections/${c}/documents`, ['{"id":"ch","da', 'ta":{"text":"', 'y'.repeat(200), '"}}']);
  assert.is(reply.status, 201);
  assert.equal(reply.body.data, { text: 'y'.repeat(200) });
});

test('a compressed body answers 415 naming its Content-Encoding, and stores nothing', async ({ url }) => {
  const c = uniqueCollection();
  const body = gzipSync(JSON.stringify({ id: 'zipped', data: {} }));
  const reply = await request(url, 'POST', `/v1/collections/${c}/documents`, { body, headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' } });
  assert.is(reply.status, 415, reply.text);
  assert.match(reply.body.detail, 'Content-Encoding gzip');
  assert.is((await request(url, 'POST', `/v1/collections/${c}/documents`, { json: { id: 'zipped', data: {} } })).status, 201, 'the id was still free');
});

test('a body sent with Content-Encoding: identity is read as it is', async ({ url }) => {
  const c = uniqueCollection();
  const reply = await request(url, 'POST', `/v1/collections/${c}/documents`, { json: { data: { n: 1 } }, headers: { 'content-encoding': 'identity' } });
  assert.is(reply.status, 201, reply.text);
});

test('a chunked body past MAX_BODY_BYTES answers 413 and stores nothing', async ({ url }) => {
  const c = uniqueCollection();
  const chunks = ['{"id":"big","data":{"text":"', ...Array.from({ length: 8 }, () => 'x'.repeat(200)), '"}}'];
  const reply = await postChunked(url, `/v1/collections/${c}/documents`, chunks);
  assert.is(reply.status, 413);
  assert.ok(String(reply.body.detail).includes('MAX_BODY_BYTES'));
  const again = await request(url, 'POST', `/v1/collections/${c}/documents`, { json: { id: 'big', data: {} } });
  assert.is(again.status, 201, 'the id was still free');
});

test('a body with a Content-Length past MAX_BODY_BYTES answers 413', async ({ url }) => {
  const reply = await request(url, 'POST', `/v1/collections/${uniqueCollection()}/documents`, {
    json: { data: { text: 'x'.repeat(LIMIT) } },
  });
  assert.is(reply.status, 413);
});

test('the connection that was answered 413 for a chunked body serves its next request', async ({ url }) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const c = uniqueCollection();
    const big = await postChunked(url, `/v1/collections/${c}/documents`, ['{"data":{"text":"', ...Array.from({ length: 8 }, () => 'x'.repeat(200)), '"}}'], agent);
    assert.is(big.status, 413);
    const next = await postChunked(url, `/v1/collections/${c}/documents`, ['{"id":"after","data":{}}'], agent);
    assert.is(next.status, 201);
    assert.ok(next.reusedSocket, "the second request went over the first one's connection");
  } finally {
    agent.destroy();
  }
});

test('a client gone before the end of its body gets a 400 in the log, not an unhandled error', async ({ url, fn }) => {
  const c = uniqueCollection();
  const { port } = new URL(url);
  const socket = connect(Number(port), '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  socket.write(`POST /v1/collections/${c}/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{"data":{"text":"`);
  socket.destroy();
  const line = await waitForLine(fn, (l) => l.msg === 'request' && l.collection === c);
  assert.is(line.status, '400');
  assert.not.ok(jsonLines(fn.output()).some((l) => l.msg === 'unhandled error'), fn.output());
  assert.is((await request(url, 'POST', `/v1/collections/${c}/documents`, { json: { data: {} } })).status, 201);
});

test('a function alone answers headers over the limit with 431 problem+json', async ({ url }) => {
  const reply = await rawExchange(url, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
  assert.is(reply.status, 431, reply.head);
  assert.match(reply.head, /\r\nContent-Type: application\/problem\+json\r\n/i);
  assert.is(JSON.parse(reply.body).type, 'urn:dbsvc:problem:headers-too-large');
});

test('a function alone answers an Expect it cannot meet 417 problem+json, and stores nothing', async ({ url }) => {
  const c = uniqueCollection();
  const body = JSON.stringify({ id: 'e', data: {} });
  const reply = await rawExchange(
    url,
    `POST /v1/collections/${c}/documents HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 200-ok\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  );
  assert.is(reply.status, 417);
  assert.match(reply.head.toLowerCase(), 'content-type: application/problem+json');
  assert.is(JSON.parse(reply.body).status, 417);
  assert.is((await request(url, 'POST', `/v1/collections/${c}/documents`, { json: { id: 'e', data: {} } })).status, 201);
});

test('a function alone answers CONNECT 400 problem+json instead of dropping the connection', async ({ url }) => {
  const reply = await rawExchange(url, 'CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n');
  assert.is(reply.status, 400);
  assert.match(reply.head.toLowerCase(), 'content-type: application/problem+json');
  assert.is(JSON.parse(reply.body).status, 400);
});

test.run();
