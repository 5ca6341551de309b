import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { DocumentServiceApi, assertStatus, jsonToStruct, status } from '../support/grpc.js';
import { startHoldingProxy, type HoldingProxy } from '../support/holding-proxy.js';
import { request, uniqueCollection } from '../support/http.js';
import { mongoAvailable, mongoServer } from '../support/mongodb.js';
import { startSidecar, type StartedSidecar } from '../support/sidecar.js';
import { startFunction } from '../support/stack.js';

/**
 * A change that the store applied but answered too late (past STORE_TIMEOUT_MS) is retried by the function when
 * it is conditional (README, "Cache and resilience"). The repeat then finds the version moved on: the function
 * must not answer that as the change having failed, nor apply it again. MongoDB sits behind a proxy that holds
 * back the answer to one findAndModify (the change) for longer than the time limit, while the change stands.
 */

const TIME_LIMIT_MS = 300;
const HOLD_MS = 1500;

interface Context {
  proxy: HoldingProxy;
  update: Awaited<ReturnType<typeof startFunction>>;
  create: Awaited<ReturnType<typeof startFunction>>;
  sidecar: StartedSidecar;
}

if (mongoAvailable('retried changes (mongodb)')) {
  const test = suite<Context>('A retried change whose first attempt was applied (mongodb)');

  test.before(async (ctx) => {
    const uri = new URL((await mongoServer()).uri(`dbsvc_retried_${process.pid}`));
    ctx.proxy = await startHoldingProxy({ host: uri.hostname, port: Number(uri.port) });
    uri.host = `127.0.0.1:${ctx.proxy.port}`;
    const env = {
      STORE: 'mongodb',
      MONGODB_URI: uri.toString(),
      STORE_TIMEOUT_MS: String(TIME_LIMIT_MS),
      // A budget past the time limit, so the attempt that timed out is retried.
      STORE_RETRY_BUDGET_MS: String(HOLD_MS * 4),
      STORE_RETRY_ATTEMPTS: '2',
    };
    ctx.create = await startFunction('create', env);
    ctx.update = await startFunction('update', env);
    ctx.sidecar = await startSidecar({ update: ctx.update.url });
  });
  test.after(async (ctx) => {
    await Promise.all([ctx.create?.process.stop(), ctx.update?.process.stop(), ctx.sidecar?.process.stop()]);
    await ctx.proxy?.stop();
  });

  /** Creates `id` in `collection`, then arms the proxy to hold the answer to the next change. */
  async function createThenHold(ctx: Context, collection: string, id: string): Promise<void> {
    const created = await request(ctx.create.url, 'POST', `/v1/collections/${collection}/documents`, { json: { id, data: { n: 0 } } });
    assert.is(created.status, 201, created.text);
    ctx.proxy.arm('findAndModify', HOLD_MS);
  }

  /** The document as stored, read through a change that changes nothing but its version. */
  async function stored(ctx: Context, collection: string, id: string) {
    const reply = await request(ctx.update.url, 'PATCH', `/v1/collections/${collection}/documents/${id}`, { json: { $inc: { n: 0 } } });
    assert.is(reply.status, 200, reply.text);
    return reply.body as { version: number; data: { n: number } };
  }

  test('a PUT with If-Match applied by an attempt that timed out does not answer 412', async (ctx) => {
    const c = uniqueCollection();
    await createThenHold(ctx, c, 'd');
    const reply = await request(ctx.update.url, 'PUT', `/v1/collections/${c}/documents/d`, { json: { data: { n: 1 } }, headers: { 'If-Match': '"1"' } });
    assert.ok(ctx.proxy.held(), 'the proxy held the answer to the change');
    assert.is((await stored(ctx, c, 'd')).data.n, 1, 'the change was applied');
    assert.is.not(reply.status, 412, reply.text);
    assert.is(reply.status, 503, reply.text);
  });

  test('a bulk $inc whose change of a document timed out after it was applied increments it once', async (ctx) => {
    const c = uniqueCollection();
    await createThenHold(ctx, c, 'd');
    const reply = await request(ctx.update.url, 'POST', `/v1/collections/${c}/bulk/update`, { json: { filter: {}, update: { $inc: { n: 1 } } } });
    assert.ok(ctx.proxy.held(), 'the proxy held the answer to the change');
    assert.is((await stored(ctx, c, 'd')).data.n, 1, reply.text);
  });

  test('a versioned UpdateDocument whose change timed out after it was applied ends UNAVAILABLE through the sidecar, not ABORTED', async (ctx) => {
    const c = uniqueCollection();
    await createThenHold(ctx, c, 'd');
    const api = new DocumentServiceApi(ctx.sidecar.address);
    try {
      // The function answers 503 with Retry-After; the sidecar sends the call again after that pause.
      const call = api.update({ collection: c, id: 'd', data: jsonToStruct({ n: 1 }), expected_version: 1 }, { deadlineMs: 20_000 });
      await assertStatus(call, status.UNAVAILABLE, 'may have been applied');
    } finally {
      api.close();
    }
    assert.is((await stored(ctx, c, 'd')).data.n, 1, 'the change was applied');
  });

  test.run();
}
