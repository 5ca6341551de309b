import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request, uniqueCollection } from '../support/http.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * PUTs of an index racing each other, or a DELETE, over REST on the SQLite stack: the statuses docs/api.md
 * gives (Indexes) in whatever order the requests land. A build over a few thousand documents takes several
 * steps, so requests sent together meet while it runs.
 */

const test = suite<{ stack: Stack & { removeData: () => void } }>('Index creation races over REST (sqlite)');

test.before(async (ctx) => {
  ctx.stack = await startStack({ STORE: 'sqlite' });
});
test.after(async (ctx) => {
  await ctx.stack?.stop();
  ctx.stack?.removeData();
});

const indexPath = (collection: string) => `/v1/collections/${collection}/indexes/by_e`;

/** 3,000 documents with data `{e: value(i)}`, in bulk creates of 1,000. */
async function seed(stack: Stack, collection: string, value: (i: number) => string): Promise<void> {
  for (let start = 0; start < 3000; start += 1000) {
    const documents = Array.from({ length: 1000 }, (_, i) => ({ id: `d${start + i}`, data: { e: value(start + i) } }));
    const reply = await request(stack.url, 'POST', `/v1/collections/${collection}/bulk/create`, { json: { documents, ordered: false } });
    assert.is(reply.status, 200, reply.text);
  }
}

const put = (stack: Stack, collection: string, unique: boolean) => request(stack.url, 'PUT', indexPath(collection), { json: { keys: { e: 1 }, unique } });

test('two concurrent PUTs of one definition answer 201 and 200', async ({ stack }) => {
  const c = uniqueCollection();
  await seed(stack, c, (i) => `v${i}`);
  const replies = await Promise.all([put(stack, c, false), put(stack, c, false)]);
  assert.equal(replies.map((reply) => reply.status).sort(), [200, 201], replies.map((reply) => reply.text).join('\n'));
});

test('two concurrent PUTs of one unique definition over documents sharing a key both answer 409', async ({ stack }) => {
  const c = uniqueCollection();
  await seed(stack, c, (i) => (i === 2999 ? 'v0' : `v${i}`));
  const replies = await Promise.all([
    put(stack, c, true),
    // A round trip later: the second PUT meets the first one's build under way.
    request(stack.url, 'GET', `/v1/collections/${c}/indexes`).then(() => put(stack, c, true)),
  ]);
  assert.equal(
    replies.map((reply) => [reply.status, reply.body?.type]),
    [
      [409, 'urn:dbsvc:problem:duplicate-key'],
      [409, 'urn:dbsvc:problem:duplicate-key'],
    ],
  );
});

test('a PUT whose index a DELETE drops while it builds answers 201', async ({ stack }) => {
  const c = uniqueCollection();
  await seed(stack, c, (i) => `v${i}`);
  let putting = true;
  const creating = put(stack, c, false).finally(() => (putting = false));
  // DELETEs until one finds the index: from the moment the PUT has written its definition.
  let deleted = 404;
  while (deleted === 404 && putting) deleted = (await request(stack.url, 'DELETE', indexPath(c))).status;
  const created = await creating;
  assert.is(created.status, 201, created.text);
});

test.run();
