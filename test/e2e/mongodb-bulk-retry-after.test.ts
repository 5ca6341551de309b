import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from '../support/http.js';
import { FerretDb, mongoAvailable } from '../support/mongodb.js';
import type { Spawned } from '../support/processes.js';
import { startFunction } from '../support/stack.js';

/**
 * A bulk create whose store is down answers 200 with each item's 503, and the response itself says when to try
 * again: a client or proxy that reads only the status line and headers still backs off.
 */
interface Context {
  ferret: FerretDb;
  create: { url: string; process: Spawned };
}

if (mongoAvailable('Retry-After of a bulk create whose store is down', { restartable: true })) {
  const test = suite<Context>('Retry-After of a bulk create whose store is down', {} as Context);

  test.before(async (context) => {
    context.ferret = await FerretDb.start();
    context.create = await startFunction('create', { STORE: 'mongodb', MONGODB_URI: context.ferret.uri('bulkretryafter') });
    assert.is((await request(context.create.url, 'POST', '/v1/collections/b/documents', { json: { id: 'warm', data: {} } })).status, 201);
    await context.ferret.kill();
  });

  test.after(async ({ ferret, create }) => {
    await create?.process.stop();
    await ferret?.kill();
  });

  test('a bulk create whose items failed 503 answers 200 with Retry-After: 1', async ({ create }) => {
    const documents = [{ data: { n: 1 } }, { data: { n: 2 } }];
    const reply = await request(create.url, 'POST', '/v1/collections/b/bulk/create', { json: { documents } });
    assert.is(reply.status, 200, reply.text);
    assert.equal(reply.body.results.map((r: { status: number }) => r.status), [503, 503], reply.text);
    assert.is(reply.headers.get('retry-after'), '1');
  });

  test.run();
}
