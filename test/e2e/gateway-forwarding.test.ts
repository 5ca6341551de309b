import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { uniqueCollection } from '../support/http.js';
import { documentOfSize, rawPost, type RawOutcome } from '../support/raw-post.js';
import { startStack, type Stack } from '../support/stack.js';

/** How the gateway passes requests to the functions, over real sockets to the started stack (MAX_BODY_BYTES 1 MiB). */
const test = suite<{ stack: Stack & { removeData: () => void } }>('gateway forwarding');

test.before(async (ctx) => {
  ctx.stack = await startStack();
});
test.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

const documents = (stack: Stack, collection: string) => `${stack.url}/v1/collections/${collection}/documents`;
const statusOf = (outcome: RawOutcome) => ('status' in outcome ? outcome.status : outcome.error);

test('a create sent with Expect: 100-continue is created', async ({ stack }) => {
  const outcome = await rawPost(documents(stack, uniqueCollection()), documentOfSize(2000), { expectContinue: true });
  assert.is(statusOf(outcome), 201);
});

test('a body over MAX_BODY_BYTES sent with Expect: 100-continue (as curl sends it) is answered 413', async ({ stack }) => {
  const outcome = await rawPost(documents(stack, uniqueCollection()), documentOfSize(2 * 2 ** 20), { expectContinue: true });
  assert.is(statusOf(outcome), 413);
});

test('every one of 20 bodies of 1.1 to 4 MB is answered 413, never a reset connection', async ({ stack }) => {
  const collection = uniqueCollection();
  const sizes = Array.from({ length: 20 }, (_, i) => Math.round((1.1 + (2.9 * i) / 19) * 1e6));
  const outcomes = await Promise.all(sizes.map((size) => rawPost(documents(stack, collection), documentOfSize(size))));
  assert.equal(outcomes.map(statusOf), sizes.map(() => 413));
});

test.run();
