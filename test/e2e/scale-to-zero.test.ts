import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from '../support/http.js';
import { startStack, type Stack } from '../support/stack.js';

/** The local gateway with SCALE_TO_ZERO=1 and a one-second idle period; the tests run in order. */
const test = suite<{ stack: Stack & { removeData: () => void } }>('scale to zero');

test.before(async (ctx) => {
  ctx.stack = await startStack({ SCALE_TO_ZERO: '1', SCALE_TO_ZERO_IDLE_SECONDS: '1', LOG_LEVEL: 'info' });
});
test.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

type Line = Record<string, unknown>;
const lines = (stack: Stack): Line[] =>
  stack.process
    .output()
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Line);
const logged = (stack: Stack, msg: string, fn: string) => lines(stack).filter((l) => l.msg === msg && l.function === fn);

async function waitForLine(stack: Stack, msg: string, fn: string, count: number): Promise<Line> {
  for (let i = 0; i < 400; i++) {
    const found = logged(stack, msg, fn);
    if (found.length >= count) return found[count - 1]!;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${count}× "${msg}" for ${fn} in:\n${stack.process.output()}`);
}

const isAlive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('no function runs before a request needs it', async ({ stack }) => {
  const ready = await request(stack.url, 'GET', '/readyz');
  assert.is(ready.status, 200);
  assert.equal(ready.body.functions, { create: 'scaled-to-zero', get: 'scaled-to-zero', update: 'scaled-to-zero', delete: 'scaled-to-zero', query: 'scaled-to-zero', indexes: 'scaled-to-zero' });
});

test('the first request starts its function and is answered once the function is ready', async ({ stack }) => {
  const created = await request(stack.url, 'POST', '/v1/collections/cold/documents', { json: { id: 'c1', data: { n: 1 } } });
  assert.is(created.status, 201);
  const started = await waitForLine(stack, 'function started on demand', 'create', 1);
  assert.type(started.cold_start_ms, 'number');
});

test('an idle function is stopped and its process is gone', async ({ stack }) => {
  const { pid } = await waitForLine(stack, 'function started on demand', 'create', 1);
  await waitForLine(stack, 'function scaled to zero', 'create', 1);
  assert.not.ok(isAlive(pid as number), `process ${pid} still runs`);
  assert.is((await request(stack.url, 'GET', '/readyz')).body.functions.create, 'scaled-to-zero');
});

test('a request after scale to zero starts the function again', async ({ stack }) => {
  const first = await waitForLine(stack, 'function started on demand', 'create', 1);
  const created = await request(stack.url, 'POST', '/v1/collections/cold/documents', { json: { id: 'c2', data: { n: 2 } } });
  assert.is(created.status, 201);
  const second = await waitForLine(stack, 'function started on demand', 'create', 2);
  assert.is.not(second.pid, first.pid);
});

test('requests that arrive together at a stopped function are all held and answered by one start', async ({ stack }) => {
  const replies = await Promise.all(Array.from({ length: 5 }, () => request(stack.url, 'GET', '/v1/collections/cold/documents/c1')));
  assert.equal(replies.map((r) => r.status), [200, 200, 200, 200, 200]);
  assert.is(logged(stack, 'function started on demand', 'get').length, 1);
});

test.run();
