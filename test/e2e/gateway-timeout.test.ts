import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { join } from 'node:path';
import { freePort } from '../../gateway/free-port.js';
import { FUNCTION_NAMES } from '../../shared/runtime/http/routes.js';
import { request } from '../support/http.js';
import { DIST, spawnNode, waitUntilReady, type Spawned } from '../support/processes.js';
import { startStandInFunction, type StandInFunction } from '../support/stand-in-function.js';

/**
 * The gateway in front of a function that takes every request and never answers (a hung process, a lost
 * connection's peer): after GATEWAY_TIMEOUT_SECONDS the client gets a 504 problem, not an endless wait.
 */
const test = suite<{ hung: StandInFunction; gateway: Spawned; url: string }>('gateway timeout');

test.before(async (ctx) => {
  ctx.hung = await startStandInFunction(() => undefined);
  const port = await freePort();
  const urls = Object.fromEntries(FUNCTION_NAMES.map((name) => [`FUNCTION_URL_${name.toUpperCase()}`, ctx.hung.url]));
  ctx.gateway = spawnNode(join(DIST, 'gateway.mjs'), { PORT: String(port), GATEWAY_TIMEOUT_SECONDS: '1', ...urls });
  ctx.url = `http://127.0.0.1:${port}`;
  await waitUntilReady(`${ctx.url}/healthz`, ctx.gateway);
});
test.after(async (ctx) => {
  await ctx.gateway?.stop();
  await ctx.hung?.close();
});

test('a write to a function that never answers is answered 504 gateway-timeout, naming the setting', async ({ url }) => {
  const reply = await request(url, 'POST', '/v1/collections/c/documents', { json: { data: { n: 1 } } });
  assert.is(reply.status, 504);
  assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
  assert.is(reply.body.type, 'urn:dbsvc:problem:gateway-timeout');
  assert.match(reply.body.detail, 'GATEWAY_TIMEOUT_SECONDS (1 s)');
});

test('a read from a function that never answers is answered 504 gateway-timeout', async ({ url }) => {
  const reply = await request(url, 'GET', '/v1/collections/c/documents/d');
  assert.is(reply.status, 504);
  assert.is(reply.body.type, 'urn:dbsvc:problem:gateway-timeout');
});

test('the hung request is given up: the function sees its client go once the 504 is sent', async ({ url, hung }) => {
  const arrived = hung.nextRequest();
  const reply = request(url, 'DELETE', '/v1/collections/c/documents/gone');
  await (await arrived).abandoned;
  assert.is((await reply).status, 504);
});

test.run();
