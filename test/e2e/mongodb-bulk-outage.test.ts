import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { request } from '../support/http.js';
import { FerretDb, mongoAvailable } from '../support/mongodb.js';
import type { Spawned } from '../support/processes.js';
import { startFunction } from '../support/stack.js';

/**
 * A bulk create whose MongoDB-wire server dies after the function connected to it: no item may be reported
 * created (201), nor "not attempted" (424, which invites sending it again), since any of them may be stored.
 */
interface Context {
  ferret: FerretDb;
  create: { url: string; process: Spawned };
}

if (mongoAvailable('MongoDB outage during a bulk create', { restartable: true })) {
  const test = suite<Context>('MongoDB outage during a bulk create', {} as Context);

  test.before(async (context) => {
    context.ferret = await FerretDb.start();
    context.create = await startFunction('create', { STORE: 'mongodb', MONGODB_URI: context.ferret.uri('bulkoutage') });
    // Connected: the driver now reports a lost server from insertMany as a bulk write error with no write error.
    assert.is((await request(context.create.url, 'POST', '/v1/collections/b/documents', { json: { id: 'warm', data: {} } })).status, 201);
    await context.ferret.kill();
  });

  test.after(async ({ ferret, create }) => {
    await create?.process.stop();
    await ferret?.kill();
  });

  for (const ordered of [true, false]) {
    test(`an ${ordered ? 'ordered' : 'unordered'} bulk create answers every item 503, none 201 or 424`, async ({ create }) => {
      const documents = [{ data: { n: 1 } }, { data: { n: 2 } }, { data: { n: 3 } }];
      const reply = await request(create.url, 'POST', '/v1/collections/b/bulk/create', { json: { documents, ordered } });
      assert.is(reply.status, 200, reply.text);
      assert.equal(reply.body.results.map((r: { status: number }) => r.status), [503, 503, 503], reply.text);
    });
  }

  test.run();
}
