import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { rawExchange, request } from '../support/http.js';
import { childrenOf } from '../support/child-processes.js';
import { DIST, spawnNode, tempDir } from '../support/processes.js';
import { waitForHealth } from '../support/sidecar.js';
import { startFunction, startStack } from '../support/stack.js';
import { FUNCTION_NAMES, type FunctionName } from '../../shared/runtime/http/routes.js';
import { functionNodeFlags } from '../../shared/runtime/startup/node-flags.js';

/** The command lines of a process's children (Linux /proc). */
function childCommandLines(pid: number): string[][] {
  const children = readdirSync(`/proc/${pid}/task`).flatMap((task) => readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean));
  return children.map((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0').filter(Boolean));
}

test('data survives a restart of the whole stack', async () => {
  const data = tempDir('dbsvc-restart');
  try {
    const first = await startStack({}, data.path);
    try {
      const created = await request(first.url, 'POST', '/v1/collections/keep/documents', { json: { id: 'k', data: { n: 1 } } });
      assert.is(created.status, 201);
    } finally {
      await first.stop();
    }
    const second = await startStack({}, data.path);
    try {
      const reply = await request(second.url, 'GET', '/v1/collections/keep/documents/k');
      assert.is(reply.status, 200);
      assert.equal(reply.body.data, { n: 1 });
    } finally {
      await second.stop();
    }
  } finally {
    data.remove();
  }
});

test('the stack serves an OpenAPI 3.1 document of every route and a docs page', async () => {
  const stack = await startStack();
  try {
    const spec = await request(stack.url, 'GET', '/openapi.json');
    assert.is(spec.status, 200);
    assert.is(spec.body.openapi, '3.1.0');
    const paths = spec.body.paths;
    assert.equal(Object.keys(paths['/v1/collections/{collection}/documents']), ['post']);
    assert.equal(Object.keys(paths['/v1/collections/{collection}/documents/{id}']).sort(), ['delete', 'get', 'patch', 'put']);
    assert.equal(Object.keys(paths['/v1/collections/{collection}/query']), ['post']);
    const createSchema = paths['/v1/collections/{collection}/documents'].post.requestBody.content['application/json'].schema;
    assert.equal(createSchema.required, ['data']);
    const docs = await request(stack.url, 'GET', '/docs');
    assert.is(docs.status, 200);
    assert.match(docs.text, /swagger-ui-bundle\.js/);
    const script = await fetch(`${stack.url}/docs/swagger-ui-bundle.js`);
    assert.is(script.status, 200);
    await script.body?.cancel();
  } finally {
    await stack.stop();
    stack.removeData();
  }
});

test('the stack runs every function with the Node flags a function runs with in the image', async () => {
  const stack = await startStack();
  try {
    const functions = childCommandLines(stack.process.child.pid!).filter((args) => args.some((arg) => arg.includes('/functions/')));
    // The bundle is the last argument, dist/functions/<name>.mjs.
    const nameOf = (args: string[]) => args.at(-1)!.replace(/^.*\/functions\/|\.mjs$/g, '') as FunctionName;
    assert.equal(functions.map(nameOf).sort(), [...FUNCTION_NAMES].sort());
    for (const args of functions) assert.equal(args.slice(1, -1), functionNodeFlags(nameOf(args)), args.join(' '));
  } finally {
    await stack.stop();
    stack.removeData();
  }
});

test('a gRPC sidecar that dies is started again on its port, and the stack is ready again', async () => {
  const stack = await startStack({ LOG_LEVEL: 'info' });
  try {
    const sidecarPid = childrenOf(stack.process.child.pid!).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('grpc-sidecar.mjs'));
    assert.ok(sidecarPid, 'the stack runs a sidecar');
    process.kill(sidecarPid!, 'SIGKILL');
    for (let i = 0; i < 1000 && !stack.process.output().includes('grpc sidecar exited'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.match(stack.process.output(), /"msg":"grpc sidecar exited; starting it again"[^\n]*"signal":"SIGKILL"/);
    await waitForHealth(stack.grpcAddress, 'SERVING');
    let ready = 0;
    for (let i = 0; i < 600 && ready !== 200; i++) {
      ready = (await request(stack.url, 'GET', '/readyz')).status;
      if (ready !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.is(ready, 200);
  } finally {
    await stack.stop();
    stack.removeData();
  }
});

test('a function started alone from its bundle answers its own routes and only those', async () => {
  const data = tempDir('dbsvc-alone');
  const create = await startFunction('create', { DATA_DIR: data.path });
  const get = await startFunction('get', { DATA_DIR: data.path });
  try {
    const created = await request(create.url, 'POST', '/v1/collections/solo/documents', { json: { id: 's', data: { ok: true } } });
    assert.is(created.status, 201);
    const fetched = await request(get.url, 'GET', '/v1/collections/solo/documents/s');
    assert.is(fetched.status, 200);
    assert.equal(fetched.body.data, { ok: true });
    assert.is((await request(create.url, 'GET', '/v1/collections/solo/documents/s')).status, 404);
    assert.is((await request(get.url, 'GET', '/readyz')).status, 200);
    assert.match((await request(get.url, 'GET', '/metrics')).text, /http_requests_total\{.*function="get"/);
  } finally {
    await Promise.all([create.process.stop(), get.process.stop()]);
    data.remove();
  }
});

test('a function alone answers a request without a Host header 400 problem+json', async () => {
  const data = tempDir('dbsvc-no-host');
  const get = await startFunction('get', { DATA_DIR: data.path });
  try {
    const reply = await rawExchange(get.url, 'GET /v1/collections/solo/documents/s HTTP/1.1\r\n\r\n');
    assert.is(reply.status, 400, reply.head);
    assert.match(JSON.parse(reply.body).detail, 'the request is not valid HTTP/1.1: Missing host header');
  } finally {
    await get.process.stop();
    data.remove();
  }
});

test('a function whose store cannot be opened answers 503 with Retry-After and is not ready', async () => {
  const data = tempDir('dbsvc-broken');
  const blocker = join(data.path, 'not-a-directory');
  writeFileSync(blocker, '');
  const fn = await startFunction('get', { DATA_DIR: join(blocker, 'data') });
  try {
    const reply = await request(fn.url, 'GET', '/v1/collections/c/documents/d');
    assert.is(reply.status, 503);
    assert.match(reply.headers.get('content-type') ?? '', /^application\/problem\+json/);
    assert.ok(Number(reply.headers.get('retry-after')) >= 1);
    assert.is(reply.body.status, 503);
    assert.is((await request(fn.url, 'GET', '/readyz')).status, 503);
    assert.is((await request(fn.url, 'GET', '/healthz')).status, 200);
  } finally {
    await fn.process.stop();
    data.remove();
  }
});

test('a function exits 0 on SIGTERM', async () => {
  const data = tempDir('dbsvc-sigterm');
  const fn = await startFunction('get', { DATA_DIR: data.path });
  try {
    const { code } = await fn.process.stop();
    assert.is(code, 0);
  } finally {
    data.remove();
  }
});

test('a bad configuration variable stops the function at start with a message naming it', async () => {
  const fn = spawnNode(join(DIST, 'functions', 'get.mjs'), { PORT: 'eighty', STORE: 'sqlite' });
  const { code } = await fn.exited;
  assert.is(code, 1);
  assert.match(fn.output(), /PORT="eighty": must be an integer from 0 to 65535/);
});

test('a function whose PORT is taken stops at start with one line naming PORT, not a stack trace', async () => {
  const data = tempDir('dbsvc-port-taken');
  const taken = createServer();
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = taken.address() as AddressInfo;
    const fn = spawnNode(join(DIST, 'functions', 'get.mjs'), { PORT: String(port), HOST: '127.0.0.1', DATA_DIR: data.path });
    const { code } = await fn.exited;
    assert.is(code, 1);
    assert.match(fn.output(), new RegExp(`get: cannot listen on PORT=${port} HOST="127.0.0.1": listen EADDRINUSE`));
    assert.not.match(fn.output(), /Unhandled 'error' event|\n\s+at /);
  } finally {
    await new Promise((resolve) => taken.close(resolve));
    data.remove();
  }
});

test('a function whose HOST does not resolve stops at start with one line naming HOST, not a stack trace', async () => {
  const data = tempDir('dbsvc-bad-host');
  try {
    const fn = spawnNode(join(DIST, 'functions', 'get.mjs'), { PORT: '0', HOST: 'no-such-host.invalid', DATA_DIR: data.path });
    const { code } = await fn.exited;
    assert.is(code, 1);
    assert.match(fn.output(), /get: cannot listen on PORT=0 HOST="no-such-host.invalid": getaddrinfo/);
    assert.not.match(fn.output(), /Unhandled 'error' event|\n\s+at /);
  } finally {
    data.remove();
  }
});

test('a function whose DATA_DIR cannot be made answers 503 naming why, at once, and stops on SIGTERM', async () => {
  // Under /proc a directory exists but refuses a child: Node's recursive mkdir loops for ever there.
  const fn = await startFunction('get', { DATA_DIR: '/proc/no-such-data-dir' });
  try {
    const reply = await fetch(`${fn.url}/v1/collections/c/documents/d`, { signal: AbortSignal.timeout(10_000) });
    assert.is(reply.status, 503);
    assert.match(((await reply.json()) as { detail: string }).detail, /SQLite store unavailable \(ENOENT\)/);
    assert.equal(await fn.process.stop(10_000), { code: 0, signal: null });
  } finally {
    await fn.process.stop();
  }
});

test('STORE=mongodb without MONGODB_URI is refused at start', async () => {
  const fn = spawnNode(join(DIST, 'functions', 'get.mjs'), { PORT: '0', STORE: 'mongodb', MONGODB_URI: '' });
  const { code } = await fn.exited;
  assert.is(code, 1);
  assert.match(fn.output(), /MONGODB_URI is required when STORE=mongodb/);
});

test.run();
